/** Arrow uploads: protocol.md#uploads, #uploadarrow-binary. */
import { MUST, error, expectText, jsonRows, open, scenario, sendFrame } from './dsl.js';
import type { Scenario, Step } from '../scenario/schema.js';

const columns = (values: number[]) => ({ arrow: { columns: [{ name: 'x', type: 'Int32' as const, values }] } });
const upload = (
  queryId: string | undefined,
  tableName: string,
  payload: ReturnType<typeof columns> | { hex: string } = columns([1, 2, 3]),
): Step =>
  sendFrame({ header: { type: 'uploadArrow', ...(queryId === undefined ? {} : { queryId }), tableName }, payload });
const acked = (queryId: string): Step => expectText({ type: 'uploadAck', queryId });

const badName = (id: string, title: string, tableName: string): Scenario =>
  scenario({
    id: `upload.table-name.${id}`,
    title: `tableName ${title} is invalid_table_name`,
    spec: 'protocol.md#uploads',
    level: MUST,
    steps: [open(), upload('u1', tableName), expectText(error('invalid_table_name', 'u1'))],
  });

const goodName = (id: string, title: string, tableName: string, select: string): Scenario =>
  scenario({
    id: `upload.table-name.${id}`,
    title: `tableName ${title} is accepted`,
    spec: 'protocol.md#uploads',
    level: MUST,
    steps: [
      open(),
      upload('u1', tableName, columns([9])),
      acked('u1'),
      ...jsonRows('q1', `select x from ${select}`, [{ x: 9 }]),
    ],
  });

export const uploadScenarios: Scenario[] = [
  scenario({
    id: 'upload.basic',
    title: 'uploadArrow creates the table from the Arrow stream and is answered uploadAck',
    spec: 'protocol.md#uploads',
    level: MUST,
    steps: [
      open(),
      upload('u1', '{{ns}}'),
      acked('u1'),
      ...jsonRows('q1', 'select x from {{ns}} order by x', [{ x: 1 }, { x: 2 }, { x: 3 }]),
    ],
  }),
  scenario({
    id: 'upload.types',
    title: 'Uploaded Int64, Float64, Utf8 and Bool columns with NULLs read back exactly',
    spec: 'protocol.md#uploads',
    level: MUST,
    steps: [
      open(),
      sendFrame({
        header: { type: 'uploadArrow', queryId: 'u1', tableName: '{{ns}}' },
        payload: {
          arrow: {
            columns: [
              { name: 'i', type: 'Int64', values: ['9007199254740993', null, '-1'] },
              { name: 'f', type: 'Float64', values: [0.5, -1e300, null] },
              { name: 's', type: 'Utf8', values: ['a', null, 'ü✓'] },
              { name: 'b', type: 'Bool', values: [true, false, null] },
            ],
          },
        },
      }),
      acked('u1'),
      ...jsonRows('q1', 'select i::varchar as i, f, s, b from {{ns}} order by f desc nulls last', [
        { i: '9007199254740993', f: 0.5, s: 'a', b: true },
        { i: null, f: -1e300, s: null, b: false },
        { i: '-1', f: null, s: 'ü✓', b: null },
      ]),
    ],
  }),
  scenario({
    id: 'upload.replaces',
    title: 'A second upload to the same table replaces it',
    spec: 'protocol.md#uploads',
    level: MUST,
    steps: [
      open(),
      upload('u1', '{{ns}}'),
      acked('u1'),
      upload('u2', '{{ns}}', columns([7])),
      acked('u2'),
      ...jsonRows('q1', 'select x from {{ns}}', [{ x: 7 }]),
    ],
  }),
  scenario({
    id: 'upload.queryid-generated',
    title: 'An upload without queryId is acknowledged with a generated queryId',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [open(), upload(undefined, '{{ns}}'), expectText({ type: 'uploadAck', queryId: { $type: 'string' } })],
  }),
  scenario({
    id: 'upload.bad-payload',
    title: 'A payload that is not an Arrow IPC stream is upload_failed',
    spec: 'protocol.md#uploads',
    level: MUST,
    steps: [open(), upload('u1', '{{ns}}', { hex: 'deadbeef00112233' }), expectText(error('upload_failed', 'u1'))],
  }),
  scenario({
    id: 'upload.empty-payload',
    title: 'An empty payload is upload_failed',
    spec: 'protocol.md#uploads',
    level: MUST,
    steps: [open(), upload('u1', '{{ns}}', { hex: '' }), expectText(error('upload_failed', 'u1'))],
  }),
  scenario({
    id: 'upload.failure-keeps-old-table',
    title: 'A failed upload leaves the existing table unchanged',
    spec: 'protocol.md#uploads',
    level: MUST,
    steps: [
      open(),
      upload('u1', '{{ns}}', columns([4, 5])),
      acked('u1'),
      upload('u2', '{{ns}}', { hex: 'ffffffff0800000000000000' }),
      expectText(error('upload_failed', 'u2')),
      ...jsonRows('q1', 'select sum(x)::int as s from {{ns}}', [{ s: 9 }]),
    ],
  }),
  scenario({
    id: 'upload.duplicate-id',
    title:
      'Uploads and queries share one queryId namespace: an upload reusing an in-flight query id is duplicate_query_id',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [
      open(),
      {
        do: 'send',
        conn: 'a',
        message: {
          type: 'json',
          queryId: 'd',
          sql: 'select count(*) as n from range(10000000) a(i) where (i * 7) % 13 = 3',
        },
      },
      upload('d', '{{ns}}'),
      expectText(error('duplicate_query_id', 'd')),
      expectText({ type: 'json', queryId: 'd', data: { $json: [{ n: { $type: 'number' } }] } }),
    ],
  }),
  goodName('schema-qualified', 'schema.table', 'main.{{ns}}', 'main.{{ns}}'),
  goodName('quoted', 'with a quoted part holding a space', '"{{ns}} x"', '"{{ns}} x"'),
  goodName('escaped-quote', 'with a doubled quote inside quotes', '"{{ns}}""q"', '"{{ns}}""q"'),
  goodName('spaces-around-dots', 'with spaces around the dot', ' main . {{ns}} ', 'main.{{ns}}'),
  goodName('unicode', 'with Unicode letters', '{{ns}}_größe', '{{ns}}_größe'),
  badName('empty-part', 'with an empty part (a..b)', 'main..{{ns}}'),
  badName('four-parts', 'with four parts', 'a.b.c.{{ns}}'),
  badName('unterminated-quote', 'with an unterminated quote', '"{{ns}}'),
  badName('trailing-characters', 'with trailing characters', '{{ns}} x'),
  badName('empty-quoted', 'with an empty quoted part ("")', 'main.""'),
  badName('leading-digit', 'with a bare part starting with a digit', '1{{ns}}'),
  badName('hyphen', 'with a bare part holding a hyphen', '{{ns}}-x'),
  badName('sql-injection', 'holding SQL', '{{ns}}; drop table x'),
  badName('trailing-dot', 'ending with a dot', '{{ns}}.'),
];

/** Queries and their replies: protocol.md#arrow, #json, #exec, #queries-in-detail, #ordering-guarantees. */
import {
  MUST,
  SHOULD,
  SLOW_SQL,
  error,
  expectArrow,
  expectNext,
  expectText,
  jsonRows,
  open,
  q,
  scenario,
  send,
  sendText,
} from './dsl.js';
import type { Scenario } from '../scenario/schema.js';

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** Statements without a result set (DuckDB statement return type NOTHING) answered ok / "[]". */
const noResult = (id: string, title: string, sql: string): Scenario[] => [
  scenario({
    id: `query.no-result-set.${id}.arrow`,
    title: `${title}: an arrow query is answered ok`,
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [open(), send(q('arrow', 'q1', sql)), expectText({ type: 'ok', queryId: 'q1' })],
  }),
  scenario({
    id: `query.no-result-set.${id}.json`,
    title: `${title}: a json query is answered with data "[]"`,
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [open(), send(q('json', 'q1', sql)), expectText({ type: 'json', queryId: 'q1', data: '[]' })],
  }),
];

export const queryScenarios: Scenario[] = [
  scenario({
    id: 'query.json.basic',
    title: 'A json query is answered with data: a JSON array of row objects, as text',
    spec: 'protocol.md#json-result',
    level: MUST,
    steps: [
      open(),
      ...jsonRows('q1', "select 1 as a, 'x' as b union all select 2, null order by a", [
        { a: 1, b: 'x' },
        { a: 2, b: null },
      ]),
    ],
  }),
  scenario({
    id: 'query.arrow.basic',
    title: 'An arrow query is answered with an Arrow IPC stream holding the rows',
    spec: 'protocol.md#arrow-result-binary',
    level: MUST,
    steps: [
      open(),
      send(q('arrow', 'q1', "select 1 as a, 'x' as b union all select 2, null order by a")),
      expectArrow('q1', {
        schema: [
          { name: 'a', type: 'Int32' },
          { name: 'b', type: 'Utf8' },
        ],
        rows: [
          { a: 1, b: 'x' },
          { a: 2, b: null },
        ],
      }),
    ],
  }),
  scenario({
    id: 'query.arrow.empty',
    title: 'An empty arrow result has a schema and no rows',
    spec: 'protocol.md#arrow-result-binary',
    level: MUST,
    steps: [
      open(),
      send(q('arrow', 'q1', 'select 1 as x where false')),
      expectArrow('q1', { schema: [{ name: 'x', type: 'Int32' }], numRows: 0 }),
    ],
  }),
  scenario({
    id: 'query.json.empty',
    title: 'An empty json result is "[]"',
    spec: 'protocol.md#json-result',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'q1', 'select 1 as x where false')),
      expectText({ type: 'json', queryId: 'q1', data: '[]' }),
    ],
  }),
  scenario({
    id: 'query.exec.ok',
    title: 'exec is answered ok',
    spec: 'protocol.md#exec',
    level: MUST,
    steps: [open(), send(q('exec', 'e1', 'create table {{ns}}(x int)')), expectText({ type: 'ok', queryId: 'e1' })],
  }),
  scenario({
    id: 'query.exec.discards-result',
    title: 'exec of a SELECT is answered ok (the result set is discarded)',
    spec: 'protocol.md#exec',
    level: MUST,
    steps: [open(), send(q('exec', 'e1', 'select 1')), expectText({ type: 'ok', queryId: 'e1' })],
  }),
  scenario({
    id: 'query.exec.ignores-query-fields',
    title: 'exec with persist/maxRows is answered ok (the fields are ignored)',
    spec: 'protocol.md#exec',
    level: MUST,
    steps: [
      open(),
      send(q('exec', 'e1', 'select * from range(10)', { persist: true, maxRows: 1 })),
      expectText({ type: 'ok', queryId: 'e1' }),
    ],
  }),
  scenario({
    id: 'query.exec.error',
    title: 'A failing exec is answered error query_failed with its queryId',
    spec: 'protocol.md#exec',
    level: MUST,
    steps: [
      open(),
      send(q('exec', 'e1', 'insert into no_such_table_{{ns}} values (1)')),
      expectText(error('query_failed', 'e1')),
    ],
  }),
  ...noResult('create-table', 'CREATE TABLE', 'create table {{ns}}(x int)'),
  ...noResult('create-view', 'CREATE VIEW', 'create view {{ns}} as select 1 as x'),
  ...noResult('set', 'SET', "set TimeZone = 'UTC'"),
  ...noResult('transaction', 'BEGIN … COMMIT', 'begin; commit'),
  ...noResult('drop-if-exists', 'DROP … IF EXISTS', 'drop table if exists {{ns}}_none'),
  scenario({
    id: 'query.changed-rows.insert',
    title: 'INSERT (statement return type CHANGED_ROWS) is a result set: one row with the column Count',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [
      open(),
      send(q('exec', 'e1', 'create table {{ns}}(x int)')),
      expectText({ type: 'ok', queryId: 'e1' }),
      ...jsonRows('q1', 'insert into {{ns}} values (1), (2)', [{ Count: 2 }]),
      send(q('arrow', 'q2', 'delete from {{ns}}')),
      expectArrow('q2', { schema: [{ name: 'Count', type: 'Int64' }], rows: [{ Count: '2' }] }),
    ],
  }),
  scenario({
    id: 'query.no-statement',
    title: 'SQL without a statement (";") is an error query_failed',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'q1', ';')),
      expectText(error('query_failed', 'q1')),
      send(q('arrow', 'q2', '-- nothing')),
      expectText(error('query_failed', 'q2')),
    ],
  }),
  scenario({
    id: 'query.queryid-generated',
    title: 'A query without queryId is answered with a queryId the server generated',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [
      open(),
      send({ type: 'json', sql: 'select 1 as x' }),
      expectText({ type: 'json', queryId: { $type: 'string' }, data: { $json: [{ x: 1 }] } }),
    ],
  }),
  scenario({
    id: 'query.queryid-generated-uuid',
    title: 'A generated queryId is a UUID',
    spec: 'protocol.md#queries-in-detail',
    level: SHOULD,
    steps: [open(), send({ type: 'exec', sql: 'select 1' }), expectText({ type: 'ok', queryId: { $regex: UUID } })],
  }),
  scenario({
    id: 'query.multi-statement-last-result',
    title: 'Several statements run in order on one connection; the last one gives the result',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [
      open(),
      ...jsonRows('q1', 'create temp table t_{{ns}}(x int); insert into t_{{ns}} values (5); select x from t_{{ns}}', [
        { x: 5 },
      ]),
    ],
  }),
  scenario({
    id: 'query.multi-statement-stops-at-error',
    title: 'A failing statement fails the query; later statements do not run, earlier ones stay',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [
      open(),
      send(
        q(
          'json',
          'q1',
          'create table {{ns}}_a(x int); select * from no_such_table_{{ns}}; create table {{ns}}_b(x int)',
        ),
      ),
      expectText(error('query_failed', 'q1')),
      ...jsonRows(
        'q2',
        "select table_name from information_schema.tables where table_name like '{{ns}}_%' order by 1",
        [{ table_name: '{{ns}}_a' }],
      ),
    ],
  }),
  scenario({
    id: 'query.error-keeps-connection',
    title: 'A failed query leaves the connection usable',
    spec: 'protocol.md#errors',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'q1', 'select from where')),
      expectText(error('query_failed', 'q1')),
      ...jsonRows('q2', 'select 3 as x', [{ x: 3 }]),
    ],
  }),
  scenario({
    id: 'query.completion-order',
    title: 'Queries of one connection run concurrently: a fast query sent after a slow one is answered first',
    spec: 'protocol.md#ordering-guarantees',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'slow', SLOW_SQL)),
      send(q('json', 'fast', 'select 1 as x')),
      expectNext({ type: 'json', queryId: 'fast', data: { $json: [{ x: 1 }] } }),
      expectNext({ type: 'json', queryId: 'slow', data: { $json: [{ n: { $type: 'number' } }] } }),
    ],
  }),
  scenario({
    id: 'query.one-terminal-reply-each',
    title: 'Ten mixed queries in flight each get exactly one terminal reply',
    spec: 'protocol.md#ordering-guarantees',
    level: MUST,
    steps: [
      open(),
      ...Array.from({ length: 10 }, (_, i) =>
        send(
          q(
            i % 3 === 0 ? 'arrow' : i % 3 === 1 ? 'json' : 'exec',
            `m${i}`,
            i === 4 ? 'select nope' : `select ${i} as v`,
          ),
        ),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        i === 4
          ? expectText(error('query_failed', 'm4'))
          : i % 3 === 0
            ? expectArrow(`m${i}`, { rows: [{ v: i }] })
            : i % 3 === 1
              ? expectText({ type: 'json', queryId: `m${i}`, data: { $json: [{ v: i }] } })
              : expectText({ type: 'ok', queryId: `m${i}` }),
      ),
    ],
  }),
  scenario({
    id: 'query.id-reuse-after-end',
    title: 'A queryId may be reused once its query has ended',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [open(), ...jsonRows('r', 'select 1 as x', [{ x: 1 }]), ...jsonRows('r', 'select 2 as x', [{ x: 2 }])],
  }),
  scenario({
    id: 'query.duplicate-id',
    title: 'A queryId already in flight gets duplicate_query_id; the original query goes on',
    spec: 'protocol.md#errors',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'd', SLOW_SQL)),
      send(q('json', 'd', 'select 1 as x')),
      expectText(error('duplicate_query_id', 'd')),
      expectText({ type: 'json', queryId: 'd', data: { $json: [{ n: { $type: 'number' } }] } }),
    ],
  }),
  scenario({
    id: 'query.duplicate-id-other-connection',
    title: 'queryIds are per connection: another connection may use the same id at the same time',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [
      open('a'),
      open('b'),
      send(q('json', 'same', SLOW_SQL), 'a'),
      send(q('json', 'same', 'select 1 as x'), 'b'),
      expectText({ type: 'json', queryId: 'same', data: { $json: [{ x: 1 }] } }, 'b'),
      expectText({ type: 'json', queryId: 'same', data: { $json: [{ n: { $type: 'number' } }] } }, 'a'),
    ],
  }),
  scenario({
    id: 'query.transaction-in-one-query',
    title: 'A transaction sent as one multi-statement query commits',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [
      open(),
      send(
        q(
          'exec',
          'e1',
          'create table {{ns}}(x int); begin; insert into {{ns}} values (1); insert into {{ns}} values (2); commit',
        ),
      ),
      expectText({ type: 'ok', queryId: 'e1' }),
      ...jsonRows('q1', 'select sum(x)::int as s from {{ns}}', [{ s: 3 }]),
    ],
  }),
  scenario({
    id: 'query.open-transaction-rolled-back',
    title: 'A transaction left open by a query is rolled back when the query ends',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [
      open(),
      send(q('exec', 'e1', 'create table {{ns}}(x int)')),
      expectText({ type: 'ok', queryId: 'e1' }),
      send(q('exec', 'e2', 'begin; insert into {{ns}} values (1)')),
      expectText({ type: 'ok', queryId: 'e2' }),
      ...jsonRows('q1', 'select count(*)::int as n from {{ns}}', [{ n: 0 }]),
      ...jsonRows('q2', 'select count(*)::int as n from {{ns}}', [{ n: 0 }]),
    ],
  }),
  scenario({
    id: 'query.set-within-query',
    title: 'A SET applies to the later statements of the same query',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [
      open(),
      ...jsonRows('q1', "set TimeZone = 'America/Lima'; select current_setting('TimeZone') as tz", [
        { tz: 'America/Lima' },
      ]),
    ],
  }),
  scenario({
    id: 'query.temp-table-within-query',
    title: 'A temporary table lives for the statements of its query',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [
      open(),
      ...jsonRows('q1', 'create temp table tt_{{ns}} as select 42 as x; select x from tt_{{ns}}', [{ x: 42 }]),
    ],
  }),
  scenario({
    id: 'query.attach-is-instance-wide',
    title: 'ATTACH is seen by later queries (the catalog belongs to the database instance)',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [
      open(),
      send(q('exec', 'e1', "attach ':memory:' as {{ns}}_db")),
      expectText({ type: 'ok', queryId: 'e1' }),
      send(q('exec', 'e2', 'create table {{ns}}_db.main.t(x int)')),
      expectText({ type: 'ok', queryId: 'e2' }),
      ...jsonRows('q1', 'select count(*)::int as n from {{ns}}_db.main.t', [{ n: 0 }]),
      send(q('exec', 'e3', 'detach {{ns}}_db')),
      expectText({ type: 'ok', queryId: 'e3' }),
    ],
  }),
  scenario({
    id: 'query.text-with-newlines-and-comments',
    title: 'SQL with comments, newlines and a trailing semicolon runs',
    spec: 'protocol.md#queries-in-detail',
    level: MUST,
    steps: [open(), ...jsonRows('q1', '-- a comment\nselect /* inline */ 1 as x\n;\n', [{ x: 1 }])],
  }),
  scenario({
    id: 'query.large-json-result',
    title: 'A result of 100 000 rows arrives whole (json)',
    spec: 'protocol.md#json-result',
    level: MUST,
    steps: [
      open(),
      send(
        q('json', 'big', 'select sum(x)::bigint as s, count(*)::int as n from (select range as x from range(100000))'),
      ),
      expectText({ type: 'json', queryId: 'big', data: { $json: [{ s: 4999950000, n: 100000 }] } }),
      send(q('arrow', 'big2', 'select range::int as x from range(300000)')),
      expectArrow('big2', { schema: [{ name: 'x', type: 'Int32' }], numRows: 300000 }),
    ],
  }),
  scenario({
    id: 'query.raw-text-message-accepted',
    title: 'A query written by hand with whitespace and key order of its own is accepted',
    spec: 'protocol.md#messages',
    level: MUST,
    steps: [
      open(),
      sendText('  {\n "sql" : "select 1 as x",\t"queryId":"q1", "type": "json" }  '),
      expectNext({ type: 'json', queryId: 'q1', data: { $json: [{ x: 1 }] } }),
    ],
  }),
];

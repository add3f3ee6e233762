/** The result cache and result limits: protocol.md#result-cache-persist, #result-limits-maxrows-maxbytes. */
import {
  MUST,
  SHOULD,
  error,
  expectArrow,
  expectText,
  jsonRows,
  open,
  q,
  scenario,
  send,
  sendFrame,
  sendText,
} from './dsl.js';
import type { Scenario, Step } from '../scenario/schema.js';

const persisted = (queryId: string, sql: string, expected: unknown[]): Step[] => [
  send(q('json', queryId, sql, { persist: true })),
  expectText({ type: 'json', queryId, data: { $json: expected } }),
];
const count = 'select count(*)::int as n from {{ns}}';
const setup = (): Step[] => [
  send(q('exec', 's', 'create table {{ns}}(x int)')),
  expectText({ type: 'ok', queryId: 's' }),
];
const tooLarge = (queryId: string) => error('result_too_large', queryId);

export const cacheScenarios: Scenario[] = [
  scenario({
    id: 'cache.persist-same-result',
    title: 'A persist query gives the same result as without persist, also when answered from the cache',
    spec: 'protocol.md#result-cache-persist',
    level: MUST,
    steps: [
      open(),
      ...persisted('p1', "select 42 as x, 'y' as s /*{{ns}}*/", [{ x: 42, s: 'y' }]),
      ...persisted('p2', "select 42 as x, 'y' as s /*{{ns}}*/", [{ x: 42, s: 'y' }]),
      send(q('arrow', 'p3', 'select 42 as x /*{{ns}}*/', { persist: true })),
      expectArrow('p3', { rows: [{ x: 42 }] }),
      send(q('arrow', 'p4', 'select 42 as x /*{{ns}}*/', { persist: true })),
      expectArrow('p4', { rows: [{ x: 42 }] }),
    ],
  }),
  scenario({
    id: 'cache.invalidated-by-exec',
    title: 'An exec write makes cached results stale',
    spec: 'protocol.md#result-cache-persist',
    level: MUST,
    steps: [
      open(),
      ...setup(),
      ...persisted('p1', count, [{ n: 0 }]),
      send(q('exec', 'w', 'insert into {{ns}} values (1)')),
      expectText({ type: 'ok', queryId: 'w' }),
      ...persisted('p2', count, [{ n: 1 }]),
    ],
  }),
  scenario({
    id: 'cache.invalidated-by-query-write',
    title: 'A json query that writes (not a single SELECT) makes cached results stale',
    spec: 'protocol.md#result-cache-persist',
    level: MUST,
    steps: [
      open(),
      ...setup(),
      ...persisted('p1', count, [{ n: 0 }]),
      ...jsonRows('w', 'insert into {{ns}} values (1), (2)', [{ Count: 2 }]),
      ...persisted('p2', count, [{ n: 2 }]),
    ],
  }),
  scenario({
    id: 'cache.invalidated-by-multi-statement',
    title: 'A multi-statement query ending in a SELECT is not "a single SELECT": its writes make cached results stale',
    spec: 'protocol.md#result-cache-persist',
    level: MUST,
    steps: [
      open(),
      ...setup(),
      ...persisted('p1', count, [{ n: 0 }]),
      ...jsonRows('w', 'insert into {{ns}} values (1); select 1 as one', [{ one: 1 }]),
      ...persisted('p2', count, [{ n: 1 }]),
    ],
  }),
  scenario({
    id: 'cache.invalidated-by-upload',
    title: 'An upload makes cached results stale',
    spec: 'protocol.md#result-cache-persist',
    level: MUST,
    steps: [
      open(),
      sendFrame({
        header: { type: 'uploadArrow', queryId: 'u1', tableName: '{{ns}}' },
        payload: { arrow: { columns: [{ name: 'x', type: 'Int32', values: [1] }] } },
      }),
      expectText({ type: 'uploadAck', queryId: 'u1' }),
      ...persisted('p1', count, [{ n: 1 }]),
      sendFrame({
        header: { type: 'uploadArrow', queryId: 'u2', tableName: '{{ns}}' },
        payload: { arrow: { columns: [{ name: 'x', type: 'Int32', values: [1, 2, 3] }] } },
      }),
      expectText({ type: 'uploadAck', queryId: 'u2' }),
      ...persisted('p2', count, [{ n: 3 }]),
    ],
  }),
  scenario({
    id: 'cache.without-persist-always-runs',
    title: 'A query without persist is computed afresh',
    spec: 'protocol.md#result-cache-persist',
    level: MUST,
    steps: [
      open(),
      ...setup(),
      ...persisted('p1', count, [{ n: 0 }]),
      send(q('exec', 'w', 'insert into {{ns}} values (1)')),
      expectText({ type: 'ok', queryId: 'w' }),
      ...jsonRows('p2', count, [{ n: 1 }]),
    ],
  }),
  scenario({
    id: 'cache.keyed-by-type',
    title: 'The cache is keyed by query type: the same SQL as arrow and json gets each its own format',
    spec: 'protocol.md#result-cache-persist',
    level: MUST,
    steps: [
      open(),
      ...persisted('p1', 'select 3 as x /*{{ns}}*/', [{ x: 3 }]),
      send(q('arrow', 'p2', 'select 3 as x /*{{ns}}*/', { persist: true })),
      expectArrow('p2', { rows: [{ x: 3 }] }),
    ],
  }),
  scenario({
    id: 'cache.persist-ddl',
    title: 'persist on a statement without a result set is answered as without persist (ok / "[]")',
    spec: 'protocol.md#result-cache-persist',
    level: MUST,
    steps: [
      open(),
      send(q('arrow', 'p1', 'create table {{ns}}(x int)', { persist: true })),
      expectText({ type: 'ok', queryId: 'p1' }),
      send(q('json', 'p2', 'create table {{ns}}_b(x int)', { persist: true })),
      expectText({ type: 'json', queryId: 'p2', data: '[]' }),
    ],
  }),
];

export const limitScenarios: Scenario[] = [
  scenario({
    id: 'limits.max-rows-exact-passes',
    title: 'A result of exactly maxRows rows is delivered',
    spec: 'protocol.md#result-limits-maxrows-maxbytes',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'l1', 'select range::int as x from range(3)', { maxRows: 3 })),
      expectText({ type: 'json', queryId: 'l1', data: { $json: [{ x: 0 }, { x: 1 }, { x: 2 }] } }),
      send(q('arrow', 'l2', 'select range::int as x from range(3)', { maxRows: 3 })),
      expectArrow('l2', { numRows: 3 }),
    ],
  }),
  scenario({
    id: 'limits.max-rows-exceeded-json',
    title: 'A json result of maxRows + 1 rows is refused with result_too_large, nothing of it delivered',
    spec: 'protocol.md#result-limits-maxrows-maxbytes',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'l1', 'select range as x from range(4)', { maxRows: 3 })),
      expectText(tooLarge('l1')),
    ],
  }),
  scenario({
    id: 'limits.max-rows-exceeded-arrow',
    title: 'An arrow result over maxRows is refused with result_too_large',
    spec: 'protocol.md#result-limits-maxrows-maxbytes',
    level: MUST,
    steps: [
      open(),
      send(q('arrow', 'l1', 'select range as x from range(4)', { maxRows: 3 })),
      expectText(tooLarge('l1')),
    ],
  }),
  scenario({
    id: 'limits.max-rows-large-aborted',
    title: 'A large arrow result over maxRows ends with result_too_large; any part already sent does not decode',
    spec: 'protocol.md#arrow-result-binary',
    level: MUST,
    steps: [
      open(),
      send(q('arrow', 'l1', 'select range as x, range::varchar as s from range(300000)', { maxRows: 299999 })),
      expectText(tooLarge('l1')),
      {
        do: 'expect',
        conn: 'a',
        binary: { header: { type: 'arrow', queryId: 'l1' }, undecodable: true },
        within: 1,
        optional: true,
      },
    ],
  }),
  scenario({
    id: 'limits.max-bytes-json-boundary',
    title: 'maxBytes counts the UTF-8 bytes of data: exactly that many passes, one fewer is result_too_large',
    spec: 'protocol.md#result-limits-maxrows-maxbytes',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'l1', "select 'é' as s", { maxBytes: 12 })),
      expectText({ type: 'json', queryId: 'l1', data: '[{"s":"é"}]' }),
      send(q('json', 'l2', "select 'é' as s", { maxBytes: 11 })),
      expectText(tooLarge('l2')),
    ],
  }),
  scenario({
    id: 'limits.max-bytes-arrow',
    title: 'An arrow result larger than maxBytes is result_too_large; a generous maxBytes passes',
    spec: 'protocol.md#result-limits-maxrows-maxbytes',
    level: MUST,
    steps: [
      open(),
      send(q('arrow', 'l1', 'select range as x from range(1000)', { maxBytes: 100 })),
      expectText(tooLarge('l1')),
      send(q('arrow', 'l2', 'select range as x from range(1000)', { maxBytes: 1000000 })),
      expectArrow('l2', { numRows: 1000 }),
    ],
  }),
  scenario({
    id: 'limits.integer-written-as-float',
    title: 'maxRows written as 5.0 is the integer 5',
    spec: 'protocol.md#result-limits-maxrows-maxbytes',
    level: MUST,
    steps: [
      open(),
      sendText('{"type":"json","queryId":"l1","sql":"select range::int as x from range(5)","maxRows":5.0}'),
      expectText({ type: 'json', queryId: 'l1', data: { $json: [{ x: 0 }, { x: 1 }, { x: 2 }, { x: 3 }, { x: 4 }] } }),
    ],
  }),
  scenario({
    id: 'limits.invalid-values',
    title: 'maxRows 0, 1.5 or "5" and maxBytes -1 are invalid_message',
    spec: 'protocol.md#messages',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'l1', 'select 1', { maxRows: 0 })),
      expectText(error('invalid_message', 'l1')),
      send(q('json', 'l2', 'select 1', { maxRows: 1.5 })),
      expectText(error('invalid_message', 'l2')),
      send(q('json', 'l3', 'select 1', { maxRows: '5' })),
      expectText(error('invalid_message', 'l3')),
      send(q('arrow', 'l4', 'select 1', { maxBytes: -1 })),
      expectText(error('invalid_message', 'l4')),
    ],
  }),
  scenario({
    id: 'limits.apply-to-cached-results',
    title: 'Limits apply to a result answered from the cache',
    spec: 'protocol.md#result-limits-maxrows-maxbytes',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'l1', 'select range as x from range(5) /*{{ns}}*/', { persist: true })),
      expectText({ type: 'json', queryId: 'l1', data: { $json: [{ x: 0 }, { x: 1 }, { x: 2 }, { x: 3 }, { x: 4 }] } }),
      send(q('json', 'l2', 'select range as x from range(5) /*{{ns}}*/', { persist: true, maxRows: 2 })),
      expectText(tooLarge('l2')),
    ],
  }),
  scenario({
    id: 'limits.connection-usable-after',
    title: 'After result_too_large the connection stays usable',
    spec: 'protocol.md#errors',
    level: SHOULD,
    steps: [
      open(),
      send(q('json', 'l1', 'select range from range(10)', { maxRows: 1 })),
      expectText(tooLarge('l1')),
      ...jsonRows('q', 'select 1 as x', [{ x: 1 }]),
    ],
  }),
];

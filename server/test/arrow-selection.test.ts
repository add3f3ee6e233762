// DuckDB result chunks always hold back-to-back list entries, but the encoder also copes with
// list entries that skip, repeat or reorder child rows (gathering through a selection). These
// tests build such chunks by hand and check every encoder's selection path.
import duckdb from '@duckdb/node-bindings';
import {
  ARRAY,
  BIGINT,
  BOOLEAN,
  DECIMAL,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  LIST,
  listValue,
  MAP,
  mapValue,
  STRUCT,
  structValue,
  arrayValue,
  UUID,
  VARCHAR,
  DuckDBUUIDValue,
  INTERVAL,
  intervalValue,
  DuckDBDecimalValue,
} from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { expect, test } from 'vitest';
import { BatchEncoder } from '../src/arrow/batch-encoder.js';
import { endOfStreamMarker } from '../src/arrow/ipc-message.js';
import { encodeSchemaMessage } from '../src/arrow/schema-message.js';
import { arrowRows, type Canon, concatBytes, duckCanon } from './arrow-helpers.js';

/**
 * Builds a one-column chunk whose LIST column holds `children` as its child vector and the given
 * (offset, length) entries (null entries are NULL rows), encodes it, and returns decoded rows and
 * the rows expected from the entries.
 */
function encodeListChunk(
  childType: DuckDBType,
  children: readonly DuckDBValue[],
  entries: readonly ([number, number] | null)[],
): { actual: Canon[][]; expected: Canon[][] } {
  const listType = LIST(childType);
  // One row holding every child value, so that the child vector is filled by the API...
  const chunk = DuckDBDataChunk.create([listType], entries.length);
  chunk.setColumnValues(0, [listValue(children), ...entries.slice(1).map(() => listValue([]))]);
  // ...then the list entries are rewritten to point anywhere in it.
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, 0);
  const raw = new BigUint64Array(entries.length * 2);
  entries.forEach((entry, i) => {
    raw[2 * i] = BigInt(entry?.[0] ?? 0);
    raw[2 * i + 1] = BigInt(entry?.[1] ?? 0);
  });
  duckdb.copy_data_to_vector(vector, 0, raw.buffer, 0, raw.byteLength);
  const validity = new Uint8Array(Math.ceil(entries.length / 64) * 8);
  entries.forEach((entry, i) => {
    if (entry !== null) validity[i >> 3] |= 1 << (i & 7);
  });
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, validity.buffer, 0, validity.byteLength);

  const encoder = new BatchEncoder(['v'], [listType], 'UTC');
  encoder.append(chunk.chunk, entries.length);
  const bytes = concatBytes([encodeSchemaMessage(encoder.schema), encoder.flush(), endOfStreamMarker()]);
  const expected = entries.map((entry) =>
    entry === null ? [null] : [children.slice(entry[0], entry[0] + entry[1]).map((v) => duckCanon(v, childType))],
  );
  return { actual: arrowRows(tableFromIPC(bytes)), expected };
}

/** Entries that skip, repeat, overlap and go backwards, with NULL rows and empty lists. */
const scrambled: ([number, number] | null)[] = [[3, 2], null, [0, 1], [0, 1], [5, 0], [1, 4], null, [4, 2], [2, 1]];

const n = 6;
const cases: ReadonlyArray<readonly [string, DuckDBType, DuckDBValue[]]> = [
  ['INTEGER', INTEGER, [10, null, 30, 40, 50, 60]],
  ['BIGINT', BIGINT, [1n, 2n, null, -4n, 5n, 6n]],
  ['BOOLEAN', BOOLEAN, [true, false, null, true, true, false]],
  ['VARCHAR', VARCHAR, ['a', 'a string longer than twelve', null, '', 'ünï', 'another long string value']],
  [
    'DECIMAL(18,2)',
    DECIMAL(18, 2),
    Array.from({ length: n }, (_, i) => new DuckDBDecimalValue(BigInt(i * 101 - 300), 18, 2)),
  ],
  ['UUID', UUID, Array.from({ length: n }, (_, i) => DuckDBUUIDValue.fromUint128(BigInt(i) * 0x123456789abcdefn))],
  ['INTERVAL', INTERVAL, Array.from({ length: n }, (_, i) => intervalValue(i, 3 - i, BigInt(i) * 1000n))],
  ['LIST(VARCHAR)', LIST(VARCHAR), Array.from({ length: n }, (_, i) => listValue(['x'.repeat(i * 5), null]))],
  [
    'STRUCT',
    STRUCT({ a: INTEGER, b: VARCHAR }),
    Array.from({ length: n }, (_, i) => structValue({ a: i, b: `long string number ${i}` })),
  ],
  ['ARRAY(INTEGER, 2)', ARRAY(INTEGER, 2), Array.from({ length: n }, (_, i) => arrayValue([i, 10 - i]))],
  ['MAP', MAP(VARCHAR, INTEGER), Array.from({ length: n }, (_, i) => mapValue([{ key: `k${i}`, value: i }]))],
];

test.each(cases)('LIST(%s) with scrambled list entries', (_label, childType, children) => {
  const { actual, expected } = encodeListChunk(childType, children, scrambled);
  expect(actual).toEqual(expected);
});

test('LIST entries that are back to back but do not start at child row 0', () => {
  const { actual, expected } = encodeListChunk(
    VARCHAR,
    ['skip', 'also skipped', 'x', 'a long string here', 'z'],
    [[2, 1], null, [3, 2]],
  );
  expect(actual).toEqual(expected);
});

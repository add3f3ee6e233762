import duckdb from '@duckdb/node-bindings';
import { BIGINT, BLOB, BOOLEAN, DuckDBDataChunk, type DuckDBType, INTEGER, VARCHAR } from '@duckdb/node-api';
import * as A from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowBulkWriter } from '../src/upload/chunk-writers.js';
import { useDuckDB } from './support/duckdb-fixture.js';

const db = useDuckDB();

/** Writes rows [start, start + count) of `vector`'s only Data with the bulk writer; reads them back. */
async function roundTrip(vector: A.Vector, type: DuckDBType, sqlType: string, start: number, count: number) {
  const data = vector.data[0]!;
  const writer = arrowBulkWriter(data.type)?.(data);
  expect(writer).toBeDefined();
  await db.connection.run(`create or replace table bulk (v ${sqlType})`);
  const appender = await db.connection.createAppender('bulk');
  const chunk = DuckDBDataChunk.create([type], count);
  writer!(duckdb.data_chunk_get_vector(chunk.chunk, 0), start, count);
  appender.appendDataChunk(chunk);
  appender.closeSync();
  return (await db.connection.runAndReadAll('select v from bulk')).getColumns()[0];
}

const N = 100;
const nullEvery = (k: number) => (i: number) => i % k === 0;

describe('arrowBulkWriter', () => {
  // Sliced vectors have a non-zero Data offset: validity and boolean bits then start mid-byte.
  it.each([0, 3, 8, 13])('writes integers and their NULLs from offset %i', async (offset) => {
    const isNull = nullEvery(3);
    const values = Array.from({ length: N }, (_, i) => (isNull(i) ? null : i * 7 - 50));
    const vector = A.vectorFromArray(values, new A.Int32()).slice(offset);
    const got = await roundTrip(vector, INTEGER, 'INTEGER', 2, 60);
    expect(got).toEqual(values.slice(offset + 2, offset + 62));
  });

  it.each([0, 5])('unpacks booleans from offset %i', async (offset) => {
    const values = Array.from({ length: N }, (_, i) => (i % 4 === 0 ? null : i % 3 === 0));
    const vector = A.vectorFromArray(values, new A.Bool()).slice(offset);
    expect(await roundTrip(vector, BOOLEAN, 'BOOLEAN', 1, 70)).toEqual(values.slice(offset + 1, offset + 71));
  });

  // Byte-aligned starts take the eight-at-a-time path; the tail (70 = 8 × 8 + 6) goes bit by bit.
  it.each([0, 8])('unpacks booleans from the byte-aligned row %i', async (start) => {
    const values = Array.from({ length: N }, (_, i) => (i % 7 === 0 ? null : (i * 37) % 5 < 2));
    const vector = A.vectorFromArray(values, new A.Bool());
    expect(await roundTrip(vector, BOOLEAN, 'BOOLEAN', start, 70)).toEqual(values.slice(start, start + 70));
  });

  it('copies 64-bit integers', async () => {
    const values = BigInt64Array.from({ length: N }, (_, i) => BigInt(i) * 92233720368547758n - 2n ** 62n);
    const vector = A.makeVector(values);
    expect(await roundTrip(vector, BIGINT, 'BIGINT', 0, N)).toEqual([...values]);
  });

  it('hands over strings, inlined and not, with NULLs', async () => {
    const values = Array.from({ length: N }, (_, i) =>
      i % 9 === 0 ? null : `${'é'.repeat(i % 5)}${'x'.repeat(i % 17)}\u0000${i}`,
    );
    const vector = A.vectorFromArray(values, new A.Utf8()).slice(7);
    expect(await roundTrip(vector, VARCHAR, 'VARCHAR', 3, 80)).toEqual(values.slice(10, 90));
  });

  it('hands over long strings when the first row is NULL and some are exactly 12 or 13 bytes', async () => {
    const values = Array.from({ length: N }, (_, i) =>
      i === 0 || i % 11 === 0 ? null : `${i}-${'y'.repeat(10 + (i % 7))}-${'ü'.repeat(i % 3)}`,
    );
    const vector = A.vectorFromArray(values, new A.Utf8());
    expect(await roundTrip(vector, VARCHAR, 'VARCHAR', 0, N)).toEqual(values);
  });

  it('replaces invalid UTF-8 with U+FFFD, as decoding does', async () => {
    const bytes = Uint8Array.from([0x61, 0xc3, 0xa9, 0x62, 0xff, 0x63, 0xc3]);
    const data = A.makeData({
      type: new A.Utf8(),
      length: 4,
      nullCount: 0,
      valueOffsets: Int32Array.from([0, 2, 4, 6, 7]),
      data: bytes,
    });
    // 'a' + half of 'é', the other half + 'b', 0xff + 'c', half of 'é'
    expect(await roundTrip(A.makeVector(data), VARCHAR, 'VARCHAR', 0, 4)).toEqual([
      'a\uFFFD',
      '\uFFFDb',
      '\uFFFDc',
      '\uFFFD',
    ]);
  });

  it('hands over binary values', async () => {
    const values = Array.from({ length: N }, (_, i) =>
      i % 6 === 0 ? null : Uint8Array.from({ length: i % 20 }, (_, k) => k * i),
    );
    const vector = A.vectorFromArray(values, new A.Binary());
    const got = (await roundTrip(vector, BLOB, 'BLOB', 0, N)) as ({ bytes: Uint8Array } | null)[];
    expect(got.map((v) => (v ? [...v.bytes] : null))).toEqual(values.map((v) => (v ? [...v] : null)));
  });

  it('leaves types without a bulk path to the value readers', () => {
    expect(arrowBulkWriter(new A.Float16())).toBeUndefined();
    expect(arrowBulkWriter(new A.DateMillisecond())).toBeUndefined();
    expect(arrowBulkWriter(new A.TimestampMillisecond('UTC'))).toBeUndefined();
    expect(arrowBulkWriter(new A.Dictionary(new A.Utf8(), new A.Int32()))).toBeUndefined();
  });
});

// The result pump shared by the Arrow and JSON encoders: a fetch that fails while the consumer is
// suspended at a `yield` is thrown at the next `next()`, never reported as an unhandled rejection,
// and a query that fails mid-stream is never taken for a complete result.
import type { DuckDBResult } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { BATCH_TARGET_ROWS, encodeArrowStream } from '../src/arrow/encode-result.js';
import { StreamFailedError } from '../src/database/stream-end.js';
import { encodeJsonRows } from '../src/json/encode-rows.js';
import { useDuckDB } from './support/duckdb-fixture.js';

const db = useDuckDB();

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** Lets pending rejections be reported (Node reports them once the microtask queue is empty). */
const aTurnOfTheEventLoop = () => new Promise((resolve) => setImmediate(resolve));

const CHUNK_ROWS = 2048;

const encoders = [
  // The fetch in flight while the consumer holds the first record batch is the one after its chunks.
  {
    name: 'Arrow',
    encode: (result: DuckDBResult) => encodeArrowStream(result),
    piecesBefore: 2,
    failingFetch: BATCH_TARGET_ROWS / CHUNK_ROWS + 1,
  },
  // The fetch in flight while the consumer holds the first chunk's rows is the second one.
  { name: 'JSON', encode: (result: DuckDBResult) => encodeJsonRows(result), piecesBefore: 1, failingFetch: 2 },
];

describe.each(encoders)('$name', ({ encode, piecesBefore, failingFetch }) => {
  test('a fetch that fails while the consumer is suspended at a yield is thrown at the next next(), not unhandled', async () => {
    // (node-bindings 1.5.6 never rejects fetchChunk after a stream's first chunk, see the next test:
    // the rejection of that real fetch is injected.)
    const result = await db.connection.stream(`select i from range(${3 * BATCH_TARGET_ROWS}) t(i)`);
    const fetchChunk = result.fetchChunk.bind(result);
    let calls = 0;
    let failed: Promise<unknown> | undefined;
    // (Not vi.spyOn: a spy handles the promises it returns, which would hide the very rejection.)
    result.fetchChunk = () => {
      calls += 1;
      if (calls !== failingFetch) return fetchChunk();
      const fetched = fetchChunk();
      failed = fetched;
      return fetched.then(() => Promise.reject(new Error('fetch failed')));
    };
    const stream = encode(result);
    for (let i = 0; i < piecesBefore; i++) expect((await stream.next()).done).toBe(false);
    expect(calls).toBe(failingFetch);
    // Suspended at the yield while the fetch fails.
    await failed;
    await aTurnOfTheEventLoop();
    await aTurnOfTheEventLoop();
    expect(unhandled).toEqual([]);
    await expect(stream.next()).rejects.toThrow('fetch failed');
    await aTurnOfTheEventLoop();
    expect(unhandled).toEqual([]);
    expect((await db.connection.runAndReadAll('select 42 x')).getRows()).toEqual([[42]]);
  });

  test('a query that fails mid-stream while the consumer is suspended ends in StreamFailedError', async () => {
    const result = await db.connection.stream(
      `select case when i = 1000000 then error('late failure') else i end v from range(3000000) t(i)`,
    );
    const pieces = async () => {
      for await (const _piece of encode(result)) await aTurnOfTheEventLoop();
    };
    await expect(pieces()).rejects.toBeInstanceOf(StreamFailedError);
    expect(unhandled).toEqual([]);
    expect((await db.connection.runAndReadAll('select 7 x')).getRows()).toEqual([[7]]);
  });
});

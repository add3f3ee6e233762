// Compressed batches are compressed a bounded number ahead of the one handed on
// (src/arrow/piece-lookahead.ts): memory stays at that many batches however slow the consumer,
// the pieces keep their order, and an early stop closes the source.
import { tableFromIPC } from 'apache-arrow';
import { expect, test } from 'vitest';
import { BATCH_GROWTH, BATCH_TARGET_ROWS, encodeArrowPieces } from '../src/arrow/encode-result.js';
import type { ArrowPiece } from '../src/arrow/encode-result.js';
import { PIECES_AHEAD, readPiecesAhead } from '../src/arrow/piece-lookahead.js';
import { concatBytes } from './arrow-helpers.js';
import { registerArrowCodecs } from './support/stream-reader.js';
import { useDuckDB } from './support/duckdb-fixture.js';

const db = useDuckDB();

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A source of `count` batch pieces whose bytes resolve only when the test says so. */
function heldPieces(count: number) {
  const release: Array<() => void> = [];
  let pulled = 0;
  let closed = false;
  async function* pieces(): AsyncGenerator<ArrowPiece, void, undefined> {
    try {
      for (let i = 0; i < count; i++) {
        pulled++;
        const bytes = new Promise<Uint8Array>((resolve) => release.push(() => resolve(new Uint8Array([i]))));
        yield { kind: 'batch', rows: 1, bytes };
      }
    } finally {
      closed = true;
    }
  }
  return {
    pieces: pieces(),
    release,
    get pulled() {
      return pulled;
    },
    get closed() {
      return closed;
    },
  };
}

test('a consumer waiting on the first piece holds at most PIECES_AHEAD + 1 pieces in flight', async () => {
  const source = heldPieces(20);
  const ahead = readPiecesAhead(source.pieces);
  const first = ahead.next();
  for (let i = 0; i < 5; i++) await settle();
  expect(source.pulled).toBe(PIECES_AHEAD + 1);
  source.release[0]!();
  expect((await first).value?.bytes).toEqual(new Uint8Array([0]));
  // Handing one on lets one more start; the consumer not asking for more stops the reading.
  for (let i = 0; i < 5; i++) await settle();
  expect(source.pulled).toBe(PIECES_AHEAD + 1);
  const second = ahead.next();
  for (let i = 0; i < 5; i++) await settle();
  expect(source.pulled).toBe(PIECES_AHEAD + 2);
  source.release[1]!();
  expect((await second).value?.bytes).toEqual(new Uint8Array([1]));
  // Stopping early closes the source once the pieces in flight are settled.
  const stopped = ahead.return(undefined);
  for (const release of source.release) release();
  await stopped;
  expect(source.closed).toBe(true);
});

test('with no read-ahead (a paced cursor) only the piece being handed on is in flight', async () => {
  const source = heldPieces(5);
  const ahead = readPiecesAhead(source.pieces, 0);
  const first = ahead.next();
  for (let i = 0; i < 5; i++) await settle();
  expect(source.pulled).toBe(1);
  source.release[0]!();
  await first;
  await ahead.return(undefined);
});

test('a compressed DuckDB result is read ahead within the bound and decodes to its rows in order', async () => {
  registerArrowCodecs();
  const rows = 700_000; // 6 batches of at most 122,880 rows
  const result = await db.connection.stream(`select i, i * 2 as j from range(${rows}) t(i)`);
  const inFlight: number[] = [];
  const bytes: Uint8Array[] = [];
  for await (const piece of readPiecesAhead(encodeArrowPieces(result, { compression: 'zstd' }), PIECES_AHEAD, (n) =>
    inFlight.push(n),
  )) {
    bytes.push(piece.bytes);
  }
  expect(Math.max(...inFlight)).toBe(PIECES_AHEAD + 1);
  const table = tableFromIPC(concatBytes(bytes));
  expect(table.numRows).toBe(rows);
  const i = table.getChild('i')!;
  expect(Number(i.get(0))).toBe(0);
  expect(Number(i.get(rows - 1))).toBe(rows - 1);
  expect(Number(table.getChild('j')!.get(rows - 1))).toBe((rows - 1) * 2);
});

test('a streamed result (growBatches) sends 2,048 rows first, then batches ×BATCH_GROWTH up to BATCH_TARGET_ROWS', async () => {
  const result = await db.connection.stream('select i from range(400000) t(i)');
  const sizes: number[] = [];
  for await (const piece of encodeArrowPieces(result, { growBatches: true })) {
    if (piece.kind === 'batch') sizes.push(piece.rows);
  }
  expect(sizes.slice(0, 3)).toEqual([2048, 2048 * BATCH_GROWTH, BATCH_TARGET_ROWS]);
  expect(sizes.reduce((a, b) => a + b, 0)).toBe(400_000);
});

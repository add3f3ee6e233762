// The one loop that turns a DuckDB result into the pieces of a reply, whatever the format: it
// fetches chunks one ahead, enforces the row and byte limits, tells a real end of the stream from
// a failure, and leaves the result idle when it stops early. Arrow and JSON plug in a
// {@link ChunkEncoder}, which only says how chunks become bytes.
import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import { assertStreamCompleted } from '../database/stream-end.js';
import { ResultTooLargeError } from '../errors.js';

/** Limits of one result; absent means none. */
export interface ResultLimits {
  /** Fail with a ResultTooLargeError once the result has more rows than this. */
  readonly maxRows?: number;
  /** Fail with a ResultTooLargeError before a piece that would take the output past this many bytes. */
  readonly maxBytes?: number;
}

/**
 * Paces a result (a duckwire.v1 cursor): the pump hands on at most `allowance` rows, then waits
 * for more before it asks DuckDB for anything else. A chunk that holds more rows than are allowed
 * is split: the rest is kept (the chunk stays alive) and encoded after the wait.
 */
export interface RowPacer {
  /** Rows to hand on before the first pause (at least 1). */
  readonly allowance: number;
  /**
   * Called once the allowance is used up and every piece holding those rows was yielded (and
   * taken by the consumer); `rows` is the number of rows handed on so far. Resolves with the next
   * allowance (at least 1), or rejects to end the result (a timeout, a cancellation).
   */
  pause(rows: number): Promise<number>;
}

/**
 * How one output format turns the chunks of a result into pieces (Arrow IPC messages, JSON text).
 * {@link pumpResult} makes one per result and calls `start` once, `encode` for every chunk, then `flush` and `end`.
 */
export interface ChunkEncoder<Piece> {
  /** Bytes of all pieces returned so far, as they count against `maxBytes`. */
  readonly byteCount: number;
  /** The piece to send before any chunk is fetched (e.g. an Arrow schema), or undefined. */
  start(): Piece | undefined;
  /**
   * Takes `rowCount` rows of one chunk, from row `firstRow` on (0 and all of its rows unless the
   * result is paced); the chunk's memory is valid only during the call. Returns a piece ready to
   * send, or undefined.
   */
  encode(chunk: DuckDBDataChunk, rowCount: number, firstRow: number): Piece | undefined;
  /** After the last chunk: what is still held back (e.g. a partly filled Arrow batch), or undefined. */
  flush(): Piece | undefined;
  /** The piece that closes the output (Arrow's end-of-stream marker, JSON's `]`). */
  end(): Piece;
}

/**
 * Yields the pieces that the encoder made by `makeEncoder` makes of `result`'s rows. The encoder is
 * made on the first `next()`, so that an error of its making (e.g. an unsupported column type)
 * is thrown there, like every other error of the output.
 *
 * Chunks are fetched one ahead: the next `fetchChunk()` runs in DuckDB while the current chunk is
 * encoded (and while the consumer handles the piece). Errors of `fetchChunk()` propagate, also
 * when the fetch fails while the generator is suspended at a `yield` (it never counts as an
 * unhandled rejection). A stream that ends because its query failed (DuckDB ends it like a
 * complete one) throws a StreamFailedError; an interrupted one ends normally: telling that apart
 * is the caller's job. When the generator ends early (error, limit or `return()`), it waits for a
 * fetch still in flight, so that the result's connection is idle once it is done.
 *
 * @throws ResultTooLargeError when the result has more than `maxRows` rows (before its rows are
 *   encoded), or before yielding a piece that would take the output past `maxBytes`.
 */
export async function* pumpResult<Piece>(
  result: DuckDBResult,
  makeEncoder: () => ChunkEncoder<Piece>,
  limits: ResultLimits = {},
  pacer?: RowPacer,
): AsyncGenerator<Piece, void, undefined> {
  const maxRows = limits.maxRows ?? Number.POSITIVE_INFINITY;
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  const encoder = makeEncoder();
  const withinBytes = (piece: Piece): Piece => {
    if (encoder.byteCount > maxBytes)
      throw new ResultTooLargeError(`The result exceeds the limit of ${maxBytes} bytes`);
    return piece;
  };

  const head = encoder.start();
  if (head !== undefined) yield withinBytes(head);

  let rows = 0;
  // Rows still to hand on before the pacer pauses the result (unpaced: no end).
  let allowance = pacer ? pacer.allowance : Number.POSITIVE_INFINITY;
  // The part of a chunk that a pause split off, encoded once the result goes on.
  let kept: { readonly chunk: DuckDBDataChunk; readonly from: number } | undefined;
  let pending: Promise<DuckDBDataChunk | null> | undefined = result.fetchChunk();
  try {
    for (;;) {
      let chunk: DuckDBDataChunk | null;
      let from = 0;
      if (kept) {
        ({ chunk, from } = kept);
        kept = undefined;
      } else {
        chunk = await pending!;
        pending = undefined;
        if (chunk === null || chunk.rowCount === 0) {
          assertStreamCompleted(result);
          break;
        }
        if (rows + chunk.rowCount > maxRows)
          throw new ResultTooLargeError(`The result has more than the limit of ${maxRows} rows`);
      }
      const available = chunk.rowCount - from;
      const take = Math.min(available, allowance);
      if (take < available) kept = { chunk, from: from + take };
      rows += take;
      allowance -= take;
      // Fetch one ahead only when more rows are wanted: a paused result computes nothing more.
      if (!kept && allowance > 0) pending = result.fetchChunk();
      const piece = encoder.encode(chunk, take, from);
      if (piece !== undefined) {
        // Suspended at the yield, the fetch may fail before anyone awaits it: that must not count
        // as an unhandled rejection (it is still thrown where `pending` is awaited).
        pending?.catch(ignore);
        yield withinBytes(piece);
      }
      if (allowance === 0 && pacer) {
        const rest = encoder.flush();
        if (rest !== undefined) yield withinBytes(rest);
        allowance = await pacer.pause(rows);
        if (!kept) pending = result.fetchChunk();
      }
    }
  } finally {
    // Leaving early: let a fetch in flight settle, so that the connection is idle when the caller
    // gets control back. Its outcome no longer matters.
    if (pending !== undefined) await pending.catch(ignore);
  }
  const rest = encoder.flush();
  if (rest !== undefined) yield withinBytes(rest);
  yield withinBytes(encoder.end());
}

function ignore(): undefined {
  return undefined;
}

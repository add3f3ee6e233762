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
 * How one output format turns the chunks of a result into pieces (Arrow IPC messages, JSON text).
 * {@link pumpResult} makes one per result and calls `start` once, `encode` for every chunk, then `flush` and `end`.
 */
export interface ChunkEncoder<Piece> {
  /** Bytes of all pieces returned so far, as they count against `maxBytes`. */
  readonly byteCount: number;
  /** The piece to send before any chunk is fetched (e.g. an Arrow schema), or undefined. */
  start(): Piece | undefined;
  /** Takes the rows of one chunk (its memory is valid only during the call); returns a piece ready to send, or undefined. */
  encode(chunk: DuckDBDataChunk, rowCount: number): Piece | undefined;
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
  let pending: Promise<DuckDBDataChunk | null> | undefined = result.fetchChunk();
  try {
    for (;;) {
      const chunk: DuckDBDataChunk | null = await pending;
      pending = undefined;
      const rowCount = chunk === null ? 0 : chunk.rowCount;
      if (chunk === null || rowCount === 0) {
        assertStreamCompleted(result);
        break;
      }
      rows += rowCount;
      if (rows > maxRows) throw new ResultTooLargeError(`The result has more than the limit of ${maxRows} rows`);
      pending = result.fetchChunk();
      const piece = encoder.encode(chunk, rowCount);
      if (piece !== undefined) {
        // Suspended at the yield, the fetch may fail before anyone awaits it: that must not count
        // as an unhandled rejection (it is still thrown where `pending` is awaited).
        pending.catch(ignore);
        yield withinBytes(piece);
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

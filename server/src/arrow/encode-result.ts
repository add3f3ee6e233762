import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import { ResultTooLargeError } from '../errors.js';
import { abortTailBytes } from './abort-tail.js';
import { BatchEncoder } from './batch-encoder.js';
import { arrowBufferPool, type BufferPool } from './buffer-pool.js';

export { releaseArrowPiece } from './buffer-pool.js';
import { encodeDictionaryMessage } from './dictionary-message.js';
import { endOfStreamMarker } from './ipc-message.js';
import { noteChunkBytesRead } from './native-memory.js';
import { resultShape } from './result-shape.js';
import { encodeSchemaMessage } from './schema-message.js';
import { assertStreamCompleted } from '../database/stream-end.js';

/** Options of {@link encodeArrowStream}. */
export interface ArrowEncodeOptions {
  /** Stop with a ResultTooLargeError once more rows than this would be sent. */
  readonly maxRows?: number;
  /** Stop with a ResultTooLargeError once more bytes than this would be sent. */
  readonly maxBytes?: number;
  /**
   * Time zone written on TIMESTAMP WITH TIME ZONE columns (the values are UTC instants whatever
   * it is). DuckDB's own export writes the session's `TimeZone` setting; default `UTC`.
   */
  readonly timeZone?: string;
  /**
   * Where record batch messages are written: a buffer of this pool is reused only once it was
   * given back (`pool.give(piece)`, e.g. from `SocketWriter.sendStreamed`'s `onSent`), so a
   * consumer that keeps the pieces need not care. Default: the shared {@link arrowBufferPool}.
   */
  readonly bufferPool?: BufferPool;
}

/** A record batch is sent once it holds this many rows (60 DuckDB chunks of 2048)… */
export const BATCH_TARGET_ROWS = 60 * 2048;
/** …or this many body bytes, whichever comes first. */
export const BATCH_TARGET_BYTES = 16 * 1024 * 1024;

/**
 * Yields the bytes of one Arrow IPC stream for a DuckDB result, piece by piece as batches are
 * ready: the schema message first (with the dictionaries of ENUM columns), then record batch
 * messages, then the end-of-stream marker. Concatenated, the pieces are a complete IPC stream.
 *
 * Chunks are fetched one ahead: the next `fetchChunk()` runs in DuckDB while the current chunk
 * is copied out. Errors of `fetchChunk()` propagate. A result that ends early (e.g. an
 * interrupted streaming query, which DuckDB ends with an empty chunk) ends the stream normally:
 * telling the two apart is the caller's job.
 *
 * @throws UnsupportedTypeError (before yielding anything) for a column type with no faithful
 *   Arrow encoding.
 * @throws ResultTooLargeError before yielding a batch that would exceed `maxRows` or `maxBytes`.
 */
export async function* encodeArrowStream(
  result: DuckDBResult,
  options: ArrowEncodeOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const shape = resultShape(result, options.timeZone ?? 'UTC');
  const batches = new BatchEncoder(shape.names, shape.types, options.timeZone ?? 'UTC');
  const pool = options.bufferPool ?? arrowBufferPool;
  const allocate = (size: number) => pool.take(size);

  let sentBytes = 0;
  let sentRows = 0;
  const checkBytes = (bytes: number): void => {
    if (sentBytes + bytes > maxBytes) {
      throw new ResultTooLargeError(`The result exceeds the limit of ${maxBytes} bytes`);
    }
    sentBytes += bytes;
  };

  shape.head ??= joinBytes([encodeSchemaMessage(batches.schema), ...batches.dictionaries.map(encodeDictionaryMessage)]);
  const head = shape.head;
  checkBytes(head.byteLength);
  yield head;

  let pending: Promise<DuckDBDataChunk | null> | null = result.fetchChunk();
  try {
    for (;;) {
      const chunk: DuckDBDataChunk | null = await pending;
      pending = null;
      const rowCount = chunk === null ? 0 : chunk.rowCount;
      if (chunk === null || rowCount === 0) {
        assertStreamCompleted(result);
        break;
      }
      pending = result.fetchChunk();
      sentRows += rowCount;
      if (sentRows > maxRows) {
        throw new ResultTooLargeError(`The result exceeds the limit of ${maxRows} rows`);
      }
      const bytesBefore = batches.byteLength;
      batches.append(chunk.chunk, rowCount);
      const bytes = batches.byteLength;
      noteChunkBytesRead(bytes - bytesBefore);
      if (batches.rowCount >= BATCH_TARGET_ROWS || bytes >= BATCH_TARGET_BYTES) {
        const message = batches.flush(allocate);
        checkBytes(message.byteLength);
        yield message;
      }
    }
    if (batches.rowCount > 0) {
      const message = batches.flush(allocate);
      checkBytes(message.byteLength);
      yield message;
    }
  } finally {
    // Leaving early (error, or the consumer stopped): let a fetch in flight settle, so that the
    // connection is idle when the caller gets control back. Its outcome no longer matters.
    if (pending !== null) await pending.catch(() => null);
  }
  const eos = endOfStreamMarker();
  checkBytes(eos.byteLength);
  yield eos;
}

/**
 * Bytes that, appended to a partly sent IPC stream, make every Arrow reader reject the whole
 * stream, so that a result cut short mid-stream is never decoded as a complete (partial) table.
 * (A stream that simply stops is read as a complete, shorter table by apache-arrow.) They form
 * a message header announcing ~2 GiB of metadata that never comes.
 */
export function arrowAbortTail(): Uint8Array {
  return abortTailBytes();
}

function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let total = 0;
  for (const part of parts) total += part.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

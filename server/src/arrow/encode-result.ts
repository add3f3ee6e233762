// Arrow results: the Arrow half of the result pump — how DuckDB chunks become the messages of
// one Arrow IPC stream (schema, record batches of many chunks, end-of-stream marker).
import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import { BatchEncoder } from './batch-encoder.js';
import { arrowBufferPool, type BufferPool } from './buffer-pool.js';
import { encodeDictionaryMessage } from './dictionary-message.js';
import { endOfStreamMarker, type MessageAllocator } from './ipc-message.js';
import { noteChunkBytesRead } from './native-memory.js';
import { type ResultShape, resultShape } from './result-shape.js';
import { encodeSchemaMessage } from './schema-message.js';
import { type ChunkEncoder, pumpResult, type ResultLimits } from '../result/pump.js';

/** Options of {@link encodeArrowStream}. */
export interface ArrowEncodeOptions extends ResultLimits {
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
 * The loop (fetching ahead, limits, the end of the stream) is {@link pumpResult}'s.
 *
 * @throws UnsupportedTypeError (before yielding anything) for a column type with no faithful
 *   Arrow encoding.
 * @throws ResultTooLargeError before yielding a batch that would exceed `maxRows` or `maxBytes`.
 */
export function encodeArrowStream(
  result: DuckDBResult,
  options: ArrowEncodeOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  return pumpResult(result, () => new ArrowChunkEncoder(result, options), options);
}

/** Turns chunks into Arrow IPC messages: DuckDB chunks are gathered into record batches of about {@link BATCH_TARGET_ROWS} rows. */
class ArrowChunkEncoder implements ChunkEncoder<Uint8Array> {
  byteCount = 0;
  readonly #shape: ResultShape;
  readonly #batches: BatchEncoder;
  readonly #allocate: MessageAllocator;

  /** @throws UnsupportedTypeError for a column type with no faithful Arrow encoding. */
  constructor(result: DuckDBResult, options: ArrowEncodeOptions) {
    const timeZone = options.timeZone ?? 'UTC';
    this.#shape = resultShape(result, timeZone);
    this.#batches = new BatchEncoder(this.#shape.names, this.#shape.types, timeZone);
    const pool = options.bufferPool ?? arrowBufferPool;
    this.#allocate = (size) => pool.take(size);
  }

  start(): Uint8Array {
    const batches = this.#batches;
    this.#shape.head ??= joinBytes([
      encodeSchemaMessage(batches.schema),
      ...batches.dictionaries.map(encodeDictionaryMessage),
    ]);
    return this.#counted(this.#shape.head);
  }

  encode(chunk: DuckDBDataChunk, rowCount: number): Uint8Array | undefined {
    const batches = this.#batches;
    const bytesBefore = batches.byteLength;
    batches.append(chunk.chunk, rowCount);
    const bytes = batches.byteLength;
    noteChunkBytesRead(bytes - bytesBefore);
    if (batches.rowCount >= BATCH_TARGET_ROWS || bytes >= BATCH_TARGET_BYTES)
      return this.#counted(batches.flush(this.#allocate));
    return undefined;
  }

  flush(): Uint8Array | undefined {
    return this.#batches.rowCount > 0 ? this.#counted(this.#batches.flush(this.#allocate)) : undefined;
  }

  end(): Uint8Array {
    return this.#counted(endOfStreamMarker());
  }

  #counted(piece: Uint8Array): Uint8Array {
    this.byteCount += piece.byteLength;
    return piece;
  }
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

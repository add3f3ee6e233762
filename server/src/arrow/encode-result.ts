// Arrow results: the Arrow half of the result pump — how DuckDB chunks become the messages of
// one Arrow IPC stream (schema, record batches of many chunks, end-of-stream marker).
import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import { BatchEncoder } from './batch-encoder.js';
import { arrowBufferPool, type BufferPool } from './buffer-pool.js';
import { encodeDictionaryMessage } from './dictionary-message.js';
import { ARROW_CODEC_ID, type CompressionCodec, compressBody, detachBody } from './body-compression.js';
import { encodeBatchMessage, endOfStreamMarker, type MessageAllocator } from './ipc-message.js';
import { noteChunkBytesRead } from './native-memory.js';
import { readPiecesAhead } from './piece-lookahead.js';
import { type ResultShape, resultShape } from './result-shape.js';
import { encodeSchemaMessage } from './schema-message.js';
import { type ChunkEncoder, pumpResult, type ResultLimits, type RowPacer } from '../result/pump.js';

/** Options of {@link encodeArrowStream} and {@link encodeArrowPieces}. */
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
  /**
   * Arrow IPC body compression of the record batches (the schema and dictionaries stay plain).
   * The byte limit counts the uncompressed bodies. Default: none.
   */
  readonly compression?: CompressionCodec;
  /**
   * Send the first record batch as soon as the first DuckDB chunk is read, then batches growing
   * large (×{@link BATCH_GROWTH}) each time up to the usual size (a streamed result: time to first
   * rows). Default: false, every batch is of the usual size.
   */
  readonly growBatches?: boolean;
}

/** A record batch is sent once it holds this many rows (60 DuckDB chunks of 2048)… */
export const BATCH_TARGET_ROWS = 60 * 2048;
/** …or this many body bytes, whichever comes first. */
export const BATCH_TARGET_BYTES = 16 * 1024 * 1024;

/**
 * A streamed result's batches grow by this factor up to {@link BATCH_TARGET_ROWS}: 2,048 rows, then
 * 16,384, then 122,880 (doubling took 6 batches to get there, and small frames cost time end to end).
 */
export const BATCH_GROWTH = 8;

/** One piece of an Arrow result, as {@link encodeArrowPieces} yields it. */
export interface ArrowPiece {
  /** `head`: the schema and dictionary messages; `batch`: one record batch message; `end`: the end-of-stream marker. */
  readonly kind: 'head' | 'batch' | 'end';
  /** The bytes: a promise while a compressed batch is still being compressed (await it at once). */
  readonly bytes: Uint8Array | Promise<Uint8Array>;
  /** Rows in a batch (0 for the head and the end). */
  readonly rows: number;
}

/**
 * Yields the pieces of one Arrow IPC stream for a DuckDB result as batches are ready: the head
 * (schema message, with the dictionaries of ENUM columns), record batch messages, then the
 * end-of-stream marker. The bytes of the pieces concatenated are a complete IPC stream. The loop
 * (fetching ahead, limits, pacing, the end of the stream) is {@link pumpResult}'s; with a
 * `pacer`, a batch ends wherever the pacer pauses the result.
 *
 * @throws UnsupportedTypeError (before yielding anything) for a column type with no faithful
 *   Arrow encoding.
 * @throws ResultTooLargeError before yielding a batch that would exceed `maxRows` or `maxBytes`.
 */
export function encodeArrowPieces(
  result: DuckDBResult,
  options: ArrowEncodeOptions = {},
  pacer?: RowPacer,
): AsyncGenerator<ArrowPiece, void, undefined> {
  return pumpResult(result, () => new ArrowChunkEncoder(result, options), options, pacer);
}

/**
 * Yields the bytes of one Arrow IPC stream for a DuckDB result, piece by piece as batches are
 * ready (see {@link encodeArrowPieces}). Concatenated, the pieces are a complete IPC stream.
 * Compressed batches are compressed a few ahead of the one handed on (see {@link readPiecesAhead}).
 */
export async function* encodeArrowStream(
  result: DuckDBResult,
  options: ArrowEncodeOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const pieces = encodeArrowPieces(result, options);
  if (options.compression === undefined) {
    for await (const piece of pieces) yield piece.bytes as Uint8Array; // plain pieces are ready at once
    return;
  }
  for await (const piece of readPiecesAhead(pieces)) yield piece.bytes;
}

/** Turns chunks into Arrow IPC messages: DuckDB chunks are gathered into record batches of about {@link BATCH_TARGET_ROWS} rows. */
class ArrowChunkEncoder implements ChunkEncoder<ArrowPiece> {
  byteCount = 0;
  readonly #shape: ResultShape;
  readonly #batches: BatchEncoder;
  readonly #allocate: MessageAllocator;
  readonly #compression: CompressionCodec | undefined;
  readonly #growBatches: boolean;
  /** Rows at which the batch being built is sent. */
  #targetRows: number;

  /** @throws UnsupportedTypeError for a column type with no faithful Arrow encoding. */
  constructor(result: DuckDBResult, options: ArrowEncodeOptions) {
    const timeZone = options.timeZone ?? 'UTC';
    this.#shape = resultShape(result, timeZone);
    this.#batches = new BatchEncoder(this.#shape.names, this.#shape.types, timeZone);
    const pool = options.bufferPool ?? arrowBufferPool;
    this.#allocate = (size) => pool.take(size);
    this.#compression = options.compression;
    this.#growBatches = options.growBatches ?? false;
    this.#targetRows = this.#growBatches ? 1 : BATCH_TARGET_ROWS;
  }

  start(): ArrowPiece {
    const batches = this.#batches;
    this.#shape.head ??= joinBytes([
      encodeSchemaMessage(batches.schema),
      ...batches.dictionaries.map(encodeDictionaryMessage),
    ]);
    this.byteCount += this.#shape.head.byteLength;
    return { kind: 'head', bytes: this.#shape.head, rows: 0 };
  }

  encode(chunk: DuckDBDataChunk, rowCount: number, firstRow: number): ArrowPiece | undefined {
    const batches = this.#batches;
    const bytesBefore = batches.byteLength;
    batches.append(chunk.chunk, rowCount, firstRow, chunk.rowCount);
    const bytes = batches.byteLength;
    noteChunkBytesRead(bytes - bytesBefore);
    if (batches.rowCount >= this.#targetRows || bytes >= BATCH_TARGET_BYTES) return this.#batch();
    return undefined;
  }

  flush(): ArrowPiece | undefined {
    return this.#batches.rowCount > 0 ? this.#batch() : undefined;
  }

  end(): ArrowPiece {
    const marker = endOfStreamMarker();
    this.byteCount += marker.byteLength;
    return { kind: 'end', bytes: marker, rows: 0 };
  }

  #batch(): ArrowPiece {
    const batches = this.#batches;
    if (this.#growBatches) {
      this.#targetRows = Math.min(BATCH_TARGET_ROWS, Math.max(2048, batches.rowCount) * BATCH_GROWTH);
    }
    if (this.#compression === undefined) {
      const rows = batches.rowCount;
      const bytes = batches.flush(this.#allocate);
      this.byteCount += bytes.byteLength;
      return { kind: 'batch', bytes, rows };
    }
    const { rows, body } = batches.flushBody();
    const codec = this.#compression;
    const allocate = this.#allocate;
    const detached = detachBody(body);
    // The limits count what the batch would be uncompressed: its body.
    for (const buffer of detached.buffers) this.byteCount += buffer.byteLength;
    const bytes = compressBody(detached, codec).then((compressed) =>
      encodeBatchMessage(rows, compressed, undefined, allocate, ARROW_CODEC_ID[codec]),
    );
    return { kind: 'batch', bytes, rows };
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

// STUB — owned by the Arrow encoder work; replace wholesale.
import type { DuckDBResult } from '@duckdb/node-api';

/** Options of {@link encodeArrowStream}. */
export interface ArrowEncodeOptions {
  /** Stop with a ResultTooLargeError once more rows than this would be sent. */
  readonly maxRows?: number;
  /** Stop with a ResultTooLargeError once more bytes than this would be sent. */
  readonly maxBytes?: number;
}

/**
 * Yields the bytes of one Arrow IPC stream for a DuckDB result, piece by piece as batches are
 * ready: the schema message first, then record batch messages, then the end-of-stream marker.
 * Concatenated, the pieces are a complete IPC stream.
 */
export async function* encodeArrowStream(
  _result: DuckDBResult,
  _options: ArrowEncodeOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  yield new Uint8Array(0);
  throw new Error('not implemented');
}

/**
 * Bytes that, appended to a partly sent IPC stream, make every Arrow reader reject the whole
 * stream, so that a result cut short mid-stream is never decoded as a complete (partial) table.
 */
export function arrowAbortTail(): Uint8Array {
  return new Uint8Array(0);
}

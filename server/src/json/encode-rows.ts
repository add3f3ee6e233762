// STUB — owned by the JSON encoder work; replace wholesale.
import type { DuckDBResult } from '@duckdb/node-api';

/** Options of {@link encodeJsonRows}. */
export interface JsonEncodeOptions {
  readonly maxRows?: number;
  readonly maxBytes?: number;
}

/**
 * Yields the text of a JSON array of row objects for a DuckDB result, piece by piece: the pieces
 * concatenated are the whole array (`[` … `]`). Integers of every width are JSON numbers with all
 * their digits.
 */
export async function* encodeJsonRows(
  _result: DuckDBResult,
  _options: JsonEncodeOptions = {},
): AsyncGenerator<string, void, undefined> {
  yield '[';
  throw new Error('not implemented');
}

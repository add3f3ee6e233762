import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import { ResultTooLargeError } from '../errors.js';
import { uniqueColumnNames } from './column-names.js';
import { type JsonVectorEncoder, jsonVectorEncoderForType } from './vector-encoders.js';
import { assertStreamCompleted } from '../database/stream-end.js';

/** Options of {@link encodeJsonRows}. */
export interface JsonEncodeOptions {
  /** Fail with a ResultTooLargeError once the result has more rows than this. */
  readonly maxRows?: number;
  /** Fail with a ResultTooLargeError once the JSON text would exceed this many UTF-8 bytes. */
  readonly maxBytes?: number;
}

/** How to write one row: the key text of each column (with its separator) and its encoder. */
interface RowPlan {
  readonly keys: readonly string[];
  readonly encoders: readonly JsonVectorEncoder[];
}

function planRows(result: DuckDBResult): RowPlan {
  const names = uniqueColumnNames(result.columnNames());
  const types = result.columnTypes();
  return {
    keys: names.map((name, i) => `${i > 0 ? ',' : ''}${JSON.stringify(name)}:`),
    encoders: types.map((type, i) => jsonVectorEncoderForType(type, names[i]!)),
  };
}

/** The rows of one chunk as JSON objects separated by commas (no brackets). */
function encodeChunk(plan: RowPlan, chunk: DuckDBDataChunk): string {
  const { keys, encoders } = plan;
  const columnCount = keys.length;
  const vectors = Array.from({ length: columnCount }, (_, i) => chunk.getColumnVector(i));
  const rowCount = chunk.rowCount;
  const rows: string[] = new Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    let text = '{';
    for (let col = 0; col < columnCount; col++) {
      text += keys[col]! + encoders[col]!(vectors[col]!, row);
    }
    rows[row] = `${text}}`;
  }
  return rows.join(',');
}

/**
 * Starts fetching the next chunk. The promise is marked handled at once: a rejection that happens
 * while the generator is suspended at a `yield` must not count as unhandled (it is still thrown
 * where the promise is awaited).
 */
function fetchNext(result: DuckDBResult): Promise<DuckDBDataChunk | null> {
  const promise = result.fetchChunk();
  promise.catch(() => undefined);
  return promise;
}

/**
 * Yields the text of a JSON array of row objects for a DuckDB result, piece by piece: the pieces
 * concatenated are the whole array (`[` … `]`, `[]` when there are no rows). Nothing is yielded
 * before the first chunk has been read, so a query that fails early yields no text at all.
 *
 * Chunks are pulled with `result.fetchChunk()`, the next one being fetched while the current one
 * is converted; each yielded piece holds one chunk's rows. Integers of every width are JSON
 * numbers with all their digits (never rounded through a double); the encoding of every type is
 * documented in `docs/json-encoding.md`. Duplicate column names get `_1`, `_2`… suffixes.
 *
 * Errors from `fetchChunk` propagate unchanged. When the generator ends early (error, limit or
 * `return()`), it waits for a fetch still in flight, so that the result is idle once it is done.
 *
 * @param result - a streaming or materialized result; its rows are consumed.
 * @param options - optional row and byte limits.
 * @throws ResultTooLargeError when the result has more than `maxRows` rows or its JSON text
 *   would exceed `maxBytes` UTF-8 bytes (checked before the piece that would cross it is yielded).
 * @throws UnsupportedTypeError when a column has a type JSON cannot carry (before any text).
 */
export async function* encodeJsonRows(
  result: DuckDBResult,
  options: JsonEncodeOptions = {},
): AsyncGenerator<string, void, undefined> {
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const plan = planRows(result);
  let rows = 0;
  let bytes = 0;
  let first = true;

  const account = (piece: string): void => {
    bytes += Buffer.byteLength(piece, 'utf8');
    if (bytes > maxBytes) {
      throw new ResultTooLargeError(`result is larger than the limit of ${maxBytes} bytes of JSON`);
    }
  };

  let pending: Promise<DuckDBDataChunk | null> | undefined = fetchNext(result);
  try {
    for (;;) {
      const chunk: DuckDBDataChunk | null = await pending;
      pending = undefined;
      if (chunk === null || chunk.rowCount === 0) {
        assertStreamCompleted(result);
        break;
      }
      rows += chunk.rowCount;
      if (rows > maxRows) {
        throw new ResultTooLargeError(`result has more than the limit of ${maxRows} rows`);
      }
      pending = fetchNext(result);
      const piece = (first ? '[' : ',') + encodeChunk(plan, chunk);
      first = false;
      account(piece);
      yield piece;
    }
    const tail = first ? '[]' : ']';
    account(tail);
    yield tail;
  } finally {
    if (pending)
      await pending.then(
        () => undefined,
        () => undefined,
      );
  }
}

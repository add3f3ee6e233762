import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import { ResultTooLargeError } from '../errors.js';
import { uniqueColumnNames } from './column-names.js';
import { type ColumnWriter, jsonColumnWriterForType, type RowWriter } from './column-writers.js';
import { JsonOut, type JsonTextMode } from './json-out.js';
import { assertStreamCompleted } from '../database/stream-end.js';

/** Options of {@link encodeJsonRows}. */
export interface JsonEncodeOptions {
  /** Fail with a ResultTooLargeError once the result has more rows than this. */
  readonly maxRows?: number;
  /** Fail with a ResultTooLargeError once the JSON text would exceed this many UTF-8 bytes. */
  readonly maxBytes?: number;
  /**
   * `plain` (the default): the pieces are the JSON text. `embedded`: each piece is that text
   * escaped as the body of a JSON string literal — exactly `JSON.stringify(piece).slice(1, -1)`
   * of the plain piece — for putting the rows inside a string of a JSON message without a second
   * pass. The limits count the plain text's bytes either way.
   */
  readonly mode?: JsonTextMode;
}

/** How to write one row: the bytes of each column's key (with its separator) and its writer. */
interface RowPlan {
  readonly out: JsonOut;
  readonly keys: readonly Uint8Array[];
  readonly writers: readonly ColumnWriter[];
  /** False when a key has characters beyond ASCII. */
  readonly keysAscii: boolean;
  /** The bytes that escaping (embedded mode) adds to the keys of one row. */
  readonly keysExtra: number;
}

function planRows(result: DuckDBResult, mode: JsonTextMode): RowPlan {
  const out = new JsonOut(mode);
  const names = uniqueColumnNames(result.columnNames());
  const types = result.columnTypes();
  const plainKeys = names.map((name, i) => `${i > 0 ? ',' : ''}${JSON.stringify(name)}:`);
  const keys = plainKeys.map((key) => Buffer.from(out.escapeText(key), 'utf8'));
  out.slack = Math.max(0, ...keys.map((key) => key.length)) + 2;
  return {
    out,
    keys,
    writers: types.map((type, i) => jsonColumnWriterForType(type, names[i]!, out)),
    keysAscii: keys.every((key) => key.every((b) => b < 0x80)),
    keysExtra: keys.reduce((sum, key, i) => sum + key.length - Buffer.byteLength(plainKeys[i]!, 'utf8'), 0),
  };
}

const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;

/** Writes the rows of one chunk as JSON objects separated by commas (no brackets) to `plan.out`. */
function encodeChunk(plan: RowPlan, chunk: DuckDBDataChunk): void {
  const { out, keys, writers } = plan;
  const columnCount = keys.length;
  const rowCount = chunk.rowCount;
  const rowWriters: RowWriter[] = writers.map((writer, i) => writer(chunk, i, rowCount));
  if (!plan.keysAscii) out.ascii = false;
  out.extra += plan.keysExtra * rowCount;
  // `out.slack` covers a key and the punctuation around it: after each value written (every
  // writer ensures room for what it writes, plus the slack) they need no check of their own.
  for (let row = 0; row < rowCount; row++) {
    out.ensure(0);
    let buf = out.buf;
    let p = out.pos;
    if (row > 0) buf[p++] = COMMA;
    buf[p++] = OPEN_BRACE;
    for (let col = 0; col < columnCount; col++) {
      const key = keys[col]!;
      for (let i = 0; i < key.length; i++) buf[p++] = key[i]!;
      out.pos = p;
      rowWriters[col]!(row);
      buf = out.buf;
      p = out.pos;
    }
    buf[p++] = CLOSE_BRACE;
    out.pos = p;
  }
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
  const plan = planRows(result, options.mode ?? 'plain');
  const { out } = plan;
  let rows = 0;
  let bytes = 0;
  let first = true;

  const account = (pieceBytes: number): void => {
    bytes += pieceBytes;
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
      out.byte(first ? OPEN_BRACKET : COMMA);
      first = false;
      encodeChunk(plan, chunk);
      const piece = out.take();
      account(piece.plainBytes);
      yield piece.text;
    }
    const tail = first ? '[]' : ']';
    account(tail.length);
    yield tail;
  } finally {
    if (pending)
      await pending.then(
        () => undefined,
        () => undefined,
      );
  }
}

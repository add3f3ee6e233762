// JSON results: the JSON half of the result pump — how DuckDB chunks become the text of one
// JSON array of row objects.
import type { DuckDBDataChunk, DuckDBResult } from '@duckdb/node-api';
import { uniqueColumnNames } from './column-names.js';
import { type JsonColumnEncoder, jsonColumnEncoderForType, type JsonRowEncoder } from './column-encoders.js';
import { JsonOut, type JsonTextMode } from './json-out.js';
import type { JsonTemporal } from './temporal.js';
import { type ChunkEncoder, pumpResult, type ResultLimits } from '../result/pump.js';

/** Options of {@link encodeJsonRows}. */
export interface JsonEncodeOptions extends ResultLimits {
  /**
   * `plain` (the default): the pieces are the JSON text. `embedded`: each piece is that text
   * escaped as the body of a JSON string literal — exactly `JSON.stringify(piece).slice(1, -1)`
   * of the plain piece — for putting the rows inside a string of a JSON message without a second
   * pass. The limits count the plain text's bytes either way.
   */
  readonly mode?: JsonTextMode;
  /** How DATE, TIMESTAMP* and INTERVAL values are written: `iso` (the default) or `epochMs` (see `temporal.ts`). */
  readonly temporal?: JsonTemporal;
}

/** How to encode one row: the bytes of each column's key (with its separator) and its column encoder. */
interface RowPlan {
  readonly out: JsonOut;
  readonly keys: readonly Uint8Array[];
  readonly columns: readonly JsonColumnEncoder[];
  /** False when a key has characters beyond ASCII. */
  readonly keysAscii: boolean;
  /** The bytes that escaping (embedded mode) adds to the keys of one row. */
  readonly keysExtra: number;
}

function planRows(result: DuckDBResult, mode: JsonTextMode, temporal: JsonTemporal): RowPlan {
  const out = new JsonOut(mode);
  const names = uniqueColumnNames(result.columnNames());
  const types = result.columnTypes();
  const plainKeys = names.map((name, i) => `${i > 0 ? ',' : ''}${JSON.stringify(name)}:`);
  const keys = plainKeys.map((key) => Buffer.from(out.escapeText(key), 'utf8'));
  out.slack = Math.max(0, ...keys.map((key) => key.length)) + 2;
  return {
    out,
    keys,
    columns: types.map((type, i) => jsonColumnEncoderForType(type, names[i]!, out, temporal)),
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
  const { out, keys, columns } = plan;
  const columnCount = keys.length;
  const rowCount = chunk.rowCount;
  const rowEncoders: JsonRowEncoder[] = columns.map((column, i) => column(chunk, i, rowCount));
  if (!plan.keysAscii) out.ascii = false;
  out.extra += plan.keysExtra * rowCount;
  // `out.slack` covers a key and the punctuation around it: after each value written (every
  // row encoder ensures room for what it writes, plus the slack) they need no check of their own.
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
      rowEncoders[col]!(row);
      buf = out.buf;
      p = out.pos;
    }
    buf[p++] = CLOSE_BRACE;
    out.pos = p;
  }
}

/**
 * Yields the text of a JSON array of row objects for a DuckDB result, piece by piece: the pieces
 * concatenated are the whole array (`[` … `]`, `[]` when there are no rows). Nothing is yielded
 * before the first chunk has been read, so a query that fails early yields no text at all.
 *
 * Chunks are pulled by {@link pumpResult} (fetching ahead, limits, the end of the stream); each
 * yielded piece holds one chunk's rows. Integers of every width are JSON numbers with all their
 * digits (never rounded through a double); the encoding of every type is documented in
 * `docs/json-encoding.md`. Duplicate column names get `_1`, `_2`… suffixes.
 *
 * @param result - a streaming or materialized result; its rows are consumed.
 * @param options - optional row and byte limits.
 * @throws ResultTooLargeError when the result has more than `maxRows` rows or its JSON text
 *   would exceed `maxBytes` UTF-8 bytes (checked before the piece that would cross it is yielded).
 * @throws UnsupportedTypeError when a column has a type JSON cannot carry (before any text).
 */
export function encodeJsonRows(
  result: DuckDBResult,
  options: JsonEncodeOptions = {},
): AsyncGenerator<string, void, undefined> {
  const plan = () => planRows(result, options.mode ?? 'plain', options.temporal ?? 'iso');
  return pumpResult(result, () => new JsonChunkEncoder(plan()), options);
}

/** Turns each chunk into the text of its row objects, inside one JSON array. */
class JsonChunkEncoder implements ChunkEncoder<string> {
  /** UTF-8 bytes of the plain text of the pieces so far (also in embedded mode). */
  byteCount = 0;
  #first = true;

  constructor(private readonly plan: RowPlan) {}

  start(): undefined {
    return undefined;
  }

  encode(chunk: DuckDBDataChunk): string {
    const { out } = this.plan;
    out.byte(this.#first ? OPEN_BRACKET : COMMA);
    this.#first = false;
    encodeChunk(this.plan, chunk);
    const piece = out.take();
    this.byteCount += piece.plainBytes;
    return piece.text;
  }

  flush(): undefined {
    return undefined;
  }

  end(): string {
    const tail = this.#first ? '[]' : ']';
    this.byteCount += tail.length;
    return tail;
  }
}

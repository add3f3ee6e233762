/**
 * The first of the three tiers of the JSON encoding: per column, JSON text written byte by byte
 * straight from DuckDB's vector memory for the common types. What it does not cover goes to the
 * second tier, the vector encoders (`vector-encoders.ts`, over node-api vector objects), which
 * leave scalar values to the third, the value encoders (`value-encoders.ts`).
 */
import { type DuckDBDataChunk, type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import {
  BOOL_BYTES,
  chunkVector,
  readVectorData,
  readVectorValidity,
  STRING_INLINE_MAX,
  STRING_STRUCT_BYTES,
  StringHeapCopier,
} from '../database/vector-memory.js';
import { dateText } from './datetime-text.js';
import type { JsonTemporal } from './temporal.js';
import { DIGIT_PAIRS, type JsonOut, writeFixedDigits, writeInteger } from './json-out.js';
import { floatText } from './number-text.js';
import { type JsonVectorEncoder, jsonVectorEncoderForType } from './vector-encoders.js';

/** Writes the JSON text of one row of a column (NULL included) to the column's {@link JsonOut}. */
export type JsonRowEncoder = (row: number) => void;

/** Prepares, once per chunk, the {@link JsonRowEncoder} of one column of that chunk. */
export type JsonColumnEncoder = (chunk: DuckDBDataChunk, column: number, rowCount: number) => JsonRowEncoder;

/**
 * Chooses, once per column, how to encode its values as JSON text into `out`.
 *
 * Common fixed-width types (booleans, integers up to 64 bits, FLOAT, DOUBLE, DATE, TIME,
 * TIMESTAMP, TIMESTAMP_S/_MS, TIMESTAMPTZ) and VARCHAR are read straight from the vector's memory
 * (one copy per chunk, no value objects) and written as bytes; values these fast paths do not
 * cover (infinite dates, timestamps beyond ±2^53 units, integers beyond 2^53) and every other type
 * go through the vector encoders ({@link jsonVectorEncoderForType}), so the text is the same either
 * way: the rules are in `docs/json-encoding.md`.
 *
 * With `temporal: 'epochMs'` DATE and the TIMESTAMP types are written as epoch milliseconds
 * (see `temporal.ts`), INTERVAL through the vector encoders.
 *
 * @throws UnsupportedTypeError for types JSON results cannot carry.
 */
export function jsonColumnEncoderForType(
  type: DuckDBType,
  path: string,
  out: JsonOut,
  temporal: JsonTemporal = 'iso',
): JsonColumnEncoder {
  // Always built: it decides which types are refused, and writes what the fast paths leave.
  const slow = jsonVectorEncoderForType(type, path, temporal);
  if (temporal === 'epochMs') {
    switch (type.typeId) {
      case DuckDBTypeId.DATE:
        return epochMsEncoder(out, slow, 4, 86_400_000, 1);
      case DuckDBTypeId.TIMESTAMP:
      case DuckDBTypeId.TIMESTAMP_TZ:
        return epochMsEncoder(out, slow, 8, 1, 1000);
      case DuckDBTypeId.TIMESTAMP_MS:
        return epochMsEncoder(out, slow, 8, 1, 1);
      case DuckDBTypeId.TIMESTAMP_S:
        return epochMsEncoder(out, slow, 8, 1000, 1);
      case DuckDBTypeId.TIMESTAMP_NS:
        return epochMsEncoder(out, slow, 8, 1, 1_000_000);
      case DuckDBTypeId.INTERVAL:
        return slowEncoder(out, slow);
    }
  }
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return booleanEncoder(out);
    case DuckDBTypeId.TINYINT:
      return smallIntegerEncoder(out, 1, true);
    case DuckDBTypeId.SMALLINT:
      return smallIntegerEncoder(out, 2, true);
    case DuckDBTypeId.INTEGER:
      return smallIntegerEncoder(out, 4, true);
    case DuckDBTypeId.UTINYINT:
      return smallIntegerEncoder(out, 1, false);
    case DuckDBTypeId.USMALLINT:
      return smallIntegerEncoder(out, 2, false);
    case DuckDBTypeId.UINTEGER:
      return smallIntegerEncoder(out, 4, false);
    case DuckDBTypeId.BIGINT:
      return bigIntegerEncoder(out, true, slow);
    case DuckDBTypeId.UBIGINT:
      return bigIntegerEncoder(out, false, slow);
    case DuckDBTypeId.DOUBLE:
      return doubleEncoder(out);
    case DuckDBTypeId.FLOAT:
      return floatEncoder(out);
    case DuckDBTypeId.VARCHAR:
      return varcharEncoder(out);
    case DuckDBTypeId.DATE:
      return dateEncoder(out, slow);
    case DuckDBTypeId.TIMESTAMP:
      return timestampEncoder(out, slow, 1_000_000, 6, '');
    case DuckDBTypeId.TIMESTAMP_TZ:
      return timestampEncoder(out, slow, 1_000_000, 6, 'Z');
    case DuckDBTypeId.TIMESTAMP_MS:
      return timestampEncoder(out, slow, 1000, 3, '');
    case DuckDBTypeId.TIMESTAMP_S:
      return timestampEncoder(out, slow, 1, 0, '');
    case DuckDBTypeId.TIME:
      return timeEncoder(out, 1_000_000, 6);
    case DuckDBTypeId.TIME_NS:
      return timeEncoder(out, 1_000_000_000, 9);
    default:
      return slowEncoder(out, slow);
  }
}

/** A copy of the data (its first `byteCount` bytes) and of the validity mask of one column of a chunk. */
function readColumn(chunk: DuckDBDataChunk, column: number, rowCount: number, byteCount: number) {
  const vector = chunkVector(chunk.chunk, column);
  return { data: readVectorData(vector, byteCount), valid: readVectorValidity(vector, rowCount) };
}

// --- through the vector encoders ----------------------------------------------------------------

/** Encodes through the vector encoders; the vector object is made only when a row needs it. */
function slowRows(out: JsonOut, slow: JsonVectorEncoder, chunk: DuckDBDataChunk, column: number) {
  return (row: number): void => out.text(slow(chunk.getColumnVector(column), row));
}

function slowEncoder(out: JsonOut, slow: JsonVectorEncoder): JsonColumnEncoder {
  return (chunk, column) => slowRows(out, slow, chunk, column);
}

// --- fixed-width types ---------------------------------------------------------------------------

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];

function booleanEncoder(out: JsonOut): JsonColumnEncoder {
  const sizeofBool = BOOL_BYTES;
  return (chunk, column, rowCount) => {
    const { data, valid } = readColumn(chunk, column, rowCount, rowCount * sizeofBool);
    return (row) => {
      if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) {
        out.null();
        return;
      }
      let set = data[row * sizeofBool] !== 0;
      for (let k = 1; !set && k < sizeofBool; k++) set = data[row * sizeofBool + k] !== 0;
      out.bytes(set ? TRUE_BYTES : FALSE_BYTES);
    };
  };
}

const TRUE_BYTES = new Uint8Array(TRUE);
const FALSE_BYTES = new Uint8Array(FALSE);

type IntArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;

function smallIntegerEncoder(out: JsonOut, width: 1 | 2 | 4, signed: boolean): JsonColumnEncoder {
  return (chunk, column, rowCount) => {
    const { data, valid } = readColumn(chunk, column, rowCount, rowCount * width);
    const items: IntArray = intView(data, width, signed, rowCount);
    return (row) => {
      if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) {
        out.null();
        return;
      }
      out.ensure(11);
      out.pos = writeInteger(out.buf, out.pos, items[row]!);
    };
  };
}

function intView(data: Uint8Array, width: 1 | 2 | 4, signed: boolean, count: number): IntArray {
  const { buffer, byteOffset } = data;
  if (width === 1) return signed ? new Int8Array(buffer, byteOffset, count) : new Uint8Array(buffer, byteOffset, count);
  if (width === 2)
    return signed ? new Int16Array(buffer, byteOffset, count) : new Uint16Array(buffer, byteOffset, count);
  return signed ? new Int32Array(buffer, byteOffset, count) : new Uint32Array(buffer, byteOffset, count);
}

const TWO_32 = 4_294_967_296;
/** |hi| below this: hi · 2^32 + lo is below 2^53, exact as a double. */
const SAFE_HIGH = 2_097_152;

/** BIGINT / UBIGINT: numbers below 2^53 written arithmetically, larger ones as bigints. */
function bigIntegerEncoder(out: JsonOut, signed: boolean, slow: JsonVectorEncoder): JsonColumnEncoder {
  return (chunk, column, rowCount) => {
    const { data, valid } = readColumn(chunk, column, rowCount, rowCount * 8);
    const words = new Uint32Array(data.buffer, data.byteOffset, rowCount * 2);
    const slowRow = slowRows(out, slow, chunk, column);
    return (row) => {
      if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) {
        out.null();
        return;
      }
      const lo = words[2 * row]!;
      const hi = signed ? words[2 * row + 1]! | 0 : words[2 * row + 1]!;
      if (hi >= SAFE_HIGH || hi < -SAFE_HIGH) {
        slowRow(row);
        return;
      }
      out.ensure(20);
      out.pos = writeInteger(out.buf, out.pos, hi * TWO_32 + lo);
    };
  };
}

const MAX_EXACT = 9_007_199_254_740_992; // 2^53

function doubleEncoder(out: JsonOut): JsonColumnEncoder {
  return (chunk, column, rowCount) => {
    const { data, valid } = readColumn(chunk, column, rowCount, rowCount * 8);
    const items = new Float64Array(data.buffer, data.byteOffset, rowCount);
    return (row) => {
      if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) {
        out.null();
        return;
      }
      const value = items[row]!;
      // Integers up to 2^53 print as their digits (String(-0) is "0", as is this).
      if (value <= MAX_EXACT && value >= -MAX_EXACT && Math.trunc(value) === value) {
        out.ensure(20);
        out.pos = writeInteger(out.buf, out.pos, value);
      } else if (value - value === 0) {
        out.ascii7(String(value));
      } else {
        out.null(); // NaN, ±Infinity
      }
    };
  };
}

function floatEncoder(out: JsonOut): JsonColumnEncoder {
  return (chunk, column, rowCount) => {
    const { data, valid } = readColumn(chunk, column, rowCount, rowCount * 4);
    const items = new Float32Array(data.buffer, data.byteOffset, rowCount);
    return (row) => {
      if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) {
        out.null();
        return;
      }
      out.ascii7(floatText(items[row]!));
    };
  };
}

// --- dates and times -----------------------------------------------------------------------------

const DATE_POSITIVE_INFINITY = 2_147_483_647;
const DATE_NEGATIVE_INFINITY = -2_147_483_647;

/** `YYYY-MM-DD` (ASCII bytes) of a day count, remembering the last day asked for. */
class DateCache {
  private day = Number.NaN;
  private text = new Uint8Array(0);

  bytes(day: number): Uint8Array {
    if (day !== this.day) {
      const text = dateText(day);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      this.day = day;
      this.text = bytes;
    }
    return this.text;
  }
}

function dateEncoder(out: JsonOut, slow: JsonVectorEncoder): JsonColumnEncoder {
  const dates = new DateCache();
  return (chunk, column, rowCount) => {
    const { data, valid } = readColumn(chunk, column, rowCount, rowCount * 4);
    const items = new Int32Array(data.buffer, data.byteOffset, rowCount);
    const slowRow = slowRows(out, slow, chunk, column);
    return (row) => {
      if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) {
        out.null();
        return;
      }
      const day = items[row]!;
      if (day === DATE_POSITIVE_INFINITY || day === DATE_NEGATIVE_INFINITY) {
        slowRow(row);
        return;
      }
      const quote = out.quote;
      out.extra += out.quotePairExtra;
      out.bytes(quote);
      out.bytes(dates.bytes(day));
      out.bytes(quote);
    };
  };
}

/**
 * Epoch milliseconds (`temporal: 'epochMs'`) of an int32 day count (`width` 4) or an int64 count
 * of units (`width` 8): units larger than a millisecond are multiplied by `msPerUnit` (86 400 000
 * for days, 1000 for seconds), smaller ones floor-divided by `unitsPerMs` (1000 for µs, 10^6 for
 * ns); one of the two is 1. Counts whose milliseconds are not exact as doubles (and ±infinity) go
 * to the vector encoders, which use bigints.
 */
function epochMsEncoder(
  out: JsonOut,
  slow: JsonVectorEncoder,
  width: 4 | 8,
  msPerUnit: number,
  unitsPerMs: number,
): JsonColumnEncoder {
  return (chunk, column, rowCount) => {
    const { data, valid } = readColumn(chunk, column, rowCount, rowCount * width);
    const ints = width === 4 ? new Int32Array(data.buffer, data.byteOffset, rowCount) : undefined;
    const words = width === 8 ? new Uint32Array(data.buffer, data.byteOffset, rowCount * 2) : undefined;
    const slowRow = slowRows(out, slow, chunk, column);
    return (row) => {
      if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) {
        out.null();
        return;
      }
      let units: number;
      if (ints !== undefined) {
        units = ints[row]!;
      } else {
        const hi = words![2 * row + 1]! | 0;
        if (hi >= SAFE_HIGH || hi < -SAFE_HIGH) {
          slowRow(row);
          return;
        }
        units = hi * TWO_32 + words![2 * row]!;
      }
      let ms: number;
      if (unitsPerMs > 1) {
        // Exact floor division of an exact integer: its remainder is exact, and so is the rest.
        const remainder = units % unitsPerMs;
        ms = (units - remainder) / unitsPerMs - (remainder < 0 ? 1 : 0);
      } else {
        ms = units * msPerUnit;
        if (ms > MAX_EXACT || ms < -MAX_EXACT) {
          slowRow(row);
          return;
        }
      }
      out.ensure(20);
      out.pos = writeInteger(out.buf, out.pos, ms);
    };
  };
}

/** Writes `n` (0 ≤ n < 100) as two digits. */
function writePair(buf: Uint8Array, p: number, n: number): void {
  buf[p] = DIGIT_PAIRS[2 * n]!;
  buf[p + 1] = DIGIT_PAIRS[2 * n + 1]!;
}

/** Writes `HH:MM:SS[.fff…]` for `units` since midnight (0 ≤ units ≤ a day). Room for 19 bytes. */
function writeTimeOfDay(buf: Uint8Array, p: number, units: number, unitsPerSecond: number, digits: number): number {
  const seconds = Math.floor(units / unitsPerSecond);
  const fraction = units - seconds * unitsPerSecond;
  const hh = (seconds / 3600) | 0;
  const rest = seconds - hh * 3600;
  const mm = (rest / 60) | 0;
  writePair(buf, p, hh);
  buf[p + 2] = 0x3a;
  writePair(buf, p + 3, mm);
  buf[p + 5] = 0x3a;
  writePair(buf, p + 6, rest - mm * 60);
  p += 8;
  if (digits === 6) {
    // 0 ≤ fraction < 10^6: three pairs.
    const a = (fraction / 10_000) | 0;
    const b = ((fraction - a * 10_000) / 100) | 0;
    buf[p] = 0x2e;
    writePair(buf, p + 1, a);
    writePair(buf, p + 3, b);
    writePair(buf, p + 5, fraction - a * 10_000 - b * 100);
    return p + 7;
  }
  if (digits > 0) {
    buf[p++] = 0x2e;
    p = writeFixedDigits(buf, p, fraction, digits);
  }
  return p;
}

/**
 * TIMESTAMP, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMPTZ: an int64 count of units since the epoch.
 * Counts within ±2^53 (with microseconds: the years 1685 to 2255) are written here, with the
 * date text cached per day; the rest (and ±infinity) by the vector encoders.
 */
function timestampEncoder(
  out: JsonOut,
  slow: JsonVectorEncoder,
  unitsPerSecond: number,
  digits: number,
  zone: string,
): JsonColumnEncoder {
  const dates = new DateCache();
  const unitsPerDay = unitsPerSecond * 86_400;
  const zoneByte = zone === '' ? -1 : zone.charCodeAt(0);
  return (chunk, column, rowCount) => {
    const { data, valid } = readColumn(chunk, column, rowCount, rowCount * 8);
    const words = new Uint32Array(data.buffer, data.byteOffset, rowCount * 2);
    const slowRow = slowRows(out, slow, chunk, column);
    return (row) => {
      if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) {
        out.null();
        return;
      }
      const hi = words[2 * row + 1]! | 0;
      if (hi >= SAFE_HIGH || hi < -SAFE_HIGH) {
        slowRow(row);
        return;
      }
      const units = hi * TWO_32 + words[2 * row]!;
      let day = Math.floor(units / unitsPerDay);
      let rest = units - day * unitsPerDay;
      // The quotient is rounded: correct a floor that is one off near a day boundary.
      if (rest < 0) {
        day -= 1;
        rest += unitsPerDay;
      } else if (rest >= unitsPerDay) {
        day += 1;
        rest -= unitsPerDay;
      }
      const date = dates.bytes(day);
      const quote = out.quote;
      const q = quote.length;
      out.extra += out.quotePairExtra;
      out.ensure(date.length + 2 * q + 22);
      const buf = out.buf;
      let p = out.pos;
      for (let i = 0; i < q; i++) buf[p++] = quote[i]!;
      for (let i = 0; i < date.length; i++) buf[p++] = date[i]!;
      buf[p++] = 0x54; // T
      p = writeTimeOfDay(buf, p, rest, unitsPerSecond, digits);
      if (zoneByte >= 0) buf[p++] = zoneByte;
      for (let i = 0; i < q; i++) buf[p++] = quote[i]!;
      out.pos = p;
    };
  };
}

/** TIME, TIME_NS: an int64 count of units since midnight (at most a day, so always exact). */
function timeEncoder(out: JsonOut, unitsPerSecond: number, digits: number): JsonColumnEncoder {
  return (chunk, column, rowCount) => {
    const { data, valid } = readColumn(chunk, column, rowCount, rowCount * 8);
    const words = new Uint32Array(data.buffer, data.byteOffset, rowCount * 2);
    return (row) => {
      if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) {
        out.null();
        return;
      }
      const units = (words[2 * row + 1]! | 0) * TWO_32 + words[2 * row]!;
      const quote = out.quote;
      const q = quote.length;
      out.extra += out.quotePairExtra;
      out.ensure(2 * q + 20);
      const buf = out.buf;
      let p = out.pos;
      for (let i = 0; i < q; i++) buf[p++] = quote[i]!;
      p = writeTimeOfDay(buf, p, units, unitsPerSecond, digits);
      for (let i = 0; i < q; i++) buf[p++] = quote[i]!;
      out.pos = p;
    };
  };
}

// --- VARCHAR -------------------------------------------------------------------------------------

/**
 * VARCHAR: the UTF-8 bytes are copied from the vector (inlined strings from the copy of the string
 * structs, longer ones from the string heap, read once per span of strings that lie back to back
 * there; see StringHeapCopier) and escaped byte by byte, with no JS string per value.
 */
function varcharEncoder(out: JsonOut): JsonColumnEncoder {
  let heap = new Uint8Array(1 << 16);
  let heapAt = new Int32Array(2048);
  const copier = new StringHeapCopier();
  return (chunk, column, rowCount) => {
    const { data: structs, valid } = readColumn(chunk, column, rowCount, rowCount * STRING_STRUCT_BYTES);
    const words = new Uint32Array(structs.buffer, structs.byteOffset, rowCount * 4);
    // Gather the heap bytes of the strings that are not inlined into `heap`.
    if (heapAt.length < rowCount) heapAt = new Int32Array(rowCount);
    let total = 0;
    for (let row = 0; row < rowCount; row++) {
      if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) continue;
      const length = words[4 * row]!;
      if (length > STRING_INLINE_MAX) total += length;
    }
    if (total > 0) {
      if (heap.length < total) heap = new Uint8Array(Math.max(total, heap.length * 2));
      copier.start(structs, heap);
      let at = 0;
      for (let row = 0; row < rowCount; row++) {
        if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) continue;
        const length = words[4 * row]!;
        if (length <= STRING_INLINE_MAX) continue;
        heapAt[row] = at;
        copier.copy(row, words[4 * row + 3]! * TWO_32 + words[4 * row + 2]!, length, at);
        at += length;
      }
      copier.finish();
    }
    const strings = heap;
    const starts = heapAt;
    return (row) => {
      if (valid !== null && ((valid[row >> 3]! >> (row & 7)) & 1) === 0) {
        out.null();
        return;
      }
      const length = words[4 * row]!;
      if (length <= STRING_INLINE_MAX) {
        const start = row * STRING_STRUCT_BYTES + 4;
        out.quotedUtf8(structs, start, start + length);
      } else {
        const start = starts[row]!;
        out.quotedUtf8(strings, start, start + length);
      }
    };
  };
}

import { isUtf8 } from 'node:buffer';
import { type Data, type DataType, DateUnit, Precision, TimeUnit, Type } from 'apache-arrow';
import {
  BOOL_BYTES,
  type RawVector,
  STRING_INLINE_MAX,
  STRING_STRUCT_BYTES,
  readVectorData,
  writeVectorBytes,
  writeVectorData,
  writeVectorString,
  writeVectorValidity,
} from '../database/vector-memory.js';

/**
 * Writes rows `[start, start + rowCount)` of one Arrow `Data` into a DuckDB vector of a fresh data
 * chunk (values and validity), as row `0 …` of the vector.
 */
export type ChunkWriter = (vector: RawVector, start: number, rowCount: number) => void;

/** Makes the {@link ChunkWriter} for one `Data`, or `undefined` when that `Data` needs the row path. */
export type BulkWriter = (data: Data) => ChunkWriter | undefined;

// biome-ignore lint/suspicious/noExplicitAny: apache-arrow's Data buffers are typed per DataType.
type AnyData = Data<any>;
type Offsets = Int32Array | BigInt64Array;

/**
 * The bulk writer for an Arrow column type whose values DuckDB stores with the same bytes (or,
 * for booleans and strings, with a cheap conversion), or `undefined` for types that go through
 * the value readers of `arrow-columns.ts`.
 *
 * Bulk writing stores exactly what the value readers would: fixed-width values are copied as
 * they are into the DuckDB type {@link arrowColumnMapping} chose for them (integers of the same
 * width and signedness, FLOAT/DOUBLE, DATE from days, TIMESTAMP_S/_MS/TIMESTAMP/_NS from their
 * unit, TIMESTAMPTZ from microseconds, TIME from int64 microseconds, TIME_NS from int64
 * nanoseconds), booleans are unpacked to one byte each, and string and binary values are handed
 * over as their bytes — for text only when they are valid UTF-8, as decoding them would leave
 * them (otherwise that chunk takes the value path, which replaces invalid sequences with U+FFFD).
 */
export function arrowBulkWriter(arrowType: DataType): BulkWriter | undefined {
  // biome-ignore lint/suspicious/noExplicitAny: the switch narrows by typeId; apache-arrow's types are generic.
  const type = arrowType as any;
  switch (type.typeId as Type) {
    case Type.Int:
      return fixedWidthWriter(type.bitWidth / 8);
    case Type.Float:
      if (type.precision === Precision.SINGLE) return fixedWidthWriter(4);
      if (type.precision === Precision.DOUBLE) return fixedWidthWriter(8);
      return undefined;
    case Type.Date:
      return type.unit === DateUnit.DAY ? fixedWidthWriter(4) : undefined;
    case Type.Timestamp:
      return !type.timezone || type.unit === TimeUnit.MICROSECOND ? fixedWidthWriter(8) : undefined;
    case Type.Time:
      return type.bitWidth === 64 && (type.unit === TimeUnit.MICROSECOND || type.unit === TimeUnit.NANOSECOND)
        ? fixedWidthWriter(8)
        : undefined;
    case Type.Bool:
      return BOOL_BYTES === 1 ? booleanWriter : undefined;
    case Type.Utf8:
    case Type.LargeUtf8:
      return variableWidthWriter(true);
    case Type.Binary:
    case Type.LargeBinary:
      return variableWidthWriter(false);
    default:
      return undefined;
  }
}

// --- validity ------------------------------------------------------------------------------------

/** A reusable buffer for one chunk's validity words. */
let validityScratch = new Uint8Array(256);

/**
 * Writes the validity of rows `[start, start + rowCount)` into `vector`, or does nothing when they
 * are all valid. `undefined` when the `Data` has NULLs but no bitmap (the row path handles that).
 */
function validityWriter(data: AnyData): ((vector: RawVector, start: number, rowCount: number) => void) | undefined {
  if (data.nullCount === 0) return () => undefined;
  const bitmap = data.nullBitmap as Uint8Array | undefined;
  if (!bitmap || bitmap.length === 0) return undefined;
  const offset = data.offset;
  return (vector, start, rowCount) => {
    const byteCount = Math.ceil(rowCount / 64) * 8;
    if (validityScratch.length < byteCount) validityScratch = new Uint8Array(byteCount);
    const mask = validityScratch;
    const first = offset + start;
    // Bytes past the bitmap's end read as 0 (NULL), as the row path reads them.
    let all = 0xff;
    let written = 0;
    if ((first & 7) === 0) {
      const from = first >> 3;
      const full = rowCount >> 3;
      for (let k = 0; k < full; k++) {
        const b = bitmap[from + k] ?? 0;
        mask[k] = b;
        all &= b;
      }
      written = full;
    }
    // The rest (all rows when the bitmap is not byte-aligned with the chunk), bit by bit.
    for (let k = written; k * 8 < rowCount; k++) {
      const bits = Math.min(8, rowCount - k * 8);
      let b = 0;
      for (let r = 0; r < bits; r++) {
        const pos = first + k * 8 + r;
        b |= (((bitmap[pos >> 3] ?? 0) >> (pos & 7)) & 1) << r;
      }
      mask[k] = b;
      if (b !== (1 << bits) - 1) all = 0;
      written = k + 1;
    }
    if (all === 0xff) return; // no NULL among these rows: leave the vector's validity alone
    mask.fill(0, written, byteCount);
    writeVectorValidity(vector, mask, byteCount);
  };
}

// --- fixed width ---------------------------------------------------------------------------------

function fixedWidthWriter(width: number): BulkWriter {
  return (data) => {
    const values = data.values as Uint8Array;
    const validity = validityWriter(data);
    // The value readers index `values` from 0 for row 0; a short buffer goes the row path.
    if (!validity || !values || values.byteLength < data.length * width) return undefined;
    return (vector, start, rowCount) => {
      if (rowCount === 0) return;
      writeVectorData(vector, values, start * width, rowCount * width);
      validity(vector, start, rowCount);
    };
  };
}

let booleanScratch = new Uint8Array(2048);
/** `BOOLEAN_BYTES[2b], [2b + 1]`: the 8 one-byte booleans of bitmap byte `b`, LSB first, as 2 × uint32 (LE). */
const BOOLEAN_BYTES = (() => {
  const table = new Uint8Array(256 * 8);
  for (let b = 0; b < 256; b++) for (let k = 0; k < 8; k++) table[b * 8 + k] = (b >> k) & 1;
  return new Uint32Array(table.buffer);
})();

const booleanWriter: BulkWriter = (data) => {
  const values = data.values as Uint8Array;
  const validity = validityWriter(data);
  if (!validity || !values) return undefined;
  const offset = data.offset;
  return (vector, start, rowCount) => {
    if (rowCount === 0) return;
    const size = (rowCount + 7) & ~7;
    if (booleanScratch.length < size) booleanScratch = new Uint8Array(size);
    const bytes = booleanScratch;
    const first = offset + start;
    let row = 0;
    if ((first & 7) === 0 && rowCount >> 3 <= values.length - (first >> 3)) {
      // Byte-aligned: eight values at a time through a table (two uint32 stores per bitmap byte).
      const words = new Uint32Array(bytes.buffer, bytes.byteOffset, size >> 2);
      const from = first >> 3;
      const full = rowCount >> 3;
      for (let k = 0; k < full; k++) {
        const b = values[from + k]! * 2;
        words[k * 2] = BOOLEAN_BYTES[b]!;
        words[k * 2 + 1] = BOOLEAN_BYTES[b + 1]!;
      }
      row = full * 8;
    }
    for (; row < rowCount; row++) {
      const pos = first + row;
      bytes[row] = ((values[pos >> 3] ?? 0) >> (pos & 7)) & 1;
    }
    writeVectorData(vector, bytes, 0, rowCount);
    validity(vector, start, rowCount);
  };
};

// --- strings and binary --------------------------------------------------------------------------

let structScratch = new Uint8Array(2048 * STRING_STRUCT_BYTES);
let structWords = new Uint32Array(structScratch.buffer);

/** The first byte of a UTF-8 continuation: `10xxxxxx`. */
function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

function variableWidthWriter(text: boolean): BulkWriter {
  return (data) => {
    const values = data.values as Uint8Array;
    const offsets = data.valueOffsets as Offsets;
    const validity = validityWriter(data);
    if (!validity || !values || !offsets || offsets.length < data.length + 1) return undefined;
    const wide = offsets instanceof BigInt64Array;
    const at = (i: number): number => (wide ? Number(offsets[i]) : (offsets[i] as number));
    const bitmap = data.nullCount > 0 ? (data.nullBitmap as Uint8Array) : undefined;
    const nullOffset = data.offset;
    const isValid = (row: number): boolean => {
      if (!bitmap) return true;
      const pos = nullOffset + row;
      return (((bitmap[pos >> 3] ?? 0) >> (pos & 7)) & 1) === 1;
    };
    const view = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    return (vector, start, rowCount) => {
      if (rowCount === 0) return;
      const end = start + rowCount;
      if (text && !validUtf8Strings(view, at, start, end)) {
        // Some string is not valid UTF-8: decode each (invalid sequences become U+FFFD).
        for (let row = start; row < end; row++) {
          if (isValid(row)) writeVectorString(vector, row - start, view.toString('utf8', at(row), at(row + 1)));
        }
      } else {
        writeStrings(vector, values, wide ? at : (offsets as Int32Array), bitmap, nullOffset, start, end);
      }
      validity(vector, start, rowCount);
    };
  };
}

/**
 * Writes strings `[at(row), at(row + 1))` of `values` for rows `[start, end)` into the string
 * structs (`duckdb_string_t`) of `vector`, as rows `0 …`. Short strings (≤ 12 bytes) are inlined
 * in their struct. Long ones need bytes DuckDB owns: rather than one {@link writeVectorBytes}
 * per long string (a native call and a heap allocation each), the chunk's whole byte range
 * `[at(start), at(end))` is added to the vector's string heap once (as row 0's string), its
 * address read back from row 0's struct, and each long string's struct points into that copy.
 * All structs, row 0's included, are then written in one copy. The copy lives as long as the
 * vector, exactly like strings stored one by one.
 */
function writeStrings(
  vector: RawVector,
  values: Uint8Array,
  offsets: Int32Array | ((i: number) => number),
  bitmap: Uint8Array | undefined,
  bitmapOffset: number,
  start: number,
  end: number,
): void {
  // int32 offsets (Utf8, Binary) are read directly: this loop runs once per value.
  const narrow = typeof offsets === 'function' ? null : offsets;
  const at = typeof offsets === 'function' ? offsets : (i: number) => offsets[i]!;
  const rowCount = end - start;
  const byteCount = rowCount * STRING_STRUCT_BYTES;
  if (structScratch.length < byteCount) {
    structScratch = new Uint8Array(byteCount);
    structWords = new Uint32Array(structScratch.buffer);
  }
  const structs = structScratch;
  const words = structWords;
  structs.fill(0, 0, byteCount);
  const first = at(start);
  const last = at(end);
  // Address of the heap copy of [first, last): only needed when some string is long, in which
  // case the range is longer than 12 bytes and is not inlined itself.
  let baseLow = 0;
  let baseHigh = 0;
  if (last - first > STRING_INLINE_MAX) {
    writeVectorBytes(vector, 0, values.subarray(first, last));
    const head = readVectorData(vector, STRING_STRUCT_BYTES);
    const view = new DataView(head.buffer, head.byteOffset, STRING_STRUCT_BYTES);
    baseLow = view.getUint32(8, true);
    baseHigh = view.getUint32(12, true);
  }
  let from = first;
  for (let row = start; row < end; row++) {
    const to = narrow !== null ? narrow[row + 1]! : at(row + 1);
    const length = to - from;
    const pos = bitmapOffset + row;
    if (bitmap === undefined || ((bitmap[pos >> 3]! >> (pos & 7)) & 1) === 1) {
      const base = (row - start) * STRING_STRUCT_BYTES;
      words[base >> 2] = length; // little-endian uint32 length
      if (length <= STRING_INLINE_MAX) {
        for (let k = 0; k < length; k++) structs[base + 4 + k] = values[from + k]!;
      } else {
        for (let k = 0; k < 4; k++) structs[base + 4 + k] = values[from + k]!;
        const low = baseLow + (from - first);
        words[(base >> 2) + 2] = low >>> 0;
        words[(base >> 2) + 3] = baseHigh + Math.floor(low / 0x1_0000_0000);
      }
    }
    from = to;
  }
  writeVectorData(vector, structs, 0, byteCount);
}

/**
 * True when each string `[at(i), at(i + 1))` for i in `[start, end)` is valid UTF-8 (so decoding
 * it would not change its bytes). The strings are checked as one run — valid as a whole, offsets
 * in order and inside the buffer, and no string starting in the middle of a character — which is
 * the same as checking each one.
 */
function validUtf8Strings(view: Buffer, at: (i: number) => number, start: number, end: number): boolean {
  const first = at(start);
  const last = at(end);
  if (first < 0 || last > view.length || first > last) return false;
  let previous = first;
  for (let row = start + 1; row <= end; row++) {
    const offset = at(row);
    if (offset < previous) return false;
    if (offset > first && offset < last && isContinuation(view[offset]!)) return false;
    previous = offset;
  }
  return isUtf8(view.subarray(first, last));
}

import { isUtf8 } from 'node:buffer';
import { type Data, type DataType, DateUnit, Precision, TimeUnit, Type } from 'apache-arrow';
import {
  BOOL_BYTES,
  type RawVector,
  STRING_INLINE_MAX,
  STRING_STRUCT_BYTES,
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

const booleanWriter: BulkWriter = (data) => {
  const values = data.values as Uint8Array;
  const validity = validityWriter(data);
  if (!validity || !values) return undefined;
  const offset = data.offset;
  return (vector, start, rowCount) => {
    if (rowCount === 0) return;
    if (booleanScratch.length < rowCount) booleanScratch = new Uint8Array(rowCount);
    const bytes = booleanScratch;
    for (let row = 0; row < rowCount; row++) {
      const pos = offset + start + row;
      bytes[row] = ((values[pos >> 3] ?? 0) >> (pos & 7)) & 1;
    }
    writeVectorData(vector, bytes, 0, rowCount);
    validity(vector, start, rowCount);
  };
};

// --- strings and binary --------------------------------------------------------------------------

let structScratch = new Uint8Array(2048 * STRING_STRUCT_BYTES);
let longRows = new Int32Array(2048);

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
      if (longRows.length < rowCount) longRows = new Int32Array(rowCount);
      if (text && !validUtf8Strings(view, at, start, end)) {
        // Some string is not valid UTF-8: decode each (invalid sequences become U+FFFD).
        for (let row = start; row < end; row++) {
          if (isValid(row)) writeVectorString(vector, row - start, view.toString('utf8', at(row), at(row + 1)));
        }
      } else {
        // Short strings are written inline into the vector's string structs, in one copy; longer
        // ones (which need DuckDB's string heap) one by one, after that copy.
        const byteCount = rowCount * STRING_STRUCT_BYTES;
        if (structScratch.length < byteCount) structScratch = new Uint8Array(byteCount);
        const structs = structScratch;
        structs.fill(0, 0, byteCount);
        let long = 0;
        let from = at(start);
        for (let row = start; row < end; row++) {
          const to = at(row + 1);
          const length = to - from;
          if (isValid(row)) {
            if (length <= STRING_INLINE_MAX) {
              const base = (row - start) * STRING_STRUCT_BYTES;
              structs[base] = length; // little-endian uint32 length, < 13
              for (let k = 0; k < length; k++) structs[base + 4 + k] = values[from + k]!;
            } else {
              longRows[long++] = row;
            }
          }
          from = to;
        }
        writeVectorData(vector, structs, 0, byteCount);
        for (let k = 0; k < long; k++) {
          const row = longRows[k]!;
          writeVectorBytes(vector, row - start, values.subarray(at(row), at(row + 1)));
        }
      }
      validity(vector, start, rowCount);
    };
  };
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

import { ResultTooLargeError } from '../../errors.js';
import {
  type RawVector,
  readVectorData,
  readVectorValidity,
  STRING_INLINE_MAX,
  STRING_STRUCT_BYTES,
  StringHeapCopier,
} from '../../database/vector-memory.js';
import { BinaryColumnEncoder } from './binary-column.js';
import { rowCount } from './column-encoder.js';

const TWO_POW_32 = 0x100000000;
const MAX_OFFSET = 0x7fffffff;
/** Bytes a short string's three-word write may reach past the end of the data. */
const INLINE_SPILL = STRING_INLINE_MAX;

/**
 * VARCHAR / BLOB / BIT → Arrow Utf8 or Binary (int32 offsets + data). Reads DuckDB's 16-byte
 * string structs: short strings are copied from the struct, long ones from DuckDB's heap with one
 * read per span of strings that lie back to back there (see {@link StringHeapCopier}).
 */
export class StringEncoder extends BinaryColumnEncoder {
  readonly #heap = new StringHeapCopier();

  append(vector: RawVector, size: number, sel: Int32Array | null): void {
    const count = rowCount(size, sel);
    if (count === 0) return;
    const mask = readVectorValidity(vector, size);
    this.validity.append(mask, size, sel);
    const structs = readVectorData(vector, size * STRING_STRUCT_BYTES);
    const words = new Uint32Array(structs.buffer, structs.byteOffset, size * 4);

    // Pass 1: offsets.
    const offsets = this.offsets.reserve(this.length + count + 1);
    const base = this.length;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const row = sel === null ? i : sel[i];
      if (mask === null || (mask[row >> 3] & (1 << (row & 7))) !== 0) total += words[row * 4];
      offsets[base + i + 1] = this.dataBytes + total;
    }
    if (this.dataBytes + total > MAX_OFFSET) {
      throw new ResultTooLargeError('A batch of string data exceeds 2 GiB');
    }
    this.length += count;
    if (total === 0) return;

    // Pass 2: bytes. A short string is written as the three words of its struct's inline part
    // (12 bytes, whatever its length): the bytes past its end belong to later rows, which are all
    // written after it (a long one when its span is copied, at the latest by `heap.finish()`),
    // and the last string's spill lands in the INLINE_SPILL bytes reserved past the batch's data.
    const data = this.data.reserve(this.dataBytes + total + INLINE_SPILL);
    const view = this.data.view;
    const heap = this.#heap;
    heap.start(structs, data);
    let at = this.dataBytes;
    for (let i = 0; i < count; i++) {
      const row = sel === null ? i : sel[i];
      if (mask !== null && (mask[row >> 3] & (1 << (row & 7))) === 0) continue;
      const len = words[row * 4];
      if (len === 0) continue;
      if (len <= STRING_INLINE_MAX) {
        view.setUint32(at, words[row * 4 + 1], true);
        view.setUint32(at + 4, words[row * 4 + 2], true);
        view.setUint32(at + 8, words[row * 4 + 3], true);
      } else {
        heap.copy(row, words[row * 4 + 2] + words[row * 4 + 3] * TWO_POW_32, len, at);
      }
      at += len;
    }
    heap.finish();
    this.dataBytes += total;
  }
}

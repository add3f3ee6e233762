import { type RawVector, readVectorData, readVectorValidity } from '../../database/vector-memory.js';
import { BinaryColumnEncoder } from './binary-column.js';
import { rowCount } from './column-encoder.js';

const UUID_TEXT = 36;
const HEX = new TextEncoder().encode('0123456789abcdef');

/**
 * UUID → Arrow Utf8 holding the canonical lowercase text (DuckDB's default Arrow export, without
 * `arrow_lossless_conversion`). DuckDB stores a UUID as a HUGEINT with the top bit flipped.
 */
export class UuidEncoder extends BinaryColumnEncoder {
  append(vector: RawVector, size: number, sel: Int32Array | null): void {
    const count = rowCount(size, sel);
    if (count === 0) return;
    const mask = readVectorValidity(vector, size);
    this.validity.append(mask, size, sel);
    const words = new Uint32Array(readVectorData(vector, size * 16).buffer, 0, size * 4);
    const offsets = this.offsets.reserve(this.length + count + 1);
    const data = this.data.reserve(this.dataBytes + count * UUID_TEXT);
    let at = this.dataBytes;
    for (let i = 0; i < count; i++) {
      const row = sel === null ? i : sel[i];
      if (mask === null || (mask[row >> 3] & (1 << (row & 7))) !== 0) {
        // Big-endian order of the 128 bits: upper word pair (top bit flipped), then lower.
        at = writeHex32(data, at, (words[row * 4 + 3] ^ 0x80000000) >>> 0, 8, 0);
        at = writeHex32(data, at, words[row * 4 + 2], 8, 4);
        at = writeHex32(data, at, words[row * 4 + 1], 0, 4);
        at = writeHex32(data, at, words[row * 4], 0, 0);
      }
      offsets[this.length + i + 1] = at;
    }
    this.length += count;
    this.dataBytes = at;
  }
}

/**
 * Writes the 8 hex digits of `word`, with a dash after digit `dashAfter` (0: none) and, when
 * `dashAtEnd` is 8, one after the last digit.
 */
function writeHex32(out: Uint8Array, at: number, word: number, dashAtEnd: number, dashAfter: number): number {
  let pos = at;
  for (let d = 0; d < 8; d++) {
    out[pos++] = HEX[(word >>> (28 - 4 * d)) & 0xf];
    if (dashAfter !== 0 && d + 1 === dashAfter) out[pos++] = 0x2d;
  }
  if (dashAtEnd === 8) out[pos++] = 0x2d;
  return pos;
}

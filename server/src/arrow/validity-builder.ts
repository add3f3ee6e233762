import { copyBits, countSetBits, isBitSet, setBits } from './bitmap.js';
import type { BodySink } from './body-sink.js';
import { GrowableBytes } from './growable.js';

/**
 * Accumulates the validity bitmap of one Arrow array across DuckDB chunks, joining DuckDB masks
 * with a bit-shifting copy when a chunk does not start on a byte boundary.
 */
export class ValidityBuilder {
  private readonly bitmap = new GrowableBytes(256);
  private length = 0;
  /** Whether any appended mask may hold a null: when false, the bitmap is not needed. */
  private mayHaveNulls = false;
  /** Bytes left over from the previous batch, zeroed before the next append. */
  private dirtyBytes = 0;

  /** Rows appended since the last {@link ValidityBuilder.take}. */
  get size(): number {
    return this.length;
  }

  /**
   * Appends the validity of rows of a DuckDB vector: `mask` is its mask (null: all valid) over
   * `size` rows; the rows taken are `sel` in order, or all of them when `sel` is null.
   */
  append(mask: Uint8Array | null, size: number, sel: Int32Array | null): void {
    const count = sel === null ? size : sel.length;
    this.cleanUp();
    const bits = this.bitmap.reserve(((this.length + count) >> 3) + 2);
    if (mask === null) {
      setBits(bits, this.length, count);
    } else {
      this.mayHaveNulls = true;
      if (sel === null) {
        copyBits(mask, count, bits, this.length);
      } else {
        const base = this.length;
        for (let i = 0; i < count; i++) {
          if (isBitSet(mask, sel[i])) bits[(base + i) >> 3] |= 1 << ((base + i) & 7);
        }
      }
    }
    this.length += count;
  }

  /** Appends `count` rows all valid (`valid`) or all null. */
  appendRun(count: number, valid: boolean): void {
    this.cleanUp();
    const bits = this.bitmap.reserve(((this.length + count) >> 3) + 2);
    if (valid) setBits(bits, this.length, count);
    else this.mayHaveNulls = true;
    this.length += count;
  }

  /** Whether appended row `index` is valid. */
  isValid(index: number): boolean {
    return isBitSet(this.bitmap.bytes, index);
  }

  /**
   * Writes the field node (length, null count) and the validity buffer of the rows appended since
   * the last take — the start of every array's part of a record batch body — and starts over.
   * Returns the row count.
   */
  writeNode(sink: BodySink): number {
    const length = this.length;
    const { nullCount, bitmap } = this.take();
    sink.node(length, nullCount);
    sink.buffer(bitmap);
    return length;
  }

  /**
   * Returns the null count and the bitmap bytes (empty when there is no null) of the rows
   * appended so far, and starts over. The bytes stay valid until the next append.
   */
  take(): { readonly nullCount: number; readonly bitmap: Uint8Array } {
    const length = this.length;
    const bits = this.bitmap.bytes;
    const nullCount = this.mayHaveNulls ? length - countSetBits(bits, length) : 0;
    const byteLength = (length + 7) >> 3;
    const bitmap = nullCount === 0 ? new Uint8Array(0) : bits.subarray(0, byteLength);
    this.length = 0;
    this.mayHaveNulls = false;
    this.dirtyBytes = Math.min(bits.length, byteLength + 2);
    return { nullCount, bitmap };
  }

  private cleanUp(): void {
    if (this.dirtyBytes > 0) {
      this.bitmap.bytes.fill(0, 0, this.dirtyBytes);
      this.dirtyBytes = 0;
    }
  }
}

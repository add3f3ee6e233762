// Bit-level helpers of the Arrow encoder: joining validity masks at any bit offset.
import { describe, expect, test } from 'vitest';
import { copyBits, countSetBits, setBits } from '../src/arrow/bitmap.js';
import { ValidityBuilder } from '../src/arrow/validity-builder.js';

/** A deterministic pseudo-random byte sequence. */
function bytes(count: number, seed: number): Uint8Array {
  const out = new Uint8Array(count);
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >> 16;
  }
  return out;
}

const bitsOf = (b: Uint8Array, n: number): number[] => Array.from({ length: n }, (_, i) => (b[i >> 3] >> (i & 7)) & 1);

describe('copyBits', () => {
  test.each([0, 1, 3, 7, 8, 9, 15, 16, 63, 64, 65, 2047, 2048, 2049])('at destination bit offset %i', (offset) => {
    for (const count of [1, 5, 8, 13, 64, 100, 2048]) {
      const src = bytes(Math.ceil(count / 8) + 8, offset * 31 + count);
      const dst = new Uint8Array(((offset + count) >> 3) + 2);
      const prefix = bytes(dst.length, 7);
      // Bits before the offset hold data that must stay; bits after it start zeroed.
      for (let i = 0; i < offset; i++) if ((prefix[i >> 3] >> (i & 7)) & 1) dst[i >> 3] |= 1 << (i & 7);
      const before = bitsOf(dst, offset);
      copyBits(src, count, dst, offset);
      expect(bitsOf(dst, offset)).toEqual(before);
      expect(bitsOf(dst, offset + count).slice(offset)).toEqual(bitsOf(src, count));
      // Nothing is set past the copied range.
      expect(
        bitsOf(dst, dst.length * 8)
          .slice(offset + count)
          .every((b) => b === 0),
      ).toBe(true);
    }
  });
});

test('setBits sets exactly the range', () => {
  for (const [from, count] of [
    [0, 0],
    [3, 2],
    [5, 20],
    [8, 8],
    [1, 100],
  ]) {
    const dst = new Uint8Array(20);
    setBits(dst, from, count);
    const bits = bitsOf(dst, 160);
    expect(bits.map((b, i) => (i >= from && i < from + count ? 1 - b : b)).every((b) => b === 0)).toBe(true);
  }
});

test('countSetBits counts only the first n bits', () => {
  const b = Uint8Array.of(0xff, 0x0f, 0xff);
  expect(countSetBits(b, 0)).toBe(0);
  expect(countSetBits(b, 8)).toBe(8);
  expect(countSetBits(b, 12)).toBe(12);
  expect(countSetBits(b, 13)).toBe(12);
  expect(countSetBits(b, 17)).toBe(13);
});

test('ValidityBuilder joins masks of odd-sized chunks, counts nulls, and starts clean after take()', () => {
  const builder = new ValidityBuilder();
  const expected: number[] = [];
  const sizes = [7, 2048, 1, 13, 2049, 64, 3];
  sizes.forEach((size, k) => {
    if (k % 3 === 2) {
      builder.append(null, size, null);
      for (let i = 0; i < size; i++) expected.push(1);
    } else {
      const mask = bytes(Math.ceil(size / 64) * 8, size + k);
      builder.append(mask, size, null);
      expected.push(...bitsOf(mask, size));
    }
  });
  const sel = Int32Array.of(5, 0, 3);
  const selMask = Uint8Array.of(0b00100001, 0, 0, 0, 0, 0, 0, 0);
  builder.append(selMask, 8, sel);
  expected.push(1, 1, 0);
  builder.appendRun(4, false);
  expected.push(0, 0, 0, 0);

  expect(builder.size).toBe(expected.length);
  const { nullCount, bitmap } = builder.take();
  expect(nullCount).toBe(expected.filter((b) => b === 0).length);
  expect(bitsOf(bitmap, expected.length)).toEqual(expected);

  // The next batch does not see the previous batch's bits.
  builder.append(null, 10, null);
  const next = builder.take();
  expect(next.nullCount).toBe(0);
  expect(next.bitmap.byteLength).toBe(0);
  builder.append(Uint8Array.of(0b10, 0, 0, 0, 0, 0, 0, 0), 2, null);
  const third = builder.take();
  expect(third.nullCount).toBe(1);
  expect(bitsOf(third.bitmap, 8)).toEqual([0, 1, 0, 0, 0, 0, 0, 0]);
});

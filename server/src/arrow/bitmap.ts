/** Number of set bits of each byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

/** Counts the set bits among the first `bitCount` bits of an LSB-first bitmap. */
export function countSetBits(bits: Uint8Array, bitCount: number): number {
  const fullBytes = bitCount >> 3;
  let count = 0;
  for (let i = 0; i < fullBytes; i++) count += POPCOUNT[bits[i]];
  const rest = bitCount & 7;
  if (rest !== 0) count += POPCOUNT[bits[fullBytes] & ((1 << rest) - 1)];
  return count;
}

/**
 * Copies bits `[0, bitCount)` of `src` to bits `[dstBit, dstBit + bitCount)` of `dst`.
 * Bits of `dst` at and after `dstBit` must be zero beforehand; they stay zero after the copied
 * range. `dst` needs `((dstBit + bitCount) >> 3) + 2` bytes.
 */
export function copyBits(src: Uint8Array, bitCount: number, dst: Uint8Array, dstBit: number): void {
  if (bitCount === 0) return;
  const byteCount = (bitCount + 7) >> 3;
  const shift = dstBit & 7;
  const first = dstBit >> 3;
  if (shift === 0) {
    dst.set(src.subarray(0, byteCount), first);
  } else {
    const back = 8 - shift;
    for (let i = 0; i < byteCount; i++) {
      const b = src[i];
      dst[first + i] |= (b << shift) & 0xff;
      dst[first + i + 1] = b >> back;
    }
  }
  // Clear whatever was copied past the end of the range.
  const end = dstBit + bitCount;
  const endByte = end >> 3;
  if ((end & 7) !== 0) dst[endByte] &= (1 << (end & 7)) - 1;
  const written = first + byteCount + (shift === 0 ? 0 : 1);
  const clearFrom = (end + 7) >> 3;
  if (written > clearFrom) dst.fill(0, clearFrom, written);
}

/** Sets bits `[fromBit, fromBit + bitCount)` of `dst` (which needs room for them). */
export function setBits(dst: Uint8Array, fromBit: number, bitCount: number): void {
  let bit = fromBit;
  const end = fromBit + bitCount;
  while (bit < end && (bit & 7) !== 0) {
    dst[bit >> 3] |= 1 << (bit & 7);
    bit++;
  }
  const fullEnd = end & ~7;
  if (bit < fullEnd) {
    dst.fill(0xff, bit >> 3, fullEnd >> 3);
    bit = fullEnd;
  }
  while (bit < end) {
    dst[bit >> 3] |= 1 << (bit & 7);
    bit++;
  }
}

/** Whether bit `index` of an LSB-first bitmap is set. */
export function isBitSet(bits: Uint8Array, index: number): boolean {
  return (bits[index >> 3] & (1 << (index & 7))) !== 0;
}

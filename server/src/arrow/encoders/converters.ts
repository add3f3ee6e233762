import type { ValueConverter } from './fixed-width.js';

/**
 * DECIMAL stored on 2, 4 or 8 bytes → Arrow Decimal128: sign-extend each value to 16 bytes
 * (little-endian two's complement). DuckDB's 16-byte DECIMAL/HUGEINT already is that layout.
 */
export function widenToInt128(sourceWidth: 2 | 4 | 8): ValueConverter {
  return (input, count) => {
    const out = new Int32Array(count * 4);
    if (sourceWidth === 8) {
      const src = new Int32Array(input.buffer, input.byteOffset, count * 2);
      for (let i = 0; i < count; i++) {
        const hi = src[2 * i + 1];
        const sign = hi >> 31;
        out[4 * i] = src[2 * i];
        out[4 * i + 1] = hi;
        out[4 * i + 2] = sign;
        out[4 * i + 3] = sign;
      }
    } else {
      const src =
        sourceWidth === 4
          ? new Int32Array(input.buffer, input.byteOffset, count)
          : new Int16Array(input.buffer, input.byteOffset, count);
      for (let i = 0; i < count; i++) {
        const v = src[i];
        const sign = v >> 31;
        out[4 * i] = v;
        out[4 * i + 1] = sign;
        out[4 * i + 2] = sign;
        out[4 * i + 3] = sign;
      }
    }
    return new Uint8Array(out.buffer);
  };
}

/**
 * TIME WITH TIME ZONE → Time64(µs): DuckDB packs the time of day in microseconds into the upper
 * 40 bits and the offset into the lower 24; like DuckDB's own Arrow export, keep the time of day
 * (local to the value's offset) and drop the offset.
 */
export const timeTzToMicros: ValueConverter = (input, count) => {
  const src = new Uint32Array(input.buffer, input.byteOffset, count * 2);
  const out = new Uint32Array(count * 2);
  for (let i = 0; i < count; i++) {
    const lo = src[2 * i];
    const hi = src[2 * i + 1];
    // micros = bits >>> 24 (< 2^40): low word = (hi << 8 | lo >>> 24), high word = hi >>> 24.
    out[2 * i] = ((hi << 8) | (lo >>> 24)) >>> 0;
    out[2 * i + 1] = hi >>> 24;
  }
  return new Uint8Array(out.buffer);
};

/**
 * INTERVAL (months int32, days int32, micros int64) → Arrow MonthDayNano (months int32,
 * days int32, nanoseconds int64): micros × 1000, wrapping like DuckDB's export on overflow.
 */
export const intervalToMonthDayNano: ValueConverter = (input, count) => {
  const out = input.slice(0, count * 16);
  const wide = new BigInt64Array(out.buffer, 0, count * 2);
  for (let i = 0; i < count; i++) wide[2 * i + 1] = BigInt.asIntN(64, wide[2 * i + 1] * 1000n);
  return out;
};

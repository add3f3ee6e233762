import { describe, expect, it } from 'vitest';
import { uniqueColumnNames } from '../src/json/column-names.js';
import { dateText, timeOfDayText, timestampText, utcOffsetText } from '../src/json/datetime-text.js';
import { intervalText } from '../src/json/interval-text.js';
import { doubleText, floatText } from '../src/json/number-text.js';

describe('dateText', () => {
  it('agrees with Date#toISOString over ±300000 years', () => {
    for (let days = -100_000_000; days <= 100_000_000; days += 99_991) {
      const iso = new Date(days * 86_400_000).toISOString().slice(0, -'T00:00:00.000Z'.length);
      expect(dateText(days)).toBe(iso);
    }
  });

  it('writes day by day around the epoch and leap days', () => {
    expect(dateText(0)).toBe('1970-01-01');
    expect(dateText(-1)).toBe('1969-12-31');
    expect(dateText(11_016)).toBe('2000-02-29');
    expect(dateText(-719_528)).toBe('0000-01-01');
    expect(dateText(-719_529)).toBe('-000001-12-31');
    expect(dateText(2_932_896)).toBe('9999-12-31');
    expect(dateText(2_932_897)).toBe('+010000-01-01');
  });
});

describe('time text', () => {
  it('writes times of day with the requested precision', () => {
    expect(timeOfDayText(0, 1_000_000, 6)).toBe('00:00:00.000000');
    expect(timeOfDayText(86_399_999_999, 1_000_000, 6)).toBe('23:59:59.999999');
    expect(timeOfDayText(3_723, 1, 0)).toBe('01:02:03');
    expect(timeOfDayText(3_723_000_000_007, 1_000_000_000, 9)).toBe('01:02:03.000000007');
  });

  it('writes timestamps before and after the epoch', () => {
    expect(timestampText(0n, 1_000_000, 6)).toBe('1970-01-01T00:00:00.000000');
    expect(timestampText(-1n, 1_000_000, 6)).toBe('1969-12-31T23:59:59.999999');
    expect(timestampText(-1n, 1000, 3)).toBe('1969-12-31T23:59:59.999');
    expect(timestampText(1_704_164_645_123_456_789n, 1_000_000_000, 9)).toBe('2024-01-02T03:04:05.123456789');
    expect(timestampText(9_223_372_036_854_775_806n, 1_000_000, 6)).toBe('+294247-01-10T04:00:54.775806');
  });

  it('writes UTC offsets', () => {
    expect(utcOffsetText(0)).toBe('+00:00');
    expect(utcOffsetText(19_800)).toBe('+05:30');
    expect(utcOffsetText(-28_800)).toBe('-08:00');
    expect(utcOffsetText(-57_599)).toBe('-15:59:59');
  });
});

describe('intervalText', () => {
  it.each([
    [0, 0, 0n, 'PT0S'],
    [12, 0, 0n, 'P1Y'],
    [13, 2, 0n, 'P1Y1M2D'],
    [-13, -2, 0n, 'P-1Y-1M-2D'],
    [0, 0, 3_600_000_000n, 'PT1H'],
    [0, 0, 90_061_500_000n, 'PT25H1M1.5S'],
    [0, 0, -1n, 'PT-0.000001S'],
    [1, -1, 1_000_000n, 'P1M-1DT1S'],
  ])('(%d months, %d days, %d µs) → %s', (months, days, micros, expected) => {
    expect(intervalText(months, days, micros)).toBe(expected);
  });
});

describe('number text', () => {
  it('writes doubles as their shortest round-trip text, non-finite as null', () => {
    expect(doubleText(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(doubleText(-0)).toBe('0');
    expect(doubleText(Number.NaN)).toBe('null');
    expect(doubleText(Number.NEGATIVE_INFINITY)).toBe('null');
  });

  it('writes floats with the fewest digits that read back as the same float', () => {
    expect(floatText(Math.fround(0.1))).toBe('0.1');
    expect(floatText(Math.fround(1 / 3))).toBe('0.33333334');
    expect(floatText(Math.fround(16_777_217))).toBe('16777216');
    expect(floatText(Number.POSITIVE_INFINITY)).toBe('null');
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const floats = new Float32Array(1);
    const bits = new Uint32Array(floats.buffer);
    for (let i = 0; i < 5000; i++) {
      bits[0] = Math.floor(random() * 0xffffffff);
      const value = floats[0]!;
      if (!Number.isFinite(value)) continue;
      const text = floatText(value);
      expect(Math.fround(JSON.parse(text))).toBe(value);
      const significant = text.replace(/^-|e.*$|\./g, '').replace(/^0+|0+$/g, '');
      expect(significant.length).toBeLessThanOrEqual(9);
    }
  });
});

describe('uniqueColumnNames', () => {
  it('keeps unique names and suffixes repeats', () => {
    expect(uniqueColumnNames(['a', 'b', 'a', 'a'])).toEqual(['a', 'b', 'a_1', 'a_2']);
    expect(uniqueColumnNames(['a', 'a', 'a_1'])).toEqual(['a', 'a_2', 'a_1']);
    expect(uniqueColumnNames(['A', 'a'])).toEqual(['A', 'a']);
    expect(uniqueColumnNames([])).toEqual([]);
  });
});

/**
 * How a `json` result writes DATE, TIMESTAMP (every precision), TIMESTAMPTZ and INTERVAL values.
 *
 * - `iso` — exact ISO 8601 text (`"2024-01-31"`, `"2024-01-31T13:45:00.123456Z"`, `"P1M2DT3.5S"`):
 *   nothing is lost. The default of duckwire.v1 connections.
 * - `epochMs` — a JSON number of milliseconds since 1970-01-01 UTC, as the reference server
 *   (pandas' `to_json`) writes them, for baseline connections: sub-millisecond digits are floored
 *   away, and an INTERVAL counts a month as 30 days. ±infinity becomes ±9223372036854775 (and
 *   -9223372036854776), the epoch milliseconds of DuckDB's infinite timestamps.
 *
 * The integer arithmetic here is exact for every value DuckDB can hold; the numbers are written
 * with all their digits (like every integer in a `json` result), even beyond 2^53.
 */

/** The encodings of temporal values in a `json` result; see the module comment. */
export type JsonTemporal = 'iso' | 'epochMs';

const MS_PER_DAY = 86_400_000n;
/** Epoch milliseconds written for +infinity: DuckDB's infinite timestamp (2^63 - 1 µs), floored to ms. */
export const EPOCH_MS_POSITIVE_INFINITY = '9223372036854775';
/** Epoch milliseconds written for -infinity: -(2^63 - 1) µs, floored to ms. */
export const EPOCH_MS_NEGATIVE_INFINITY = '-9223372036854776';

/** `a / b` rounded towards negative infinity, for `b > 0`. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** Epoch milliseconds of a DATE's day count. */
export const epochMsOfDays = (days: number): string => (BigInt(days) * MS_PER_DAY).toString();

/**
 * Epoch milliseconds of a timestamp held as a count of `unitsPerSecond` units since the epoch
 * (1 for TIMESTAMP_S, 1000 for _MS, 10^6 for TIMESTAMP/TIMESTAMPTZ, 10^9 for _NS).
 */
export function epochMsOfUnits(units: bigint, unitsPerSecond: number): string {
  if (unitsPerSecond === 1) return (units * 1000n).toString();
  return floorDiv(units, BigInt(unitsPerSecond / 1000)).toString();
}

/** Milliseconds of an INTERVAL, a month counted as 30 days (pandas' conversion of DuckDB intervals). */
export function epochMsOfInterval(months: number, days: number, micros: bigint): string {
  return ((BigInt(months) * 30n + BigInt(days)) * MS_PER_DAY + floorDiv(micros, 1000n)).toString();
}

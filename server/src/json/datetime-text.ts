/**
 * ISO-8601 text for DuckDB's date and time values, computed from their integer representations so
 * that no precision is lost and every year DuckDB can hold (far beyond JavaScript `Date`'s range)
 * is written correctly.
 *
 * Years use the proleptic Gregorian calendar with astronomical numbering (1 BC is year `0000`,
 * 2 BC is `-0001`); years outside 0000–9999 get a sign and at least six digits (`+275760`,
 * `-000044`), the ISO-8601 "expanded" form that `Date.parse` also reads.
 */

const SECONDS_PER_DAY = 86_400;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function yearText(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, '0');
  return (year < 0 ? '-' : '+') + String(Math.abs(year)).padStart(6, '0');
}

/**
 * `YYYY-MM-DD` for a count of days since 1970-01-01 (negative before). Howard Hinnant's
 * `civil_from_days`, exact for every 32-bit day count.
 */
export function dateText(daysSinceEpoch: number): string {
  const z = daysSinceEpoch + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${yearText(year)}-${pad2(month)}-${pad2(day)}`;
}

/**
 * `HH:MM:SS` followed by `fractionDigits` fractional digits (none when 0), for an amount of time
 * since midnight in units of `1 / unitsPerSecond` s. `24:00:00` is possible (DuckDB allows it).
 */
export function timeOfDayText(units: number, unitsPerSecond: number, fractionDigits: number): string {
  const seconds = Math.floor(units / unitsPerSecond);
  const fraction = units - seconds * unitsPerSecond;
  const hh = Math.floor(seconds / 3600);
  const mm = Math.floor((seconds % 3600) / 60);
  const ss = seconds % 60;
  const base = `${pad2(hh)}:${pad2(mm)}:${pad2(ss)}`;
  return fractionDigits === 0 ? base : `${base}.${String(fraction).padStart(fractionDigits, '0')}`;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fff…]` for an instant counted in units of `1 / unitsPerSecond` s since
 * 1970-01-01T00:00:00 (no zone designator; the caller appends `Z` when the value is UTC).
 */
export function timestampText(value: bigint, unitsPerSecond: number, fractionDigits: number): string {
  const unitsPerDay = BigInt(unitsPerSecond * SECONDS_PER_DAY);
  let days = value / unitsPerDay;
  let rest = value % unitsPerDay;
  if (rest < 0n) {
    rest += unitsPerDay;
    days -= 1n;
  }
  return `${dateText(Number(days))}T${timeOfDayText(Number(rest), unitsPerSecond, fractionDigits)}`;
}

/** A UTC offset in seconds east of Greenwich as `+HH:MM`, or `+HH:MM:SS` when it has seconds. */
export function utcOffsetText(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+';
  const abs = Math.abs(offsetSeconds);
  const hh = Math.floor(abs / 3600);
  const mm = Math.floor((abs % 3600) / 60);
  const ss = abs % 60;
  return `${sign}${pad2(hh)}:${pad2(mm)}${ss === 0 ? '' : `:${pad2(ss)}`}`;
}

/**
 * An ISO-8601 duration for a DuckDB INTERVAL (months, days, microseconds), in the style of
 * PostgreSQL's `IntervalStyle = iso_8601`: `P1Y2M3DT4H5M6.789S`. Zero components are left out
 * (an all-zero interval is `PT0S`); negative components carry their own minus sign
 * (`P-1Y-2M`, `PT-1H-30M`), since DuckDB's three fields have independent signs. Fractional
 * seconds keep up to 6 digits, without trailing zeros.
 */
export function intervalText(months: number, days: number, micros: bigint): string {
  if (months === 0 && days === 0 && micros === 0n) return 'PT0S';
  let text = 'P';
  const years = Math.trunc(months / 12);
  const restMonths = months % 12;
  if (years !== 0) text += `${years}Y`;
  if (restMonths !== 0) text += `${restMonths}M`;
  if (days !== 0) text += `${days}D`;
  if (micros !== 0n) {
    text += 'T';
    const sign = micros < 0n ? '-' : '';
    const abs = micros < 0n ? -micros : micros;
    const hours = abs / 3_600_000_000n;
    const minutes = (abs / 60_000_000n) % 60n;
    const secondMicros = abs % 60_000_000n;
    if (hours !== 0n) text += `${sign}${hours}H`;
    if (minutes !== 0n) text += `${sign}${minutes}M`;
    if (secondMicros !== 0n) {
      const whole = secondMicros / 1_000_000n;
      const fraction = secondMicros % 1_000_000n;
      const fractionText = fraction === 0n ? '' : `.${String(fraction).padStart(6, '0').replace(/0+$/, '')}`;
      text += `${sign}${whole}${fractionText}S`;
    }
  }
  return text;
}

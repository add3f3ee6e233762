/**
 * JSON number text for a DOUBLE: the shortest decimal that reads back as the same double
 * (ECMAScript's `Number.prototype.toString`), or `null` for NaN and ±Infinity, which JSON cannot
 * express.
 */
export function doubleText(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/**
 * JSON number text for a FLOAT (a 32-bit float widened to a double): the shortest decimal, of at
 * most 9 significant digits, that reads back as the same 32-bit float — `0.1` rather than the
 * widened double's `0.10000000149011612`. NaN and ±Infinity give `null`.
 */
export function floatText(value: number): string {
  if (!Number.isFinite(value)) return 'null';
  if (Number.isInteger(value) && Math.abs(value) <= 16_777_216) return String(value);
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return String(candidate);
  }
  return String(Number(value.toPrecision(9)));
}

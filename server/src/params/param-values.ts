/**
 * Turns one `params` value of a v1 query (protocol `ParamValue`: plain JSON or `{"$type": …}`) into
 * the DuckDB value and type it binds as. The schema already checked the shapes; what it cannot
 * check (a 31st of February, a BIGINT out of range, a list of mixed types) is refused here with a
 * {@link ParamValueError} that the binder prefixes with the parameter's name.
 */
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DATE,
  DECIMAL,
  DOUBLE,
  type DuckDBType,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBTimeValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  DuckDBUUIDValue,
  type DuckDBValue,
  HUGEINT,
  INTERVAL,
  LIST,
  TIME,
  TIMESTAMP,
  TIMESTAMPTZ,
  UBIGINT,
  UHUGEINT,
  UUID,
  VARCHAR,
} from '@duckdb/node-api';
import type { ParamValue, ScalarParam, TypedScalarParam } from '@duckwire/protocol';

/** A parameter value that does not fit its type; the message says how (`invalid date "2024-02-30"`). */
export class ParamValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamValueError';
  }
}

/** A value ready to bind: `value` null binds SQL NULL. */
export interface BoundValue {
  readonly value: DuckDBValue;
  readonly type: DuckDBType;
}

const MAX_SAFE = 2 ** 53;
const MICROS_PER_DAY = 86_400_000_000n;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Integer bounds of the typed integer parameters. */
const INTEGER_RANGES = {
  bigint: [-(2n ** 63n), 2n ** 63n - 1n, BIGINT],
  hugeint: [-(2n ** 127n), 2n ** 127n - 1n, HUGEINT],
  ubigint: [0n, 2n ** 64n - 1n, UBIGINT],
  uhugeint: [0n, 2n ** 128n - 1n, UHUGEINT],
} as const;

/** The DuckDB value and type of one parameter value. */
export function toBoundValue(param: ParamValue): BoundValue {
  if (Array.isArray(param)) return listOf(param);
  if (param !== null && typeof param === 'object' && param.$type === 'list') return listOf(param.value);
  return scalarOf(param as ScalarParam);
}

function scalarOf(param: ScalarParam): BoundValue {
  if (param === null) return { value: null, type: VARCHAR };
  switch (typeof param) {
    case 'boolean':
      return { value: param, type: BOOLEAN };
    case 'string':
      return { value: param, type: VARCHAR };
    case 'number':
      // An integer JSON carries exactly binds as an integer; anything else is a DOUBLE.
      return Number.isInteger(param) && Math.abs(param) <= MAX_SAFE
        ? { value: BigInt(param), type: BIGINT }
        : { value: param, type: DOUBLE };
    default:
      return typedOf(param);
  }
}

function typedOf(param: TypedScalarParam): BoundValue {
  switch (param.$type) {
    case 'bigint':
    case 'hugeint':
    case 'ubigint':
    case 'uhugeint': {
      const [min, max, type] = INTEGER_RANGES[param.$type];
      const value = BigInt(param.value);
      if (value < min || value > max) throw new ParamValueError(`${param.value} is out of range for ${param.$type.toUpperCase()}`);
      return { value, type };
    }
    case 'decimal':
      return decimalOf(param.value, param.precision, param.scale);
    case 'double':
      return { value: typeof param.value === 'number' ? param.value : Number(param.value), type: DOUBLE };
    case 'date':
      return { value: new DuckDBDateValue(daysOf(param.value, 'date')), type: DATE };
    case 'time':
      return { value: new DuckDBTimeValue(timeMicrosOf(param.value, 'time')), type: TIME };
    case 'timestamp':
      return { value: new DuckDBTimestampValue(timestampMicrosOf(param.value, 'timestamp')), type: TIMESTAMP };
    case 'timestamptz':
      return { value: new DuckDBTimestampTZValue(timestampMicrosOf(param.value, 'timestamptz')), type: TIMESTAMPTZ };
    case 'interval': {
      const { months, days, micros } = param.value;
      if (months < INT32_MIN || months > INT32_MAX || days < INT32_MIN || days > INT32_MAX) {
        throw new ParamValueError('interval months and days must be 32-bit integers');
      }
      if (typeof micros === 'number' && !Number.isSafeInteger(micros)) {
        throw new ParamValueError('interval micros beyond 2^53 must be a decimal string');
      }
      return { value: new DuckDBIntervalValue(months, days, BigInt(micros)), type: INTERVAL };
    }
    case 'uuid': {
      const hex = param.value.replaceAll('-', '');
      if (hex.length !== 32) throw new ParamValueError(`invalid uuid "${param.value}"`);
      return { value: DuckDBUUIDValue.fromUint128(BigInt(`0x${hex}`)), type: UUID };
    }
    case 'blob':
      if (param.value.length % 4 === 1) throw new ParamValueError('invalid base64 in blob');
      return { value: new DuckDBBlobValue(Buffer.from(param.value, 'base64')), type: BLOB };
    case 'varchar':
      return { value: param.value, type: VARCHAR };
    default: {
      const unknown: never = param;
      throw new ParamValueError(`unknown $type ${JSON.stringify((unknown as { $type: unknown }).$type)}`);
    }
  }
}

function decimalOf(text: string, precision: number | undefined, scale: number | undefined): BoundValue {
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const digitsScale = scale ?? fraction.length;
  if (fraction.length > digitsScale) {
    throw new ParamValueError(`decimal "${text}" has more than ${digitsScale} digits after the point (scale ${digitsScale})`);
  }
  const digits = `${whole}${fraction.padEnd(digitsScale, '0')}`.replace(/^0+(?=\d)/, '');
  const width = precision ?? Math.max(digits.length, digitsScale + 1, 1);
  if (width > 38) throw new ParamValueError(`decimal "${text}" has more than 38 digits`);
  if (digitsScale > width) throw new ParamValueError(`decimal scale ${digitsScale} exceeds precision ${width}`);
  if (digits.length > width) throw new ParamValueError(`decimal "${text}" does not fit DECIMAL(${width},${digitsScale})`);
  const value = BigInt(digits) * (negative ? -1n : 1n);
  return { value: new DuckDBDecimalValue(value, width, digitsScale), type: DECIMAL(width, digitsScale) };
}

const DATE_PART = /^(-?\d{4,})-(\d{2})-(\d{2})/;
const TIME_PART = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/;
const ZONE_PART = /^(?:Z|([+-])(\d{2}):?(\d{2})?)$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parseDate(text: string, what: string): { days: number; rest: string } {
  const match = DATE_PART.exec(text);
  if (!match) throw new ParamValueError(`invalid ${what} "${text}"`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || Math.abs(year) > 290_000) {
    throw new ParamValueError(`invalid ${what} "${text}"`);
  }
  return { days: daysFromCivil(year, month, day), rest: text.slice(match[0].length) };
}

function parseTime(text: string, whole: string, what: string): { micros: bigint; rest: string } {
  const match = TIME_PART.exec(text);
  if (!match) throw new ParamValueError(`invalid ${what} "${whole}"`);
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (hours > 23 || minutes > 59 || seconds > 59) throw new ParamValueError(`invalid ${what} "${whole}"`);
  const fraction = BigInt((match[4] ?? '').padEnd(6, '0'));
  const micros = BigInt((hours * 60 + minutes) * 60 + seconds) * 1_000_000n + fraction;
  return { micros, rest: text.slice(match[0].length) };
}

function daysOf(text: string, what: string): number {
  const { days, rest } = parseDate(text, what);
  if (rest !== '') throw new ParamValueError(`invalid ${what} "${text}"`);
  return days;
}

function timeMicrosOf(text: string, what: string): bigint {
  const { micros, rest } = parseTime(text, text, what);
  if (rest !== '') throw new ParamValueError(`invalid ${what} "${text}"`);
  return micros;
}

/** Microseconds since the epoch; with a zone (timestamptz), in UTC. */
function timestampMicrosOf(text: string, what: 'timestamp' | 'timestamptz'): bigint {
  const date = parseDate(text, what);
  const separator = date.rest[0];
  if (separator !== 'T' && separator !== ' ') throw new ParamValueError(`invalid ${what} "${text}"`);
  const time = parseTime(date.rest.slice(1), text, what);
  let micros = BigInt(date.days) * MICROS_PER_DAY + time.micros;
  if (what === 'timestamp') {
    if (time.rest !== '') throw new ParamValueError(`invalid ${what} "${text}" (no time zone allowed; use timestamptz)`);
    return micros;
  }
  const zone = ZONE_PART.exec(time.rest);
  if (!zone) throw new ParamValueError(`invalid ${what} "${text}" (ends with Z or ±HH:MM)`);
  if (zone[1]) {
    const [hours, minutes] = [Number(zone[2]), Number(zone[3] ?? '0')];
    if (hours > 23 || minutes > 59) throw new ParamValueError(`invalid ${what} "${text}"`);
    const offset = BigInt((hours * 60 + minutes) * 60) * 1_000_000n;
    micros += zone[1] === '+' ? -offset : offset;
  }
  return micros;
}

/** A LIST of the items' common type: integers widen to DOUBLE beside doubles, decimals to a common scale. */
function listOf(items: readonly ScalarParam[]): BoundValue {
  const bound = items.map((item, index) => {
    try {
      return scalarOf(item);
    } catch (error) {
      throw new ParamValueError(`list item ${index + 1}: ${(error as Error).message}`);
    }
  });
  const present = bound.filter((item) => item.value !== null);
  if (present.length === 0) return { value: new DuckDBListValue(bound.map(() => null)), type: LIST(VARCHAR) };
  const ids = new Set(present.map((item) => item.type.typeId));
  if (ids.size === 1 && ids.has(DuckDBTypeId.DECIMAL)) return decimalList(bound);
  if (ids.size === 2 && ids.has(DuckDBTypeId.BIGINT) && ids.has(DuckDBTypeId.DOUBLE)) {
    const values = bound.map(({ value }) => (value === null ? null : Number(value)));
    return { value: new DuckDBListValue(values), type: LIST(DOUBLE) };
  }
  if (ids.size > 1) {
    const names = [...new Set(present.map((item) => item.type.toString()))].join(', ');
    throw new ParamValueError(`a list's items must have one type, got ${names}`);
  }
  return { value: new DuckDBListValue(bound.map(({ value }) => value)), type: LIST(present[0].type) };
}

function decimalList(bound: readonly BoundValue[]): BoundValue {
  const decimals = bound.map(({ value }) => value as DuckDBDecimalValue | null);
  const scale = Math.max(...decimals.map((d) => d?.scale ?? 0));
  const integerDigits = Math.max(...decimals.map((d) => (d ? d.width - d.scale : 0)));
  const width = integerDigits + scale;
  if (width > 38) throw new ParamValueError('a list of decimals needs more than 38 digits in common');
  const values = decimals.map((d) => (d === null ? null : new DuckDBDecimalValue(d.value * 10n ** BigInt(scale - d.scale), width, scale)));
  return { value: new DuckDBListValue(values), type: LIST(DECIMAL(width, scale)) };
}

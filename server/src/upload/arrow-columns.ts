import {
  arrayValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBTimeNSValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeValue,
  type DuckDBValue,
  listValue,
  mapValue,
  structValue,
} from '@duckdb/node-api';
import {
  type Data,
  type DataType,
  DateUnit,
  type Dictionary,
  type Field,
  IntervalUnit,
  makeVector,
  Precision,
  TimeUnit,
  Type,
} from 'apache-arrow';
import { UploadError } from '../errors.js';
import { quoteIdentifier } from '../sql/identifiers.js';

/** Reads the value at a row of one Arrow `Data` as a DuckDB value (`null` for NULL). */
export type ValueReader = (index: number) => DuckDBValue;

/** How one Arrow type is stored in DuckDB. */
export interface ColumnMapping {
  /** The DuckDB column type, as SQL (nested member names quoted). */
  readonly sqlType: string;
  /** Makes the row reader for one `Data` (one record batch's worth) of this type. */
  readonly reader: (data: Data) => ValueReader;
}

// biome-ignore lint/suspicious/noExplicitAny: apache-arrow's Data buffers are typed per DataType.
type AnyData = Data<any>;
type Int64Array = BigInt64Array | BigUint64Array;

/** Wraps a reader of valid rows so that NULL rows read as `null`. */
function withValidity(data: AnyData, read: ValueReader): ValueReader {
  if (data.nullCount === 0) return read;
  const bitmap = data.nullBitmap as Uint8Array | undefined;
  if (!bitmap || bitmap.length === 0) return (i) => (data.getValid(i) ? read(i) : null);
  const offset = data.offset;
  return (i) => {
    const pos = offset + i;
    return (bitmap[pos >> 3]! & (1 << (pos & 7))) !== 0 ? read(i) : null;
  };
}

function mapping(sqlType: string, readValid: (data: AnyData) => ValueReader): ColumnMapping {
  return { sqlType, reader: (data) => withValidity(data, readValid(data)) };
}

/** Variable-width offsets (32- or 64-bit) read as numbers. */
function offsetsOf(data: AnyData): (i: number) => number {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  return offsets instanceof BigInt64Array ? (i) => Number(offsets[i]) : (i) => offsets[i]!;
}

function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** A two's-complement integer of `words` little-endian 32-bit words. */
function readWideInt(values: Uint32Array, start: number, words: number): bigint {
  let result = 0n;
  for (let w = words - 1; w >= 0; w--) result = (result << 32n) | BigInt(values[start + w]!);
  return BigInt.asIntN(words * 32, result);
}

const MICROS_PER_UNIT: Record<TimeUnit, bigint> = {
  [TimeUnit.SECOND]: 1_000_000n,
  [TimeUnit.MILLISECOND]: 1000n,
  [TimeUnit.MICROSECOND]: 1n,
  [TimeUnit.NANOSECOND]: 1n,
};

/** Converts an amount of `unit` to microseconds (nanoseconds are floored). */
function toMicros(value: bigint, unit: TimeUnit): bigint {
  if (unit === TimeUnit.NANOSECOND) {
    const micros = value / 1000n;
    return value < 0n && micros * 1000n !== value ? micros - 1n : micros;
  }
  return value * MICROS_PER_UNIT[unit];
}

function int64At(values: Int64Array | Int32Array, i: number): bigint {
  const value = values[i]!;
  return typeof value === 'bigint' ? value : BigInt(value);
}

function timestampMapping(type: DataType & { unit: TimeUnit; timezone?: string | null }): ColumnMapping {
  if (type.timezone) {
    return mapping('TIMESTAMPTZ', (data) => {
      const values = data.values as BigInt64Array;
      return (i) => new DuckDBTimestampTZValue(toMicros(values[i]!, type.unit));
    });
  }
  switch (type.unit) {
    case TimeUnit.SECOND:
      return mapping('TIMESTAMP_S', (data) => {
        const values = data.values as BigInt64Array;
        return (i) => new DuckDBTimestampSecondsValue(values[i]!);
      });
    case TimeUnit.MILLISECOND:
      return mapping('TIMESTAMP_MS', (data) => {
        const values = data.values as BigInt64Array;
        return (i) => new DuckDBTimestampMillisecondsValue(values[i]!);
      });
    case TimeUnit.MICROSECOND:
      return mapping('TIMESTAMP', (data) => {
        const values = data.values as BigInt64Array;
        return (i) => new DuckDBTimestampValue(values[i]!);
      });
    default:
      return mapping('TIMESTAMP_NS', (data) => {
        const values = data.values as BigInt64Array;
        return (i) => new DuckDBTimestampNanosecondsValue(values[i]!);
      });
  }
}

function timeMapping(unit: TimeUnit): ColumnMapping {
  if (unit === TimeUnit.NANOSECOND) {
    return mapping('TIME_NS', (data) => {
      const values = data.values as BigInt64Array | Int32Array;
      return (i) => new DuckDBTimeNSValue(int64At(values, i));
    });
  }
  return mapping('TIME', (data) => {
    const values = data.values as BigInt64Array | Int32Array;
    return (i) => new DuckDBTimeValue(toMicros(int64At(values, i), unit));
  });
}

function decimalMapping(type: DataType & { precision: number; scale: number; bitWidth: number }, path: string) {
  const { precision, scale, bitWidth } = type;
  if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
    throw unsupported(path, type, 'DuckDB decimals have a precision of 1 to 38 and a scale from 0 to the precision');
  }
  const words = bitWidth / 32;
  return mapping(`DECIMAL(${precision},${scale})`, (data) => {
    const values = data.values as Uint32Array;
    return (i) => new DuckDBDecimalValue(readWideInt(values, i * words, words), precision, scale);
  });
}

function intervalMapping(unit: IntervalUnit): ColumnMapping {
  return mapping('INTERVAL', (data) => {
    const values = data.values as Int32Array;
    switch (unit) {
      case IntervalUnit.YEAR_MONTH:
        return (i) => new DuckDBIntervalValue(values[i]!, 0, 0n);
      case IntervalUnit.DAY_TIME:
        return (i) => new DuckDBIntervalValue(0, values[2 * i]!, BigInt(values[2 * i + 1]!) * 1000n);
      default: {
        return (i) => {
          const nanos = (BigInt(values[4 * i + 3]!) << 32n) | BigInt(values[4 * i + 2]! >>> 0);
          return new DuckDBIntervalValue(values[4 * i]!, values[4 * i + 1]!, toMicros(nanos, TimeUnit.NANOSECOND));
        };
      }
    }
  });
}

function listMapping(child: Field, path: string): ColumnMapping {
  const item = arrowTypeMapping(child.type, `${path}[]`);
  return mapping(`${item.sqlType}[]`, (data) => {
    const readItem = item.reader(data.children[0]!);
    const offset = offsetsOf(data);
    return (i) => {
      const start = offset(i);
      const end = offset(i + 1);
      const items = new Array<DuckDBValue>(end - start);
      for (let j = start; j < end; j++) items[j - start] = readItem(j);
      return listValue(items);
    };
  });
}

function fixedSizeListMapping(child: Field, size: number, path: string): ColumnMapping {
  const item = arrowTypeMapping(child.type, `${path}[]`);
  if (size < 1) throw unsupported(path, `FixedSizeList[${size}]`, 'DuckDB arrays hold at least one item');
  return mapping(`${item.sqlType}[${size}]`, (data) => {
    const readItem = item.reader(data.children[0]!);
    return (i) => {
      const items = new Array<DuckDBValue>(size);
      for (let j = 0; j < size; j++) items[j] = readItem(i * size + j);
      return arrayValue(items);
    };
  });
}

function structMapping(children: readonly Field[], path: string): ColumnMapping {
  if (children.length === 0) throw unsupported(path, 'Struct<{}>', 'DuckDB structs need at least one member');
  checkNames(
    children.map((f) => f.name),
    `struct ${JSON.stringify(path)}`,
  );
  const members = children.map((field) => arrowTypeMapping(field.type, `${path}.${field.name}`));
  const sqlType = `STRUCT(${children.map((f, k) => `${quoteIdentifier(f.name)} ${members[k]!.sqlType}`).join(', ')})`;
  return mapping(sqlType, (data) => {
    const readers = members.map((member, k) => member.reader(data.children[k]!));
    return (i) => {
      const entries: Record<string, DuckDBValue> = {};
      for (let k = 0; k < readers.length; k++) entries[children[k]!.name] = readers[k]!(i);
      return structValue(entries);
    };
  });
}

function mapMapping(entries: Field, path: string): ColumnMapping {
  const [keyField, valueField] = (entries.type as DataType & { children: Field[] }).children;
  const key = arrowTypeMapping(keyField!.type, `${path}.key`);
  const value = arrowTypeMapping(valueField!.type, `${path}.value`);
  return mapping(`MAP(${key.sqlType}, ${value.sqlType})`, (data) => {
    const entryData = data.children[0]!;
    const readKey = key.reader(entryData.children[0]!);
    const readValue = value.reader(entryData.children[1]!);
    const offset = offsetsOf(data);
    return (i) => {
      const pairs = [];
      for (let j = offset(i); j < offset(i + 1); j++) pairs.push({ key: readKey(j), value: readValue(j) });
      return mapValue(pairs);
    };
  });
}

function dictionaryMapping(type: Dictionary, path: string): ColumnMapping {
  const value = arrowTypeMapping(type.dictionary, path);
  return mapping(value.sqlType, (data) => {
    const indices = data.values as Int32Array | BigInt64Array | Uint32Array | BigUint64Array;
    const dictionaryData = data.dictionary?.data ?? [];
    const readers = dictionaryData.map((chunk: AnyData) => value.reader(chunk));
    const starts = [0];
    for (const chunk of dictionaryData) starts.push(starts.at(-1)! + chunk.length);
    return (i) => {
      const index = Number(indices[i]!);
      let k = 0;
      while (k + 1 < starts.length - 1 && index >= starts[k + 1]!) k++;
      if (index < 0 || index >= starts.at(-1)!) {
        throw new UploadError(`column ${JSON.stringify(path)}: dictionary index ${index} is out of range`);
      }
      return readers[k]!(index - starts[k]!);
    };
  });
}

/** A reader through apache-arrow's own getter, for types without a dedicated fast path. */
function viaVector(sqlType: string, convert: (value: unknown) => DuckDBValue): ColumnMapping {
  return mapping(sqlType, (data) => {
    const vector = makeVector(data);
    return (i) => convert(vector.get(i));
  });
}

function unsupported(path: string, type: DataType | string, why?: string): UploadError {
  return new UploadError(
    `column ${JSON.stringify(path)} has Arrow type ${String(type)}, which cannot be uploaded${why ? `: ${why}` : ''}`,
  );
}

/**
 * Refuses names DuckDB cannot take as a set of columns or struct members: empty ones, ones with a
 * NUL, and names equal when compared case-insensitively (DuckDB identifiers are).
 */
export function checkNames(names: readonly string[], what: string): void {
  const seen = new Map<string, string>();
  names.forEach((name, i) => {
    if (typeof name !== 'string') throw new UploadError(`${what}: member ${i + 1} has no name`);
    if (name === '') throw new UploadError(`${what}: member ${i + 1} has an empty name`);
    if (name.includes('\u0000')) throw new UploadError(`${what}: name ${JSON.stringify(name)} contains NUL`);
    const folded = name.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined) {
      throw new UploadError(
        `${what}: names ${JSON.stringify(earlier)} and ${JSON.stringify(name)} clash (case-insensitive)`,
      );
    }
    seen.set(folded, name);
  });
}

/**
 * How an Arrow field is stored in DuckDB: its column type and its row reader.
 *
 * Supported: Null (INTEGER, all NULL), Bool, Int8–64, Uint8–64, Float16/32/64, Decimal (precision
 * ≤ 38), Utf8, LargeUtf8, Utf8View, Binary, LargeBinary, BinaryView, FixedSizeBinary, Date (day,
 * millisecond), Time (all units; nanoseconds → TIME_NS), Timestamp (s/ms/µs/ns → TIMESTAMP_S /
 * TIMESTAMP_MS / TIMESTAMP / TIMESTAMP_NS; with a time zone → TIMESTAMPTZ), Interval, Duration
 * (→ INTERVAL), Dictionary (→ its value type), List, LargeList, FixedSizeList (→ ARRAY), Struct,
 * Map. Everything else (unions, run-end encoded, …) is refused.
 *
 * @param field - the Arrow field (a column of the uploaded schema).
 * @throws UploadError naming the column and its type when the type is not supported.
 */
export function arrowColumnMapping(field: Field): ColumnMapping {
  return arrowTypeMapping(field.type, field.name);
}

function arrowTypeMapping(arrowType: DataType, path: string): ColumnMapping {
  // biome-ignore lint/suspicious/noExplicitAny: the switch narrows by typeId; apache-arrow's types are generic.
  const type = arrowType as any;
  switch (type.typeId as Type) {
    case Type.Null:
      return { sqlType: 'INTEGER', reader: () => () => null };
    case Type.Bool:
      return mapping('BOOLEAN', (data) => {
        const values = data.values as Uint8Array;
        const offset = data.offset;
        return (i) => ((values[(offset + i) >> 3]! >> ((offset + i) & 7)) & 1) === 1;
      });
    case Type.Int: {
      const sqlType = intSqlType(type.bitWidth, type.isSigned);
      return mapping(sqlType, (data) => {
        const values = data.values as Int32Array | BigInt64Array;
        return (i) => values[i]!;
      });
    }
    case Type.Float:
      if (type.precision === Precision.HALF) {
        return mapping('FLOAT', (data) => {
          const values = data.values as Uint16Array;
          return (i) => halfToNumber(values[i]!);
        });
      }
      return mapping(type.precision === Precision.SINGLE ? 'FLOAT' : 'DOUBLE', (data) => {
        const values = data.values as Float64Array;
        return (i) => values[i]!;
      });
    case Type.Decimal:
      return decimalMapping(type, path);
    case Type.Utf8:
    case Type.LargeUtf8:
      return mapping('VARCHAR', (data) => {
        const values = data.values as Uint8Array;
        const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
        const offset = offsetsOf(data);
        return (i) => bytes.toString('utf8', offset(i), offset(i + 1));
      });
    case Type.Utf8View:
      return viaVector('VARCHAR', (value) => value as string);
    case Type.Binary:
    case Type.LargeBinary:
      return mapping('BLOB', (data) => {
        const values = data.values as Uint8Array;
        const offset = offsetsOf(data);
        return (i) => new DuckDBBlobValue(values.subarray(offset(i), offset(i + 1)));
      });
    case Type.BinaryView:
      return viaVector('BLOB', (value) => new DuckDBBlobValue(value as Uint8Array));
    case Type.FixedSizeBinary:
      return mapping('BLOB', (data) => {
        const values = data.values as Uint8Array;
        const width = type.byteWidth as number;
        return (i) => new DuckDBBlobValue(values.subarray(i * width, (i + 1) * width));
      });
    case Type.Date:
      return mapping('DATE', (data) => {
        if (type.unit === DateUnit.DAY) {
          const values = data.values as Int32Array;
          return (i) => new DuckDBDateValue(values[i]!);
        }
        const values = data.values as BigInt64Array | Int32Array;
        return (i) => new DuckDBDateValue(Math.floor(Number(int64At(values, i)) / 86_400_000));
      });
    case Type.Time:
      return timeMapping(type.unit);
    case Type.Timestamp:
      return timestampMapping(type);
    case Type.Interval:
      return intervalMapping(type.unit);
    case Type.Duration:
      return mapping('INTERVAL', (data) => {
        const values = data.values as BigInt64Array;
        return (i) => new DuckDBIntervalValue(0, 0, toMicros(values[i]!, type.unit));
      });
    case Type.Dictionary:
      return dictionaryMapping(type, path);
    case Type.List:
    case Type.LargeList:
      return listMapping(type.children[0], path);
    case Type.FixedSizeList:
      return fixedSizeListMapping(type.children[0], type.listSize, path);
    case Type.Struct:
      return structMapping(type.children, path);
    case Type.Map:
      return mapMapping(type.children[0], path);
    default:
      throw unsupported(path, type);
  }
}

function intSqlType(bitWidth: number, signed: boolean): string {
  const names: Record<number, [string, string]> = {
    8: ['TINYINT', 'UTINYINT'],
    16: ['SMALLINT', 'USMALLINT'],
    32: ['INTEGER', 'UINTEGER'],
    64: ['BIGINT', 'UBIGINT'],
  };
  const pair = names[bitWidth];
  if (!pair) throw new UploadError(`unsupported integer width ${bitWidth}`);
  return signed ? pair[0] : pair[1];
}

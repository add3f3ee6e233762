// Test helpers of the Arrow encoder tests: run a query, encode it, decode it with apache-arrow,
// and put both DuckDB's values and the decoded Arrow values into one comparable form.
import {
  type DuckDBConnection,
  DuckDBTypeId,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBListType,
  type DuckDBArrayType,
  type DuckDBStructType,
  type DuckDBMapType,
  type DuckDBUnionType,
  type DuckDBDecimalValue,
  type DuckDBBlobValue,
  type DuckDBBitValue,
  type DuckDBGeometryValue,
  type DuckDBDateValue,
  type DuckDBTimeValue,
  type DuckDBTimeNSValue,
  type DuckDBTimeTZValue,
  type DuckDBTimestampValue,
  type DuckDBTimestampTZValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBIntervalValue,
  type DuckDBListValue,
  type DuckDBArrayValue,
  type DuckDBStructValue,
  type DuckDBMapValue,
  type DuckDBUnionValue,
  type DuckDBUUIDValue,
} from '@duckdb/node-api';
import {
  type Data,
  type Dictionary,
  type FixedSizeList,
  makeVector,
  type Table,
  tableFromIPC,
  Type,
  type Union,
} from 'apache-arrow';
import { type ArrowEncodeOptions, encodeArrowStream } from '../src/arrow/encode-result.js';

/** A value both sides are turned into: JSON-like, bigints as decimal strings. */
export type Canon = null | boolean | number | string | Canon[] | { [key: string]: Canon };

/** Encodes the streaming result of `sql` and returns the pieces yielded. */
export async function encodePieces(
  connection: DuckDBConnection,
  sql: string,
  options?: ArrowEncodeOptions,
): Promise<Uint8Array[]> {
  const result = await connection.stream(sql);
  const pieces: Uint8Array[] = [];
  for await (const piece of encodeArrowStream(result, options)) pieces.push(piece);
  return pieces;
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** Encodes the result of `sql` and decodes it with apache-arrow. */
export async function encodeToTable(
  connection: DuckDBConnection,
  sql: string,
  options?: ArrowEncodeOptions,
): Promise<Table> {
  return tableFromIPC(concatBytes(await encodePieces(connection, sql, options)));
}

/** DuckDB's own rows of `sql`, in canonical form, with column names and types. */
export async function duckRows(
  connection: DuckDBConnection,
  sql: string,
): Promise<{ names: string[]; types: DuckDBType[]; rows: Canon[][] }> {
  const reader = await connection.runAndReadAll(sql);
  const types = reader.columnTypes();
  const rows = reader.getRows().map((row) => row.map((value, i) => duckCanon(value, types[i])));
  return { names: reader.columnNames(), types, rows };
}

/** The rows of a decoded Arrow table, in canonical form. */
export function arrowRows(table: Table): Canon[][] {
  const rows: Canon[][] = [];
  for (const batch of table.batches) {
    const columns = batch.data.children;
    for (let i = 0; i < batch.numRows; i++) rows.push(columns.map((data) => arrowCanon(data, i)));
  }
  return rows;
}

/** Runs `sql` through DuckDB and through the encoder and returns both, for comparison. */
export async function bothWays(
  connection: DuckDBConnection,
  sql: string,
  options?: ArrowEncodeOptions,
): Promise<{ table: Table; expected: Canon[][]; actual: Canon[][] }> {
  const table = await encodeToTable(connection, sql, options);
  const { rows } = await duckRows(connection, sql);
  return { table, expected: rows, actual: arrowRows(table) };
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function leBigInt(bytes: Uint8Array, signed: boolean): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return signed ? BigInt.asIntN(bytes.length * 8, value) : value;
}

/** A DuckDB value in canonical form (integers of temporal types in their storage unit). */
export function duckCanon(value: DuckDBValue, type: DuckDBType): Canon {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return String(value);
    case DuckDBTypeId.DECIMAL:
      return (value as DuckDBDecimalValue).value.toString();
    case DuckDBTypeId.BLOB:
      return hex((value as DuckDBBlobValue).bytes);
    case DuckDBTypeId.BIT:
      return hex((value as DuckDBBitValue).data);
    case DuckDBTypeId.GEOMETRY:
      return hex((value as DuckDBGeometryValue).bytes);
    case DuckDBTypeId.DATE:
      return (value as DuckDBDateValue).days;
    case DuckDBTypeId.TIME:
      return (value as DuckDBTimeValue).micros.toString();
    case DuckDBTypeId.TIME_NS:
      return (value as DuckDBTimeNSValue).nanos.toString();
    case DuckDBTypeId.TIME_TZ:
      return (value as DuckDBTimeTZValue).micros.toString();
    case DuckDBTypeId.TIMESTAMP:
      return (value as DuckDBTimestampValue).micros.toString();
    case DuckDBTypeId.TIMESTAMP_TZ:
      return (value as DuckDBTimestampTZValue).micros.toString();
    case DuckDBTypeId.TIMESTAMP_S:
      return (value as DuckDBTimestampSecondsValue).seconds.toString();
    case DuckDBTypeId.TIMESTAMP_MS:
      return (value as DuckDBTimestampMillisecondsValue).millis.toString();
    case DuckDBTypeId.TIMESTAMP_NS:
      return (value as DuckDBTimestampNanosecondsValue).nanos.toString();
    case DuckDBTypeId.INTERVAL: {
      const v = value as DuckDBIntervalValue;
      return [v.months, v.days, (v.micros * 1000n).toString()];
    }
    case DuckDBTypeId.UUID:
      return (value as DuckDBUUIDValue).toString();
    case DuckDBTypeId.LIST: {
      const child = (type as DuckDBListType).valueType;
      return (value as DuckDBListValue).items.map((item) => duckCanon(item, child));
    }
    case DuckDBTypeId.ARRAY: {
      const child = (type as DuckDBArrayType).valueType;
      return (value as DuckDBArrayValue).items.map((item) => duckCanon(item, child));
    }
    case DuckDBTypeId.STRUCT: {
      const struct = type as DuckDBStructType;
      const entries = (value as DuckDBStructValue).entries;
      const out: { [key: string]: Canon } = {};
      struct.entryNames.forEach((name, i) => {
        out[name] = duckCanon(entries[name] ?? null, struct.entryTypes[i]);
      });
      return out;
    }
    case DuckDBTypeId.MAP: {
      const map = type as DuckDBMapType;
      return (value as DuckDBMapValue).entries.map((e) => ({
        key: duckCanon(e.key, map.keyType),
        value: duckCanon(e.value, map.valueType),
      }));
    }
    case DuckDBTypeId.UNION: {
      const union = type as DuckDBUnionType;
      const v = value as DuckDBUnionValue;
      return { tag: v.tag, value: duckCanon(v.value, union.memberTypeForTag(v.tag)) };
    }
    default:
      if (typeof value === 'bigint') return value.toString();
      if (typeof value === 'object') return String(value);
      return value as Canon;
  }
}

function rawBytes(data: Data, index: number, width: number): Uint8Array {
  const values = data.values as unknown as ArrayBufferView;
  return new Uint8Array(values.buffer, values.byteOffset + (data.offset + index) * width, width);
}

/** An Arrow value in canonical form (temporal types as their raw integers). */
export function arrowCanon(data: Data, index: number): Canon {
  const type = data.type;
  if (type.typeId === Type.Union || type.typeId === Type.SparseUnion) {
    const union = type as Union;
    const typeId = data.typeIds[data.offset + index];
    const child = union.typeIdToChildIndex[typeId];
    const value = arrowCanon(data.children[child], data.offset + index);
    // DuckDB exports a NULL union as type id 0 with a NULL member 0 value.
    if (child === 0 && value === null) return null;
    return { tag: union.children[child].name, value };
  }
  if (!data.getValid(index)) return null;
  switch (type.typeId) {
    case Type.Int: {
      const { bitWidth, isSigned } = type as unknown as { bitWidth: number; isSigned: boolean };
      if (bitWidth === 64) return leBigInt(rawBytes(data, index, 8), isSigned).toString();
      return makeVector(data).get(index) as number;
    }
    case Type.Decimal:
      return leBigInt(rawBytes(data, index, 16), true).toString();
    case Type.FixedSizeBinary:
      return leBigInt(makeVector(data).get(index) as Uint8Array, false).toString();
    case Type.Binary:
      return hex(makeVector(data).get(index) as Uint8Array);
    case Type.Date:
      return new Int32Array(rawBytes(data, index, 4).slice().buffer)[0];
    case Type.Time:
    case Type.Timestamp:
      return leBigInt(rawBytes(data, index, 8), true).toString();
    case Type.Interval: {
      const bytes = rawBytes(data, index, 16).slice();
      const ints = new Int32Array(bytes.buffer);
      return [ints[0], ints[1], leBigInt(bytes.subarray(8), true).toString()];
    }
    case Type.List:
    case Type.Map: {
      const offsets = data.valueOffsets;
      const from = offsets[data.offset + index];
      const to = offsets[data.offset + index + 1];
      const child = data.children[0];
      const items: Canon[] = [];
      for (let k = from; k < to; k++) items.push(arrowCanon(child, k));
      return items;
    }
    case Type.FixedSizeList: {
      const n = (type as FixedSizeList).listSize;
      const child = data.children[0];
      const items: Canon[] = [];
      for (let k = 0; k < n; k++) items.push(arrowCanon(child, (data.offset + index) * n + k));
      return items;
    }
    case Type.Struct: {
      const out: { [key: string]: Canon } = {};
      type.children.forEach((field, i) => {
        out[field.name] = arrowCanon(data.children[i], data.offset + index);
      });
      return out;
    }
    case Type.Dictionary: {
      const dictionary = (data as unknown as { dictionary: { get(i: number): unknown } }).dictionary;
      const key = Number(data.values[data.offset + index]);
      void (type as Dictionary);
      return dictionary.get(key) as string;
    }
    default: {
      const value = makeVector(data).get(index);
      if (typeof value === 'bigint') return value.toString();
      return value as Canon;
    }
  }
}

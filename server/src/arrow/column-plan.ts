import {
  type DuckDBArrayType,
  type DuckDBDecimalType,
  type DuckDBEnumType,
  type DuckDBGeometryType,
  type DuckDBListType,
  type DuckDBMapType,
  type DuckDBStructType,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBUnionType,
} from '@duckdb/node-api';
import { IntervalUnit, TimeUnit, UnionMode } from 'apache-arrow/enum';
import { Field } from 'apache-arrow/schema';
import {
  Binary,
  Bool,
  type DataType,
  DateDay,
  Decimal,
  Dictionary,
  FixedSizeBinary,
  FixedSizeList,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  Interval,
  List,
  Map_,
  Struct,
  Time,
  Timestamp,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Union,
  Utf8,
} from 'apache-arrow/type';
import { UnsupportedTypeError } from '../errors.js';
import { BooleanEncoder } from './encoders/boolean.js';
import type { ColumnEncoder } from './encoders/column-encoder.js';
import { intervalToMonthDayNano, timeTzToMicros, widenToInt128 } from './encoders/converters.js';
import { FixedSizeListEncoder } from './encoders/fixed-size-list.js';
import { FixedWidthEncoder } from './encoders/fixed-width.js';
import { ListEncoder } from './encoders/list.js';
import { StringEncoder } from './encoders/string.js';
import { StructEncoder } from './encoders/struct.js';
import { UnionEncoder } from './encoders/union.js';
import { UuidEncoder } from './encoders/uuid.js';

/** A dictionary the stream must send before its first record batch (the values of an ENUM). */
export interface DictionaryPlan {
  readonly id: number;
  readonly values: readonly string[];
}

/** Settings and state shared while planning the columns of one result. */
export interface PlanContext {
  /** Time zone written on TIMESTAMP WITH TIME ZONE columns. */
  readonly timeZone: string;
  /** Dictionaries found so far (ids are their indexes). */
  readonly dictionaries: DictionaryPlan[];
}

/** How one DuckDB column (or nested child) becomes Arrow: its field and its encoder. */
export interface ColumnPlan {
  readonly field: Field;
  readonly encoder: ColumnEncoder;
}

/** Field metadata of DuckDB's non-canonical Arrow extension types (`arrow.opaque`). */
function opaqueExtension(typeName: string): Map<string, string> {
  return new Map([
    ['ARROW:extension:name', 'arrow.opaque'],
    ['ARROW:extension:metadata', JSON.stringify({ type_name: typeName, vendor_name: 'DuckDB' })],
  ]);
}

/**
 * Field metadata of a GEOMETRY column: the canonical `geoarrow.wkb` extension. DuckDB writes a
 * CRS (converted to PROJJSON when it can); here the CRS, if any, is passed on as DuckDB holds it.
 */
function geoArrowWkb(type: DuckDBGeometryType): Map<string, string> {
  return new Map([
    ['ARROW:extension:name', 'geoarrow.wkb'],
    ['ARROW:extension:metadata', type.crs ? JSON.stringify({ crs: type.crs }) : '{}'],
  ]);
}

function fixed(name: string, type: DataType, width: number, metadata?: Map<string, string>): ColumnPlan {
  return { field: new Field(name, type, true, metadata), encoder: new FixedWidthEncoder(width) };
}

/**
 * Maps a DuckDB type to the Arrow type DuckDB's own Arrow export produces with default settings
 * (see docs/arrow-types.md), with the encoder that writes it.
 *
 * @throws UnsupportedTypeError for a type that cannot be encoded faithfully.
 */
export function planColumn(name: string, type: DuckDBType, context: PlanContext): ColumnPlan {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return { field: new Field(name, new Bool(), true), encoder: new BooleanEncoder() };
    case DuckDBTypeId.TINYINT:
      return fixed(name, new Int8(), 1);
    case DuckDBTypeId.SMALLINT:
      return fixed(name, new Int16(), 2);
    case DuckDBTypeId.INTEGER:
      return fixed(name, new Int32(), 4);
    case DuckDBTypeId.BIGINT:
      return fixed(name, new Int64(), 8);
    case DuckDBTypeId.UTINYINT:
      return fixed(name, new Uint8(), 1);
    case DuckDBTypeId.USMALLINT:
      return fixed(name, new Uint16(), 2);
    case DuckDBTypeId.UINTEGER:
      return fixed(name, new Uint32(), 4);
    case DuckDBTypeId.UBIGINT:
      return fixed(name, new Uint64(), 8);
    case DuckDBTypeId.FLOAT:
      return fixed(name, new Float32(), 4);
    case DuckDBTypeId.DOUBLE:
      return fixed(name, new Float64(), 8);
    case DuckDBTypeId.HUGEINT:
      return fixed(name, new Decimal(0, 38, 128), 16);
    case DuckDBTypeId.UHUGEINT:
      return fixed(name, new FixedSizeBinary(16), 16, opaqueExtension('uhugeint'));
    case DuckDBTypeId.DECIMAL:
      return planDecimal(name, type as DuckDBDecimalType);
    case DuckDBTypeId.VARCHAR:
      return { field: new Field(name, new Utf8(), true), encoder: new StringEncoder() };
    case DuckDBTypeId.BLOB:
    case DuckDBTypeId.BIT:
      return { field: new Field(name, new Binary(), true), encoder: new StringEncoder() };
    case DuckDBTypeId.BIGNUM:
      return {
        field: new Field(name, new Binary(), true, opaqueExtension('bignum')),
        encoder: new StringEncoder(),
      };
    case DuckDBTypeId.GEOMETRY:
      return {
        field: new Field(name, new Binary(), true, geoArrowWkb(type as DuckDBGeometryType)),
        encoder: new StringEncoder(),
      };
    case DuckDBTypeId.UUID:
      return { field: new Field(name, new Utf8(), true), encoder: new UuidEncoder() };
    case DuckDBTypeId.DATE:
      return fixed(name, new DateDay(), 4);
    case DuckDBTypeId.TIME:
      return fixed(name, new Time(TimeUnit.MICROSECOND, 64), 8);
    case DuckDBTypeId.TIME_NS:
      return fixed(name, new Time(TimeUnit.NANOSECOND, 64), 8);
    case DuckDBTypeId.TIME_TZ:
      return {
        field: new Field(name, new Time(TimeUnit.MICROSECOND, 64), true),
        encoder: new FixedWidthEncoder(8, timeTzToMicros),
      };
    case DuckDBTypeId.TIMESTAMP:
      return fixed(name, new Timestamp(TimeUnit.MICROSECOND), 8);
    case DuckDBTypeId.TIMESTAMP_S:
      return fixed(name, new Timestamp(TimeUnit.SECOND), 8);
    case DuckDBTypeId.TIMESTAMP_MS:
      return fixed(name, new Timestamp(TimeUnit.MILLISECOND), 8);
    case DuckDBTypeId.TIMESTAMP_NS:
      return fixed(name, new Timestamp(TimeUnit.NANOSECOND), 8);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return fixed(name, new Timestamp(TimeUnit.MICROSECOND, context.timeZone), 8);
    case DuckDBTypeId.INTERVAL:
      return {
        field: new Field(name, new Interval(IntervalUnit.MONTH_DAY_NANO), true),
        encoder: new FixedWidthEncoder(16, intervalToMonthDayNano),
      };
    case DuckDBTypeId.ENUM:
      return planEnum(name, type as DuckDBEnumType, context);
    case DuckDBTypeId.LIST: {
      const child = planColumn('l', (type as DuckDBListType).valueType, context);
      return { field: new Field(name, new List(child.field), true), encoder: new ListEncoder(child.encoder) };
    }
    case DuckDBTypeId.ARRAY: {
      const { valueType, length } = type as DuckDBArrayType;
      const child = planColumn('', valueType, context);
      return {
        field: new Field(name, new FixedSizeList(length, child.field), true),
        encoder: new FixedSizeListEncoder(length, child.encoder),
      };
    }
    case DuckDBTypeId.STRUCT: {
      const { entryNames, entryTypes } = type as DuckDBStructType;
      const children = entryNames.map((entry, i) => planColumn(entry, entryTypes[i], context));
      return {
        field: new Field(name, new Struct(children.map((c) => c.field)), true),
        encoder: new StructEncoder(children.map((c) => c.encoder)),
      };
    }
    case DuckDBTypeId.MAP:
      return planMap(name, type as DuckDBMapType, context);
    case DuckDBTypeId.UNION: {
      const { memberTags, memberTypes } = type as DuckDBUnionType;
      const members = memberTags.map((tag, i) => planColumn(tag, memberTypes[i], context));
      const typeIds = members.map((_, i) => i);
      return {
        field: new Field(
          name,
          new Union(
            UnionMode.Sparse,
            typeIds,
            members.map((m) => m.field),
          ),
          true,
        ),
        encoder: new UnionEncoder(members.map((m) => m.encoder)),
      };
    }
    default:
      throw new UnsupportedTypeError(`Column "${name}" has type ${type.toString()}, which cannot be sent as Arrow`);
  }
}

function planDecimal(name: string, type: DuckDBDecimalType): ColumnPlan {
  const { width, scale } = type;
  const field = new Field(name, new Decimal(scale, width, 128), true);
  if (width <= 4) return { field, encoder: new FixedWidthEncoder(2, widenToInt128(2)) };
  if (width <= 9) return { field, encoder: new FixedWidthEncoder(4, widenToInt128(4)) };
  if (width <= 18) return { field, encoder: new FixedWidthEncoder(8, widenToInt128(8)) };
  if (width <= 38) return { field, encoder: new FixedWidthEncoder(16) };
  throw new UnsupportedTypeError(`Column "${name}" has type ${type.toString()}, wider than Decimal128`);
}

function planEnum(name: string, type: DuckDBEnumType, context: PlanContext): ColumnPlan {
  const id = context.dictionaries.length;
  context.dictionaries.push({ id, values: type.values });
  switch (type.internalTypeId) {
    case DuckDBTypeId.UTINYINT:
      return { field: enumField(name, new Uint8(), id), encoder: new FixedWidthEncoder(1) };
    case DuckDBTypeId.USMALLINT:
      return { field: enumField(name, new Uint16(), id), encoder: new FixedWidthEncoder(2) };
    case DuckDBTypeId.UINTEGER:
      return { field: enumField(name, new Uint32(), id), encoder: new FixedWidthEncoder(4) };
    default:
      throw new UnsupportedTypeError(`Column "${name}" has an ENUM stored as ${type.internalTypeId}`);
  }
}

function enumField(name: string, indices: Uint8 | Uint16 | Uint32, id: number): Field {
  return new Field(name, new Dictionary(new Utf8(), indices, id, false), true);
}

function planMap(name: string, type: DuckDBMapType, context: PlanContext): ColumnPlan {
  const key = planColumn('key', type.keyType, context);
  const value = planColumn('value', type.valueType, context);
  const keyField = new Field('key', key.field.type, false, key.field.metadata);
  const entries = new Field('entries', new Struct([keyField, value.field]), false);
  return {
    field: new Field(name, new Map_(entries, false), true),
    encoder: new ListEncoder(new StructEncoder([key.encoder, value.encoder], false)),
  };
}

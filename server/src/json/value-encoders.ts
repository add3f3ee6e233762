/**
 * The third of the three tiers of the JSON encoding: the JSON text of one node-api DuckDB value,
 * for every type a result can hold. The faster tiers above (`column-encoders.ts`,
 * `vector-encoders.ts`) write the same text; `docs/json-encoding.md` documents it.
 */
import {
  DuckDBArrayValue,
  type DuckDBBitValue,
  DuckDBBlobValue,
  type DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBGeometryValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  type DuckDBTimeNSValue,
  type DuckDBTimestampMillisecondsValue,
  type DuckDBTimestampNanosecondsValue,
  type DuckDBTimestampSecondsValue,
  type DuckDBTimestampTZValue,
  type DuckDBTimestampValue,
  type DuckDBTimeTZValue,
  type DuckDBTimeValue,
  type DuckDBType,
  DuckDBTypeId,
  DuckDBUnionValue,
  type DuckDBUUIDValue,
  type DuckDBValue,
  DuckDBVariantValue,
} from '@duckdb/node-api';
import { UnsupportedTypeError } from '../errors.js';
import {
  EPOCH_MS_NEGATIVE_INFINITY,
  EPOCH_MS_POSITIVE_INFINITY,
  type JsonTemporal,
  epochMsOfDays,
  epochMsOfInterval,
  epochMsOfUnits,
} from './temporal.js';
import { dateText, timeOfDayText, timestampText, utcOffsetText } from './datetime-text.js';
import { intervalText } from './interval-text.js';
import { doubleText, floatText } from './number-text.js';

/**
 * Turns one non-NULL DuckDB value of a known type into its JSON text. The caller writes `null`
 * for NULL; encoders of nested types do that for their NULL members themselves.
 */
export type JsonValueEncoder = (value: DuckDBValue) => string;

const encodeNull: JsonValueEncoder = () => 'null';

/** Integers of every width (JS numbers up to UINTEGER, bigints above): all digits, never rounded. */
const encodeInteger: JsonValueEncoder = (value) => String(value as number | bigint);

const encodeBoolean: JsonValueEncoder = (value) => (value ? 'true' : 'false');

const encodeString: JsonValueEncoder = (value) => JSON.stringify(value as string);

const encodeDecimal: JsonValueEncoder = (value) => (value as DuckDBDecimalValue).toString();

const encodeBytes = (bytes: Uint8Array): string =>
  `"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}"`;

const encodeBlob: JsonValueEncoder = (value) => encodeBytes((value as DuckDBBlobValue).bytes);

const encodeGeometry: JsonValueEncoder = (value) => encodeBytes((value as DuckDBGeometryValue).bytes);

/** Values DuckDB prints as plain, JSON-safe text (UUID, BIT): quoted as they are. */
const encodeQuotedText: JsonValueEncoder = (value) => `"${(value as DuckDBUUIDValue | DuckDBBitValue).toString()}"`;

/** `"infinity"` / `"-infinity"` for DuckDB's infinite dates and timestamps. */
const infinityText = (positive: boolean): string => (positive ? '"infinity"' : '"-infinity"');

const encodeDate: JsonValueEncoder = (value) => {
  const date = value as DuckDBDateValue;
  return date.isFinite ? `"${dateText(date.days)}"` : infinityText(date.days > 0);
};

/** Encoder for a timestamp type whose value carries `isFinite` and one bigint count of units. */
function timestampEncoder(read: (value: DuckDBValue) => bigint, unitsPerSecond: number, digits: number, zone = '') {
  return (value: DuckDBValue): string => {
    const units = read(value);
    if (!(value as DuckDBTimestampValue).isFinite) return infinityText(units > 0n);
    return `"${timestampText(units, unitsPerSecond, digits)}${zone}"`;
  };
}

const encodeTimestamp = timestampEncoder((v) => (v as DuckDBTimestampValue).micros, 1_000_000, 6);
const encodeTimestampTZ = timestampEncoder((v) => (v as DuckDBTimestampTZValue).micros, 1_000_000, 6, 'Z');
const encodeTimestampS = timestampEncoder((v) => (v as DuckDBTimestampSecondsValue).seconds, 1, 0);
const encodeTimestampMS = timestampEncoder((v) => (v as DuckDBTimestampMillisecondsValue).millis, 1000, 3);
const encodeTimestampNS = timestampEncoder((v) => (v as DuckDBTimestampNanosecondsValue).nanos, 1_000_000_000, 9);

const encodeTime: JsonValueEncoder = (value) =>
  `"${timeOfDayText(Number((value as DuckDBTimeValue).micros), 1_000_000, 6)}"`;

const encodeTimeNS: JsonValueEncoder = (value) =>
  `"${timeOfDayText(Number((value as DuckDBTimeNSValue).nanos), 1_000_000_000, 9)}"`;

const encodeTimeTZ: JsonValueEncoder = (value) => {
  const time = value as DuckDBTimeTZValue;
  return `"${timeOfDayText(Number(time.micros), 1_000_000, 6)}${utcOffsetText(time.offset)}"`;
};

const encodeInterval: JsonValueEncoder = (value) => {
  const interval = value as DuckDBIntervalValue;
  return `"${intervalText(interval.months, interval.days, interval.micros)}"`;
};

// --- the same temporal types as epoch milliseconds (`temporal: 'epochMs'`, baseline connections) ---

const epochInfinity = (positive: boolean): string =>
  positive ? EPOCH_MS_POSITIVE_INFINITY : EPOCH_MS_NEGATIVE_INFINITY;

const encodeDateEpochMs: JsonValueEncoder = (value) => {
  const date = value as DuckDBDateValue;
  return date.isFinite ? epochMsOfDays(date.days) : epochInfinity(date.days > 0);
};

function timestampEpochMsEncoder(read: (value: DuckDBValue) => bigint, unitsPerSecond: number): JsonValueEncoder {
  return (value) => {
    const units = read(value);
    if (!(value as DuckDBTimestampValue).isFinite) return epochInfinity(units > 0n);
    return epochMsOfUnits(units, unitsPerSecond);
  };
}

const encodeTimestampEpochMs = timestampEpochMsEncoder((v) => (v as DuckDBTimestampValue).micros, 1_000_000);
const encodeTimestampTZEpochMs = timestampEpochMsEncoder((v) => (v as DuckDBTimestampTZValue).micros, 1_000_000);
const encodeTimestampSEpochMs = timestampEpochMsEncoder((v) => (v as DuckDBTimestampSecondsValue).seconds, 1);
const encodeTimestampMSEpochMs = timestampEpochMsEncoder((v) => (v as DuckDBTimestampMillisecondsValue).millis, 1000);
const encodeTimestampNSEpochMs = timestampEpochMsEncoder(
  (v) => (v as DuckDBTimestampNanosecondsValue).nanos,
  1_000_000_000,
);

const encodeIntervalEpochMs: JsonValueEncoder = (value) => {
  const interval = value as DuckDBIntervalValue;
  return epochMsOfInterval(interval.months, interval.days, interval.micros);
};

/** The temporal encoders of each {@link JsonTemporal} mode, by DuckDB type. */
const temporalEncoders: Record<JsonTemporal, Partial<Record<DuckDBTypeId, JsonValueEncoder>>> = {
  iso: {
    [DuckDBTypeId.DATE]: encodeDate,
    [DuckDBTypeId.TIMESTAMP]: encodeTimestamp,
    [DuckDBTypeId.TIMESTAMP_TZ]: encodeTimestampTZ,
    [DuckDBTypeId.TIMESTAMP_S]: encodeTimestampS,
    [DuckDBTypeId.TIMESTAMP_MS]: encodeTimestampMS,
    [DuckDBTypeId.TIMESTAMP_NS]: encodeTimestampNS,
    [DuckDBTypeId.INTERVAL]: encodeInterval,
  },
  epochMs: {
    [DuckDBTypeId.DATE]: encodeDateEpochMs,
    [DuckDBTypeId.TIMESTAMP]: encodeTimestampEpochMs,
    [DuckDBTypeId.TIMESTAMP_TZ]: encodeTimestampTZEpochMs,
    [DuckDBTypeId.TIMESTAMP_S]: encodeTimestampSEpochMs,
    [DuckDBTypeId.TIMESTAMP_MS]: encodeTimestampMSEpochMs,
    [DuckDBTypeId.TIMESTAMP_NS]: encodeTimestampNSEpochMs,
    [DuckDBTypeId.INTERVAL]: encodeIntervalEpochMs,
  },
};

const encodeDouble: JsonValueEncoder = (value) => doubleText(value as number);

const encodeFloat: JsonValueEncoder = (value) => floatText(value as number);

function encodeMember(encode: JsonValueEncoder, value: DuckDBValue): string {
  return value === null ? 'null' : encode(value);
}

function listEncoder(itemType: DuckDBType, path: string, temporal: JsonTemporal): JsonValueEncoder {
  const encodeItem = jsonValueEncoderForType(itemType, `${path}[]`, temporal);
  return (value) => {
    const { items } = value as DuckDBListValue | DuckDBArrayValue;
    let text = '[';
    for (let i = 0; i < items.length; i++) {
      if (i > 0) text += ',';
      text += encodeMember(encodeItem, items[i]!);
    }
    return `${text}]`;
  };
}

function structEncoder(
  names: readonly string[],
  types: readonly DuckDBType[],
  path: string,
  temporal: JsonTemporal,
): JsonValueEncoder {
  if (new Set(names).size !== names.length) {
    // node-api keys a struct value's members by name, so members of an unnamed (or duplicate-named)
    // STRUCT overwrite each other once it is a value; only the vector path can still tell them apart.
    throw new UnsupportedTypeError(
      `column ${JSON.stringify(path)} has a STRUCT with unnamed or duplicate member names inside an ` +
        'ARRAY, MAP, UNION or VARIANT, which JSON results cannot carry; give its members distinct names',
    );
  }
  const keys = names.map((name, i) => `${i > 0 ? ',' : ''}${JSON.stringify(name)}:`);
  const encoders = types.map((type, i) => jsonValueEncoderForType(type, `${path}.${names[i]}`, temporal));
  return (value) => {
    const { entries } = value as DuckDBStructValue;
    let text = '{';
    for (let i = 0; i < keys.length; i++) {
      text += keys[i]! + encodeMember(encoders[i]!, entries[names[i]!] ?? null);
    }
    return `${text}}`;
  };
}

/**
 * A MAP becomes a JSON object when its key type is a string type (VARCHAR, ENUM) — keys are
 * unique in a DuckDB map, so nothing is lost — and otherwise an array of `{"key":…,"value":…}`
 * objects in map order. The shape depends only on the column's type, never on the data.
 */
function mapEncoder(
  keyType: DuckDBType,
  valueType: DuckDBType,
  path: string,
  temporal: JsonTemporal,
): JsonValueEncoder {
  const encodeKey = jsonValueEncoderForType(keyType, `${path}.key`, temporal);
  const encodeValue = jsonValueEncoderForType(valueType, `${path}.value`, temporal);
  const asObject = keyType.typeId === DuckDBTypeId.VARCHAR || keyType.typeId === DuckDBTypeId.ENUM;
  return (value) => {
    const { entries } = value as DuckDBMapValue;
    let text = asObject ? '{' : '[';
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (i > 0) text += ',';
      const keyText = encodeMember(encodeKey, entry.key);
      const valueText = encodeMember(encodeValue, entry.value);
      text += asObject ? `${keyText}:${valueText}` : `{"key":${keyText},"value":${valueText}}`;
    }
    return text + (asObject ? '}' : ']');
  };
}

/** A UNION is written as the value of its active member, encoded by that member's type. */
function unionEncoder(
  tags: readonly string[],
  types: readonly DuckDBType[],
  path: string,
  temporal: JsonTemporal,
): JsonValueEncoder {
  const encoders = new Map(tags.map((tag, i) => [tag, jsonValueEncoderForType(types[i]!, `${path}.${tag}`, temporal)]));
  return (value) => {
    const union = value as DuckDBUnionValue;
    const encode = encoders.get(union.tag) ?? encodeDynamic;
    return encodeMember(encode, union.value);
  };
}

const variantEncoders = new Map<string, JsonValueEncoder>();

/** A VARIANT is written as its inner value, by the inner value's own type when DuckDB reports it. */
function variantEncoder(temporal: JsonTemporal): JsonValueEncoder {
  return (value) => {
    const variant = value as DuckDBVariantValue;
    if (variant.value === null) return 'null';
    if (!variant.type) return encodeDynamic(variant.value);
    const key = `${temporal}\u0000${variant.type.toString()}`;
    let encode = variantEncoders.get(key);
    if (!encode) {
      try {
        encode = jsonValueEncoderForType(variant.type, 'variant', temporal);
      } catch {
        encode = encodeDynamic;
      }
      if (variantEncoders.size < 1000) variantEncoders.set(key, encode);
    }
    return encode(variant.value);
  };
}

const encodeVariant = variantEncoder('iso');

/**
 * Encodes a value by what it is rather than by a declared type: for VARIANT members whose type is
 * not known. Objects without a dedicated rule are written as their DuckDB text.
 */
function encodeDynamic(value: DuckDBValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return encodeBoolean(value);
    case 'number':
      return doubleText(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return encodeString(value);
  }
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) {
    return `[${value.items.map(encodeDynamic).join(',')}]`;
  }
  if (value instanceof DuckDBStructValue) {
    const members = Object.entries(value.entries).map(([k, v]) => `${JSON.stringify(k)}:${encodeDynamic(v)}`);
    return `{${members.join(',')}}`;
  }
  if (value instanceof DuckDBMapValue) {
    return `[${value.entries.map((e) => `{"key":${encodeDynamic(e.key)},"value":${encodeDynamic(e.value)}}`).join(',')}]`;
  }
  if (value instanceof DuckDBUnionValue) return encodeDynamic(value.value);
  if (value instanceof DuckDBVariantValue) return encodeVariant(value);
  if (value instanceof DuckDBDecimalValue) return encodeDecimal(value);
  if (value instanceof DuckDBBlobValue) return encodeBlob(value);
  if (value instanceof DuckDBGeometryValue) return encodeGeometry(value);
  if (value instanceof DuckDBIntervalValue) return encodeInterval(value);
  return JSON.stringify(String(value));
}

/**
 * Chooses, once per column (and once per nested member), the function that writes values of
 * `type` as JSON text. See `docs/json-encoding.md` for the table of encodings.
 *
 * @param type - the DuckDB type of the values.
 * @param path - where the type occurs (column name and member path), for error messages.
 * @param temporal - how DATE, TIMESTAMP* and INTERVAL values are written (see `temporal.ts`).
 * @throws UnsupportedTypeError for a type that cannot occur in a result (INVALID, ANY).
 */
export function jsonValueEncoderForType(
  type: DuckDBType,
  path: string,
  temporal: JsonTemporal = 'iso',
): JsonValueEncoder {
  const temporalEncoder = temporalEncoders[temporal][type.typeId];
  if (temporalEncoder) return temporalEncoder;
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return encodeBoolean;
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
    case DuckDBTypeId.INTEGER_LITERAL:
      return encodeInteger;
    case DuckDBTypeId.FLOAT:
      return encodeFloat;
    case DuckDBTypeId.DOUBLE:
      return encodeDouble;
    case DuckDBTypeId.DECIMAL:
      return encodeDecimal;
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.STRING_LITERAL:
      return encodeString;
    case DuckDBTypeId.BLOB:
      return encodeBlob;
    case DuckDBTypeId.GEOMETRY:
      return encodeGeometry;
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.BIT:
      return encodeQuotedText;
    case DuckDBTypeId.TIME:
      return encodeTime;
    case DuckDBTypeId.TIME_NS:
      return encodeTimeNS;
    case DuckDBTypeId.TIME_TZ:
      return encodeTimeTZ;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return listEncoder(type.valueType, path, temporal);
    case DuckDBTypeId.STRUCT:
      return structEncoder(type.entryNames, type.entryTypes, path, temporal);
    case DuckDBTypeId.MAP:
      return mapEncoder(type.keyType, type.valueType, path, temporal);
    case DuckDBTypeId.UNION:
      return unionEncoder(type.memberTags, type.memberTypes, path, temporal);
    case DuckDBTypeId.VARIANT:
      return temporal === 'iso' ? encodeVariant : variantEncoder(temporal);
    case DuckDBTypeId.SQLNULL:
      return encodeNull;
    default:
      throw new UnsupportedTypeError(
        `column ${JSON.stringify(path)} has type ${String(type)}, which JSON results cannot carry`,
      );
  }
}

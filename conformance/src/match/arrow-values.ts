/**
 * Canonical, JSON-comparable forms of decoded Arrow values, so that scenarios can state the
 * expected contents of an Arrow result value by value, exactly (no rounding through JS Dates or
 * doubles). The forms are listed in docs/conformance.md#arrow-values.
 */
import { type Data, type DataType, type Field, type Table, TimeUnit, Type, makeVector } from 'apache-arrow';

const UNIT_DIGITS: Record<number, number> = {
  [TimeUnit.SECOND]: 0,
  [TimeUnit.MILLISECOND]: 3,
  [TimeUnit.MICROSECOND]: 6,
  [TimeUnit.NANOSECOND]: 9,
};

const pad = (value: bigint | number, width: number) => String(value).padStart(width, '0');

/** A float as a number, or `"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0"` (which JSON cannot hold). */
export function canonicalFloat(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Object.is(value, -0)) return '-0';
  return value;
}

function decimalText(words: Uint32Array, offset: number, scale: number): string {
  let value = 0n;
  for (let i = 3; i >= 0; i--) value = (value << 32n) | BigInt(words[offset + i]);
  if (value >= 1n << 127n) value -= 1n << 128n;
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

function dateText(days: number): string {
  const ms = days * 86_400_000;
  const date = new Date(ms);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 0 || date.getUTCFullYear() > 9999) return `${days}d`;
  return date.toISOString().slice(0, 10);
}

function timestampText(value: bigint, unit: number): string {
  const digits = UNIT_DIGITS[unit];
  const perSecond = 10n ** BigInt(digits);
  let seconds = value / perSecond;
  let fraction = value % perSecond;
  if (fraction < 0n) {
    fraction += perSecond;
    seconds -= 1n;
  }
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 0 || date.getUTCFullYear() > 9999) return `${value}`;
  const base = date.toISOString().slice(0, 19);
  return digits === 0 ? base : `${base}.${pad(fraction, digits)}`;
}

function timeText(value: bigint, unit: number): string {
  const digits = UNIT_DIGITS[unit];
  const perSecond = 10n ** BigInt(digits);
  const seconds = value / perSecond;
  const fraction = value % perSecond;
  const hms = `${pad(seconds / 3600n, 2)}:${pad((seconds / 60n) % 60n, 2)}:${pad(seconds % 60n, 2)}`;
  return digits === 0 ? hms : `${hms}.${pad(fraction, digits)}`;
}

const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;

/** The canonical value of row `index` of `data` (an index relative to the data's own offset). */
export function canonicalValue(data: Data, index: number): unknown {
  const vector = makeVector(data);
  if (!vector.isValid(index)) return null;
  const type = data.type as DataType;
  const at = data.offset + index;
  switch (type.typeId) {
    case Type.Null:
      return null;
    case Type.Bool:
    case Type.Utf8:
    case Type.LargeUtf8:
      return vector.get(index);
    case Type.Int: {
      const value = vector.get(index) as number | bigint;
      return typeof value === 'bigint' ? value.toString() : value;
    }
    case Type.Float:
      return canonicalFloat(Number(vector.get(index)));
    case Type.Decimal:
      return decimalText(data.values as Uint32Array, at * 4, (type as unknown as { scale: number }).scale);
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
      return hex(vector.get(index) as Uint8Array);
    case Type.Date: {
      const unit = (type as unknown as { unit: number }).unit;
      const raw = (data.values as Int32Array | BigInt64Array)[at];
      return unit === 0 ? dateText(Number(raw)) : dateText(Math.floor(Number(raw) / 86_400_000));
    }
    case Type.Time: {
      const unit = (type as unknown as { unit: number }).unit;
      return timeText(BigInt(vector.get(index) as number | bigint), unit);
    }
    case Type.Timestamp: {
      const unit = (type as unknown as { unit: number }).unit;
      return timestampText(BigInt((data.values as BigInt64Array)[at]), unit);
    }
    case Type.Interval: {
      const words = data.values as Int32Array;
      if (words.length >= (at + 1) * 4) {
        const nanos = (BigInt(words[at * 4 + 3]) << 32n) | BigInt(words[at * 4 + 2] >>> 0);
        return { months: words[at * 4], days: words[at * 4 + 1], nanoseconds: nanos.toString() };
      }
      return Array.from(vector.get(index) as Int32Array);
    }
    case Type.List:
    case Type.LargeList: {
      const offsets = data.valueOffsets as Int32Array;
      const child = data.children[0];
      const items: unknown[] = [];
      for (let i = Number(offsets[at]); i < Number(offsets[at + 1]); i++) items.push(canonicalValue(child, i));
      return items;
    }
    case Type.FixedSizeList: {
      const size = (type as unknown as { listSize: number }).listSize;
      const child = data.children[0];
      const items: unknown[] = [];
      for (let i = at * size; i < (at + 1) * size; i++) items.push(canonicalValue(child, i));
      return items;
    }
    case Type.Struct: {
      const fields = (type as unknown as { children: Field[] }).children;
      const row: Record<string, unknown> = {};
      fields.forEach((field, i) => {
        row[field.name] = canonicalValue(data.children[i], index);
      });
      return row;
    }
    case Type.Map: {
      const offsets = data.valueOffsets as Int32Array;
      const entries = data.children[0];
      const out: unknown[] = [];
      for (let i = offsets[at]; i < offsets[at + 1]; i++) {
        const entry = canonicalValue(entries, i) as Record<string, unknown>;
        const [keyName, valueName] = (entries.type as unknown as { children: Field[] }).children.map((f) => f.name);
        out.push({ key: entry[keyName], value: entry[valueName] });
      }
      return out;
    }
    case Type.Union: {
      const union = type as unknown as { typeIdToChildIndex: Record<number, number>; mode: number };
      const typeId = (data.typeIds as Int8Array)[at];
      const childIndex = union.typeIdToChildIndex[typeId];
      const child = data.children[childIndex];
      const childAt = data.valueOffsets ? (data.valueOffsets as Int32Array)[at] : index;
      return canonicalValue(child, childAt);
    }
    case Type.Dictionary: {
      const value = vector.get(index);
      return typeof value === 'bigint' ? value.toString() : value;
    }
    default:
      return `unsupported:${String(type)}`;
  }
}

/** The schema of a table as `[{name, type, metadata?}]`, types as apache-arrow writes them (`Int32`, `Timestamp<MICROSECOND, UTC>`…). */
export function canonicalSchema(
  table: Table,
): Array<{ name: string; type: string; metadata?: Record<string, string> }> {
  return table.schema.fields.map((field) => ({
    name: field.name,
    type: String(field.type),
    ...(field.metadata.size > 0 ? { metadata: Object.fromEntries(field.metadata) } : {}),
  }));
}

/** Every row of a table as an object of canonical values, columns in schema order. */
export function canonicalRows(table: Table): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (const batch of table.batches) {
    for (let row = 0; row < batch.numRows; row++) {
      const out: Record<string, unknown> = {};
      batch.schema.fields.forEach((field, column) => {
        out[field.name] = canonicalValue(batch.data.children[column], row);
      });
      rows.push(out);
    }
  }
  return rows;
}

/**
 * The second of the three tiers of the JSON encoding: the JSON text of one row of a node-api
 * vector object, for what the column encoders (`column-encoders.ts`) do not read from vector
 * memory themselves. STRUCT and LIST are read member by member; everything else is left to the
 * value encoders (`value-encoders.ts`).
 */
import type { DuckDBListVector, DuckDBStructVector, DuckDBType, DuckDBVector } from '@duckdb/node-api';
import { DuckDBTypeId } from '@duckdb/node-api';
import type { JsonTemporal } from './temporal.js';
import { jsonValueEncoderForType } from './value-encoders.js';

/** Writes the value at `index` of a vector (NULL included) as JSON text. */
export type JsonVectorEncoder = (vector: DuckDBVector, index: number) => string;

/**
 * Chooses, once per column, the function that writes the values of a vector of `type` as JSON.
 *
 * STRUCT and LIST columns are read member by member from their child vectors rather than through
 * node-api's composite values: cheaper, and the only way to keep every member of an unnamed STRUCT
 * (whose values node-api keys by their empty names), which is written as a JSON array of its
 * members. Every other type goes through its value encoder ({@link jsonValueEncoderForType}).
 *
 * @param type - the vector's DuckDB type.
 * @param path - column name and member path, for error messages.
 * @param temporal - how DATE, TIMESTAMP* and INTERVAL values are written (see `temporal.ts`).
 * @throws UnsupportedTypeError for types JSON results cannot carry.
 */
export function jsonVectorEncoderForType(
  type: DuckDBType,
  path: string,
  temporal: JsonTemporal = 'iso',
): JsonVectorEncoder {
  switch (type.typeId) {
    case DuckDBTypeId.STRUCT:
      return structVectorEncoder(type.entryNames, type.entryTypes, path, temporal);
    case DuckDBTypeId.LIST:
      return listVectorEncoder(type.valueType, path, temporal);
    default: {
      const encode = jsonValueEncoderForType(type, path, temporal);
      return (vector, index) => {
        const value = vector.getItem(index);
        return value === null ? 'null' : encode(value);
      };
    }
  }
}

function structVectorEncoder(
  names: readonly string[],
  types: readonly DuckDBType[],
  path: string,
  temporal: JsonTemporal,
): JsonVectorEncoder {
  const named = new Set(names).size === names.length;
  const prefixes = names.map((name, i) => (i > 0 ? ',' : '') + (named ? `${JSON.stringify(name)}:` : ''));
  const encoders = types.map((type, i) => jsonVectorEncoderForType(type, `${path}.${names[i] || i + 1}`, temporal));
  const [open, close] = named ? ['{', '}'] : ['[', ']'];
  return (vector, index) => {
    const struct = vector as DuckDBStructVector;
    if (!struct.isItemValid(index)) return 'null';
    let text = open;
    for (let i = 0; i < encoders.length; i++) {
      text += prefixes[i]! + encoders[i]!(struct.entryVectorAt(i), index);
    }
    return text + close;
  };
}

function listVectorEncoder(itemType: DuckDBType, path: string, temporal: JsonTemporal): JsonVectorEncoder {
  const encodeItem = jsonVectorEncoderForType(itemType, `${path}[]`, temporal);
  return (vector, index) => {
    const items = (vector as DuckDBListVector).getItemVector(index);
    if (items === null) return 'null';
    let text = '[';
    const count = items.itemCount;
    for (let i = 0; i < count; i++) {
      if (i > 0) text += ',';
      text += encodeItem(items, i);
    }
    return `${text}]`;
  };
}

import { type DuckDBResult, type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';

/**
 * Column names and types of a result, and the encoded head of its Arrow stream (schema message and
 * dictionaries) once it has been built.
 */
export interface ResultShape {
  readonly names: readonly string[];
  readonly types: readonly DuckDBType[];
  /** The head bytes; shared between streams of the same shape, never to be modified. */
  head: Uint8Array | undefined;
}

/**
 * Types whose Arrow encoding depends on the type id alone (plus the time zone option), i.e. no
 * width, scale, members, values or metadata: results made only of these are cached by signature.
 */
const SELF_DESCRIBED = new Set<number>([
  DuckDBTypeId.BOOLEAN,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.VARCHAR,
  DuckDBTypeId.BLOB,
  DuckDBTypeId.UUID,
  DuckDBTypeId.DATE,
  DuckDBTypeId.TIME,
  DuckDBTypeId.TIME_NS,
  DuckDBTypeId.TIME_TZ,
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
  DuckDBTypeId.INTERVAL,
]);

/** Shapes kept; the cache starts over when full (result shapes of one server are few). */
const CAPACITY = 256;
/** Signatures longer than this are not cached (wide results: the lookup would cost more than it saves). */
const MAX_SIGNATURE = 4096;

const shapes = new Map<string, ResultShape>();

/**
 * The shape of `result`. Results whose columns are all of {@link SELF_DESCRIBED} types share one
 * cached shape per (time zone, names, type ids): this skips building DuckDB logical types, the
 * Arrow schema and its flatbuffer for every small query. Other results get a fresh shape.
 */
export function resultShape(result: DuckDBResult, timeZone: string): ResultShape {
  const count = result.columnCount;
  let signature = timeZone;
  for (let i = 0; i < count; i++) {
    const typeId: number = result.columnTypeId(i);
    if (!SELF_DESCRIBED.has(typeId) || signature.length > MAX_SIGNATURE) return freshShape(result);
    // Names cannot hold NUL in DuckDB's C API strings, so it separates the parts unambiguously.
    signature += `\u0000${typeId}\u0000${result.columnName(i)}`;
  }
  const cached = shapes.get(signature);
  if (cached) return cached;
  const shape = freshShape(result);
  if (shapes.size >= CAPACITY) shapes.clear();
  shapes.set(signature, shape);
  return shape;
}

function freshShape(result: DuckDBResult): ResultShape {
  return { names: result.columnNames(), types: result.columnTypes(), head: undefined };
}

import {
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  type DuckDBResult,
  StatementType,
} from '@duckdb/node-api';

/** Prepared SELECTs kept per connection. */
const CAPACITY = 64;

const caches = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();

/** The statement prepared for `sql` on this connection before, if kept. */
export function cachedStatement(connection: DuckDBConnection, sql: string): DuckDBPreparedStatement | undefined {
  const cache = caches.get(connection);
  const cached = cache?.get(sql);
  if (!cache || !cached) return undefined;
  // Most recently used last.
  cache.delete(sql);
  cache.set(sql, cached);
  return cached;
}

/** Keep a prepared SELECT for `sql` on this connection (the least recently used one goes when full). */
export function keepStatement(connection: DuckDBConnection, sql: string, prepared: DuckDBPreparedStatement): void {
  let cache = caches.get(connection);
  if (!cache) {
    cache = new Map();
    caches.set(connection, cache);
  }
  cache.set(sql, prepared);
  if (cache.size > CAPACITY) {
    const [oldestSql, oldest] = cache.entries().next().value as [string, DuckDBPreparedStatement];
    cache.delete(oldestSql);
    oldest.destroySync();
  }
}

/**
 * Start `sql` as a streaming result, reusing a prepared statement when the same single SELECT ran
 * on this connection before. `connection.stream(sql)` costs three trips through the libuv pool
 * before execution even starts (split into statements, prepare, execute); a cached statement costs
 * one. DuckDB rebinds a prepared statement by itself when the tables it reads have changed.
 * SQL that cannot be prepared alone (several statements) takes the general path, which also
 * reports DuckDB's error for SQL that is wrong.
 */
export async function streamStatement(connection: DuckDBConnection, sql: string): Promise<DuckDBResult> {
  const cached = cachedStatement(connection, sql);
  if (cached) return cached.stream();
  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await connection.prepare(sql);
  } catch {
    return connection.stream(sql);
  }
  if (prepared.statementType !== StatementType.SELECT) {
    try {
      return await prepared.stream();
    } finally {
      prepared.destroySync();
    }
  }
  keepStatement(connection, sql, prepared);
  return prepared.stream();
}

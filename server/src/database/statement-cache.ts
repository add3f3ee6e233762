/**
 * Prepared SELECTs kept per connection, so that a repeated query costs one trip through the libuv
 * pool instead of three (split into statements, prepare, execute). A cache may never change what
 * a query answers: DuckDB rebinds a prepared statement when a table it reads changed, but not when
 * what it folded at bind time changed — a setting (`current_setting`, `TimeZone`), a macro, a
 * view, a variable, the schema `USE` picked. So every entry belongs to a generation, and any
 * statement other than a SELECT, on any connection, starts a new one ({@link invalidatePreparedStatements}).
 */
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';

/** Prepared SELECTs kept per connection. */
const CAPACITY = 64;

interface Entry {
  readonly prepared: DuckDBPreparedStatement;
  readonly generation: number;
}

const caches = new WeakMap<DuckDBConnection, Map<string, Entry>>();
/**
 * Process-wide: a statement on one connection (a replaced macro, a global setting) can change
 * how every other connection binds. Several servers in one process only invalidate more often.
 */
let generation = 0;

/** Start a new generation: every statement prepared before now is re-prepared on its next use. */
export function invalidatePreparedStatements(): void {
  generation++;
}

/** The current generation; read it before preparing a statement that may be kept. */
export function statementGeneration(): number {
  return generation;
}

/** The statement prepared for `sql` on this connection, if it is still of the current generation. */
export function cachedStatement(connection: DuckDBConnection, sql: string): DuckDBPreparedStatement | undefined {
  const cache = caches.get(connection);
  const entry = cache?.get(sql);
  if (!cache || !entry) return undefined;
  cache.delete(sql);
  if (entry.generation !== generation) {
    entry.prepared.destroySync();
    return undefined;
  }
  // Most recently used last.
  cache.set(sql, entry);
  return entry.prepared;
}

/** Keep a prepared SELECT for `sql`, prepared when the generation was `preparedIn`. */
export function keepStatement(
  connection: DuckDBConnection,
  sql: string,
  prepared: DuckDBPreparedStatement,
  preparedIn: number,
): void {
  let cache = caches.get(connection);
  if (!cache) {
    cache = new Map();
    caches.set(connection, cache);
  }
  cache.get(sql)?.prepared.destroySync();
  cache.set(sql, { prepared, generation: preparedIn });
  if (cache.size > CAPACITY) {
    const [oldestSql, oldest] = cache.entries().next().value as [string, Entry];
    cache.delete(oldestSql);
    oldest.prepared.destroySync();
  }
}

/** Destroy every statement kept for a connection (before it is closed). */
export function forgetStatements(connection: DuckDBConnection): void {
  const cache = caches.get(connection);
  if (!cache) return;
  for (const { prepared } of cache.values()) prepared.destroySync();
  caches.delete(connection);
}

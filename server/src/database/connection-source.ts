/**
 * Where a query gets its DuckDB connection: the shared pool (any connection, state reset between
 * clients) or a v1 session's pinned connection (the same one every time, one query at a time).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Lessee, ReleaseOptions } from './connection-pool.js';

/** Lends connections to queries and uploads (`connection-lease.ts`); the pool is one. */
export interface ConnectionSource {
  /** Borrow a connection for `lessee` (the client); rejects when the holder's signal aborts while waiting. */
  acquire(lessee: Lessee, holder: { readonly signal: AbortSignal }): Promise<DuckDBConnection>;
  /** Give it back, saying whether the client's SQL may have left session state on it. */
  release(connection: DuckDBConnection, options: ReleaseOptions): void;
  /**
   * Whether the connection stays the client's between queries (a v1 session): an open transaction
   * is left open for the next message, and results are never shared through the result cache.
   */
  readonly pinned?: boolean;
}

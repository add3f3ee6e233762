/**
 * The lease of a pooled DuckDB connection for one query or upload: borrowed from the pool (a
 * cancel ends the wait), made known to the task so that a cancel can interrupt it, and given back
 * outside any transaction the client's SQL may have left open, marked with whether that SQL left
 * session state on it (then no other client gets it before a reset: `connection-pool.ts`).
 * Queries and uploads both run through {@link withConnection}.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { mayOpenTransaction } from '../sql/statement-text.js';
import type { Lessee } from './connection-pool.js';
import type { ConnectionSource } from './connection-source.js';
import type { StatementLog } from './statement-runner.js';

/** Who holds a lease: a query task, whose signal ends a wait for a connection and which interrupts the connection it runs on when cancelled. */
export interface LeaseHolder {
  /** Aborts when the work is cancelled (read only when the pool makes the request wait). */
  readonly signal: AbortSignal;
  /** Whose work this is (a socket): waiting requests get connections one owner at a time, in turn. */
  readonly owner?: unknown;
  /** The work now runs on `connection`. */
  attach(connection: DuckDBConnection): void;
  /** The work no longer uses its connection (called before the connection goes back to the pool). */
  detach(): void;
}

/** Options of {@link withConnection}. */
export interface LeaseOptions {
  /**
   * The client's SQL run on the connection, if any: when it may have opened a transaction (or,
   * having failed, may have stopped inside one), the connection is rolled back before it goes back.
   */
  readonly sql?: string;
  /**
   * What the client's statements did, filled in while `use` runs (see `statement-runner.ts`): a
   * transaction statement means a rollback; session state stays with the lessee. Without a log,
   * the connection goes back clean.
   */
  readonly log?: StatementLog;
}

/**
 * Borrow a connection of `source` (the pool, or a v1 session's pinned connection) for `lessee`'s
 * `use`, and give it back — a pooled one outside any transaction the SQL left open — whatever
 * `use` ends with.
 */
export async function withConnection<T>(
  source: ConnectionSource,
  lessee: Lessee,
  holder: LeaseHolder,
  use: (connection: DuckDBConnection) => Promise<T>,
  options: LeaseOptions = {},
): Promise<T> {
  const connection = await source.acquire(lessee, holder);
  holder.attach(connection);
  let failed = true;
  try {
    const value = await use(connection);
    failed = false;
    return value;
  } finally {
    holder.detach();
    const { sql, log } = options;
    // A failed use may have left a transaction open or aborted even where its SQL says nothing of
    // one: an upload's own transaction whose ROLLBACK a cancellation's interrupt hit, for one. Now
    // that the holder no longer interrupts the connection, roll back (only failures pay for it).
    const mayBeInTransaction = failed || log?.transaction || (sql !== undefined && mayOpenTransaction(sql));
    // A session's pinned connection keeps its transaction for the client's next message.
    if (!source.pinned && mayBeInTransaction) {
      // A query must not leave its pooled connection inside a transaction.
      await connection.run('ROLLBACK').catch(() => undefined);
    }
    source.release(connection, { dirty: log?.sessionState ?? false });
  }
}

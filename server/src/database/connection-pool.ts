import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { FairQueue } from './fair-queue.js';

interface Waiter {
  resolve(connection: DuckDBConnection): void;
  reject(error: Error): void;
}

/** What may wait for a connection: a signal that ends the wait, and whose request it is (fair sharing). */
export interface PoolRequest {
  /** Aborts the wait (read only when the request has to wait). */
  readonly signal: AbortSignal;
  /** Whose request this is, e.g. a socket; waiting requests are served one owner at a time, in turn. */
  readonly owner?: unknown;
}

/**
 * DuckDB connections of one instance, lent one per running query. Connections are opened on
 * demand up to `max`; further requests wait, served fairly: the owners with requests waiting take
 * turns, each owner's own requests first come, first served.
 */
export class ConnectionPool {
  readonly #instance: DuckDBInstance;
  readonly #max: number;
  readonly #idle: DuckDBConnection[] = [];
  readonly #waiters = new FairQueue<Waiter>();
  #open = 0;
  #closed = false;

  constructor(instance: DuckDBInstance, max: number) {
    this.#instance = instance;
    this.#max = max;
  }

  /** Connections open now (idle or lent). */
  get size(): number {
    return this.#open;
  }

  /** Connections lent out now. */
  get inUse(): number {
    return this.#open - this.#idle.length;
  }

  /** Requests waiting for a connection. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /**
   * Borrow a connection; give it back with {@link release}. Rejects if `signal` aborts while
   * waiting, or the pool is closed. `signal` may be given as an object holding it (e.g. a query
   * task), which is only read when the request has to wait.
   */
  acquire(cancel?: AbortSignal | PoolRequest): Promise<DuckDBConnection> {
    if (this.#closed) return Promise.reject(new Error('the connection pool is closed'));
    const idle = this.#idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.#open < this.#max) {
      this.#open++;
      return this.#instance.connect().catch((error: Error) => {
        this.#open--;
        throw error;
      });
    }
    const signal = cancel instanceof AbortSignal ? cancel : cancel?.signal;
    const owner = cancel instanceof AbortSignal ? undefined : cancel?.owner;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (connection) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(connection);
        },
        reject,
      };
      const onAbort = () => {
        this.#waiters.remove(owner, waiter);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(owner, waiter);
    });
  }

  /** Give a borrowed connection back. */
  release(connection: DuckDBConnection): void {
    if (this.#closed) {
      this.#open--;
      connection.closeSync();
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(connection);
    else this.#idle.push(connection);
  }

  /** Close idle connections now and the lent ones as they come back; reject every waiter. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiters.drain()) waiter.reject(new Error('the connection pool is closed'));
    for (const connection of this.#idle.splice(0)) {
      this.#open--;
      connection.closeSync();
    }
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new Error('aborted');
}

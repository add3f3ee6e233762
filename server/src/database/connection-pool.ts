import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

interface Waiter {
  resolve(connection: DuckDBConnection): void;
  reject(error: Error): void;
}

/**
 * DuckDB connections of one instance, lent one per running query. Connections are opened on
 * demand up to `max`; further requests wait in line (first come, first served).
 */
export class ConnectionPool {
  readonly #instance: DuckDBInstance;
  readonly #max: number;
  readonly #idle: DuckDBConnection[] = [];
  readonly #waiters: Waiter[] = [];
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
    return this.#waiters.length;
  }

  /**
   * Borrow a connection; give it back with {@link release}. Rejects if `signal` aborts while
   * waiting, or the pool is closed. `signal` may be given as an object holding it (e.g. a query
   * task), which is only read when the request has to wait.
   */
  acquire(cancel?: AbortSignal | { readonly signal: AbortSignal }): Promise<DuckDBConnection> {
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
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
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

  /**
   * Close a borrowed connection instead of giving it back, so that the state left on it (a v1
   * session's settings, temporary tables) reaches no one; a waiting request gets a fresh one.
   */
  discard(connection: DuckDBConnection): void {
    this.#open--;
    connection.closeSync();
    const waiter = this.#closed ? undefined : this.#waiters.shift();
    if (!waiter) return;
    this.#open++;
    this.#instance.connect().then(waiter.resolve, (error: Error) => {
      this.#open--;
      waiter.reject(error);
    });
  }

  /** Close idle connections now and the lent ones as they come back; reject every waiter. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error('the connection pool is closed'));
    for (const connection of this.#idle.splice(0)) {
      this.#open--;
      connection.closeSync();
    }
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new Error('aborted');
}

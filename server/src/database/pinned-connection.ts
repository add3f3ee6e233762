/**
 * The DuckDB connection of a v1 session (`beginSession` … `endSession`): one pooled connection
 * pinned to one socket and lent to that socket's queries one at a time, in the order they arrived,
 * so that `SET`, `USE`, temporary tables and open transactions carry from one message to the next.
 */
import type { DuckDBConnection } from '@duckdb/node-api';

interface Waiter {
  resolve(connection: DuckDBConnection): void;
  reject(error: Error): void;
}

/**
 * A connection lent to one holder at a time, first come first served. It is busy from the start
 * until {@link ready} hands over the connection (the session's own acquisition holds it).
 */
export class PinnedConnection {
  #connection: DuckDBConnection | undefined;
  #busy = true;
  #failure: Error | undefined;
  readonly #waiters: Waiter[] = [];

  /** The connection, once it arrived (for the session's own clean-up). */
  get connection(): DuckDBConnection | undefined {
    return this.#connection;
  }

  /** The pooled connection arrived: lend it to the first waiter. */
  ready(connection: DuckDBConnection): void {
    this.#connection = connection;
    this.release();
  }

  /** The connection will never arrive: every waiter (and later request) fails with `error`. */
  fail(error: Error): void {
    this.#failure = error;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }

  /** Wait for the connection; rejects if `signal` aborts while waiting, or the session failed to start. */
  acquire(cancel?: AbortSignal | { readonly signal: AbortSignal }): Promise<DuckDBConnection> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (!this.#busy && this.#waiters.length === 0 && this.#connection) {
      this.#busy = true;
      return Promise.resolve(this.#connection);
    }
    const signal = cancel instanceof AbortSignal ? cancel : cancel?.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(abortError(signal));
      };
      const waiter: Waiter = {
        resolve: (connection) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(connection);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** The holder is done with the connection: the next waiter gets it. */
  release(): void {
    const waiter = this.#waiters.shift();
    if (waiter && this.#connection) waiter.resolve(this.#connection);
    else this.#busy = false;
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new Error('aborted');
}

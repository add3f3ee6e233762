import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { FairQueue } from './fair-queue.js';
import { forgetStatements } from './statement-cache.js';

/**
 * Who a connection is lent to: one client (socket). A connection keeps the session state its
 * lessee's SQL left (`USE`, session `SET`, temporary objects, prepared statements); it goes to
 * another lessee only after a reset. Any object identifies a lessee; compared by identity.
 */
export type Lessee = object;

/** How a lessee gives a connection back. */
export interface ReleaseOptions {
  /** Whether the lessee's SQL may have left session state on it (see `StatementLog.sessionState`). */
  readonly dirty: boolean;
}

interface Waiter {
  readonly lessee: Lessee;
  resolve(connection: DuckDBConnection): void;
  reject(error: Error): void;
}

interface State {
  /** The last lessee whose SQL may have left session state on the connection, if any. */
  dirtyFor: Lessee | undefined;
  lessee: Lessee | undefined;
}

/**
 * DuckDB connections of one instance, lent one per running query. Connections are opened on
 * demand up to `max`; further requests wait, served fairly: the lessees with requests waiting take
 * turns (one request each, round and round), each lessee's own requests first come, first served,
 * so one socket's backlog delays another socket's query by at most one turn per waiting socket.
 *
 * Session state never crosses lessees: a connection that its lessee left dirty is preferably
 * lent to that lessee again, and before any other lessee gets it, it is closed and replaced by a
 * fresh connection (`instance.connect()`, ~0.1 ms; only a non-SELECT statement makes a connection
 * dirty, so small read queries never pay it). A lessee can also keep one connection for as long
 * as it likes (a v1 session pinning its connection): acquire once, release at the end.
 */
export class ConnectionPool {
  readonly #instance: DuckDBInstance;
  readonly #max: number;
  readonly #idle: DuckDBConnection[] = [];
  readonly #states = new WeakMap<DuckDBConnection, State>();
  /** Requests waiting, served fairly: the lessees with requests waiting take turns. */
  readonly #waiters = new FairQueue<Waiter>();
  /** How many connections each lessee left session state on. */
  readonly #dirty = new Map<Lessee, number>();
  #open = 0;
  #resets = 0;
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

  /** Connections replaced so far because another lessee's session state was on them. */
  get resets(): number {
    return this.#resets;
  }

  /** Whether `lessee`'s SQL may have left session state on some connection (then its results are its own). */
  hasSessionState(lessee: Lessee): boolean {
    return this.#dirty.has(lessee);
  }

  /**
   * Borrow a connection for `lessee`; give it back with {@link release}. Rejects if `signal` aborts
   * while waiting, or the pool is closed. `signal` may be given as an object holding it (e.g. a
   * query task), which is only read when the request has to wait.
   */
  acquire(lessee: Lessee, cancel?: AbortSignal | { readonly signal: AbortSignal }): Promise<DuckDBConnection> {
    if (this.#closed) return Promise.reject(new Error('the connection pool is closed'));
    const idle = this.#takeIdle(lessee);
    if (idle) return this.#lend(idle, lessee);
    if (this.#open < this.#max) {
      this.#open++;
      return this.#connect(lessee);
    }
    const signal = cancel instanceof AbortSignal ? cancel : cancel?.signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        lessee,
        resolve: (connection) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(connection);
        },
        reject,
      };
      const onAbort = () => {
        this.#waiters.remove(lessee, waiter);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(lessee, waiter);
    });
  }

  /** Give a borrowed connection back. */
  release(connection: DuckDBConnection, options: ReleaseOptions = { dirty: true }): void {
    const state = this.#states.get(connection);
    if (state && options.dirty && state.lessee !== state.dirtyFor) {
      this.#setDirtyFor(state, state.lessee);
    }
    if (state) state.lessee = undefined;
    if (this.#closed) {
      this.#discard(connection);
      return;
    }
    const waiter = this.#waiters.shift();
    if (!waiter) {
      this.#idle.push(connection);
      return;
    }
    this.#lend(connection, waiter.lessee).then(waiter.resolve, waiter.reject);
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
    for (const waiter of this.#waiters.drain()) waiter.reject(new Error('the connection pool is closed'));
    for (const connection of this.#idle.splice(0)) this.#discard(connection);
  }

  /** An idle connection for `lessee`: the newest one it left dirty, else the newest clean one, else any. */
  #takeIdle(lessee: Lessee): DuckDBConnection | undefined {
    let index = -1;
    for (let i = this.#idle.length - 1; i >= 0; i--) {
      const dirtyFor = this.#states.get(this.#idle[i])?.dirtyFor;
      if (dirtyFor === lessee) {
        index = i;
        break;
      }
      if (dirtyFor === undefined && index < 0) index = i;
    }
    if (index < 0) index = this.#idle.length - 1;
    return index < 0 ? undefined : this.#idle.splice(index, 1)[0];
  }

  /** Lend `connection` to `lessee`, replacing it first if another lessee left session state on it. */
  async #lend(connection: DuckDBConnection, lessee: Lessee): Promise<DuckDBConnection> {
    const state = this.#states.get(connection);
    if (state && (state.dirtyFor === undefined || state.dirtyFor === lessee)) {
      state.lessee = lessee;
      return connection;
    }
    this.#resets++;
    this.#discard(connection);
    this.#open++;
    return this.#connect(lessee);
  }

  async #connect(lessee: Lessee): Promise<DuckDBConnection> {
    try {
      const connection = await this.#instance.connect();
      this.#states.set(connection, { dirtyFor: undefined, lessee });
      return connection;
    } catch (error) {
      this.#open--;
      throw error;
    }
  }

  #setDirtyFor(state: State, lessee: Lessee | undefined): void {
    if (state.dirtyFor !== undefined) {
      const count = (this.#dirty.get(state.dirtyFor) ?? 1) - 1;
      if (count === 0) this.#dirty.delete(state.dirtyFor);
      else this.#dirty.set(state.dirtyFor, count);
    }
    state.dirtyFor = lessee;
    if (lessee !== undefined) this.#dirty.set(lessee, (this.#dirty.get(lessee) ?? 0) + 1);
  }

  #discard(connection: DuckDBConnection): void {
    const state = this.#states.get(connection);
    if (state) this.#setDirtyFor(state, undefined);
    this.#open--;
    forgetStatements(connection);
    connection.closeSync();
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new Error('aborted');
}

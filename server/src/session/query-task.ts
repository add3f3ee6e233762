import type { DuckDBConnection } from '@duckdb/node-api';
import { ErrorCode } from '@duckwire/protocol';
import { WireError } from '../errors.js';

/** Why a query was cancelled. */
export type CancelReason = 'client' | 'disconnect' | 'shutdown';

const MESSAGES: Record<CancelReason, string> = {
  client: 'Query cancelled',
  disconnect: 'Query cancelled: the connection closed',
  shutdown: 'Query cancelled: the server is shutting down',
};

/** The error a cancelled query ends with; its message contains "cancel". */
export class CancelledError extends WireError {
  constructor(readonly reason: CancelReason) {
    super(ErrorCode.Cancelled, MESSAGES[reason]);
    this.name = 'CancelledError';
  }
}

/** How often a cancelled query's connection is interrupted again until its DuckDB call returns. */
const REINTERRUPT_MS = 20;

/**
 * One in-flight query (or upload) of one socket, and its cancellation. DuckDB can lose an
 * interrupt that arrives before execution starts, and an interrupted stream may end like a normal
 * one; so cancellation is a sticky flag the runner checks, and the interrupt is repeated while the
 * query holds its connection.
 */
export class QueryTask {
  /** Created on first use of {@link signal}: most queries never need one, and it is not free. */
  #controller: AbortController | undefined;
  #reason: CancelledError | undefined;
  #connection: DuckDBConnection | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #finished = false;

  constructor(readonly queryId: string) {}

  /** Aborts when the query is cancelled; passed to waits such as the connection pool. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#reason) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Whether {@link cancel} was called. */
  get cancelled(): boolean {
    return this.#reason !== undefined;
  }

  /** Throw the {@link CancelledError} if the query was cancelled. */
  throwIfCancelled(): void {
    if (this.#reason) throw this.#reason;
  }

  /** The error to report for this query: the cancellation if there was one, else `error`. */
  outcome(error: unknown): unknown {
    return this.#reason ?? error;
  }

  /** Cancel the query. Returns false when it had already finished. */
  cancel(reason: CancelReason): boolean {
    if (this.#finished) return false;
    if (!this.#reason) {
      this.#reason = new CancelledError(reason);
      this.#controller?.abort(this.#reason);
      this.#startInterrupting();
    }
    return true;
  }

  /** The query now runs on `connection`. */
  attach(connection: DuckDBConnection): void {
    this.#connection = connection;
    if (this.cancelled) this.#startInterrupting();
  }

  /** The query no longer uses its connection (call before the connection goes back to the pool). */
  detach(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#connection = undefined;
  }

  /** The query has sent its terminal reply. */
  finish(): void {
    this.detach();
    this.#finished = true;
  }

  #startInterrupting(): void {
    const connection = this.#connection;
    if (!connection || this.#timer) return;
    connection.interrupt();
    this.#timer = setInterval(() => connection.interrupt(), REINTERRUPT_MS);
    this.#timer.unref?.();
  }
}

import type { DuckDBConnection } from '@duckdb/node-api';
import { ErrorCode } from '@duckwire/protocol';
import { WireError } from '../errors.js';

/** Why a query was cancelled: a `cancel`, its connection closing, or shutdown. */
export type CancelReason = 'client' | 'disconnect' | 'shutdown';

/** Why a query was stopped: cancelled, or its timeout ran out. */
export type StopReason = CancelReason | 'timeout';

const MESSAGES: Record<CancelReason, string> = {
  client: 'Query cancelled',
  disconnect: 'Query cancelled: the connection closed',
  shutdown: 'Query cancelled: the server is shutting down',
};

/**
 * The error a stopped query ends with: code `cancelled` (its message contains "cancel"), or
 * `timeout` when its time ran out. Either way the statement did not take effect.
 */
export class CancelledError extends WireError {
  constructor(
    readonly reason: StopReason,
    timeoutMs = 0,
  ) {
    super(
      reason === 'timeout' ? ErrorCode.Timeout : ErrorCode.Cancelled,
      reason === 'timeout' ? `Query timed out after ${timeoutMs} ms and was interrupted` : MESSAGES[reason],
    );
    this.name = 'CancelledError';
  }
}

/** How often a cancelled query's connection is interrupted again until its DuckDB call returns. */
const REINTERRUPT_MS = 20;

/** Settings of one {@link QueryTask}. */
export interface QueryTaskOptions {
  /** Stop the query with code `timeout` after this many ms (0 or absent: never). */
  readonly timeoutMs?: number;
  /** Whose query this is (the socket): the connection pool shares its connections fairly among owners. */
  readonly owner?: object;
}

/**
 * One in-flight query (or upload) of one socket, and its cancellation. DuckDB can lose an
 * interrupt that arrives before execution starts, and an interrupted stream may end like a normal
 * one; so cancellation is a sticky flag the runner checks, and the interrupt is repeated while the
 * query holds its connection.
 *
 * A reply tells the truth: once the runner reports that the statement took effect
 * ({@link markEffective}, e.g. DuckDB returned success for an INSERT), the query ends in its success
 * — a cancel that came too late to stop it is forgotten, and later ones are refused.
 */
export class QueryTask {
  /** Created on first use of {@link signal}: most queries never need one, and it is not free. */
  #controller: AbortController | undefined;
  #reason: CancelledError | undefined;
  #connection: DuckDBConnection | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #finished = false;
  #effective = false;
  /** See {@link QueryTaskOptions.owner}. */
  readonly owner: object | undefined;

  constructor(
    readonly queryId: string,
    options: QueryTaskOptions = {},
  ) {
    this.owner = options.owner;
    const timeoutMs = options.timeoutMs ?? 0;
    if (timeoutMs > 0) {
      this.#deadline = setTimeout(() => this.#stop(new CancelledError('timeout', timeoutMs)), timeoutMs);
      this.#deadline.unref?.();
    }
  }

  /** Aborts when the query is cancelled; passed to waits such as the connection pool. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#reason) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Whether the query was cancelled (or timed out) and still ends that way. */
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

  /**
   * Cancel the query. Returns false when it had already finished, or its statement already took
   * effect (it then ends in its success).
   */
  cancel(reason: CancelReason): boolean {
    return this.#stop(new CancelledError(reason));
  }

  /**
   * The statement took effect (DuckDB committed it): from now on the query ends in its success.
   * A cancel or timeout that came while it ran, too late to stop it, is forgotten; the connection
   * is no longer interrupted.
   */
  markEffective(): void {
    this.#effective = true;
    this.#reason = undefined;
    this.#stopInterrupting();
  }

  /** The query now runs on `connection`. */
  attach(connection: DuckDBConnection): void {
    this.#connection = connection;
    if (this.cancelled) this.#startInterrupting();
  }

  /** The query no longer uses its connection (call before the connection goes back to the pool). */
  detach(): void {
    this.#stopInterrupting();
    this.#connection = undefined;
  }

  /** The query has sent its terminal reply. */
  finish(): void {
    this.detach();
    if (this.#deadline) clearTimeout(this.#deadline);
    this.#finished = true;
  }

  #stop(reason: CancelledError): boolean {
    if (this.#finished || this.#effective) return false;
    if (!this.#reason) {
      this.#reason = reason;
      this.#controller?.abort(this.#reason);
      this.#startInterrupting();
    }
    return true;
  }

  #startInterrupting(): void {
    const connection = this.#connection;
    if (!connection || this.#timer) return;
    connection.interrupt();
    this.#timer = setInterval(() => connection.interrupt(), REINTERRUPT_MS);
    this.#timer.unref?.();
  }

  #stopInterrupting(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

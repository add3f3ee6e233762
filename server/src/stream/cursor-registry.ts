/**
 * The streamed queries of one connection (duckwire.v1 capabilities `stream` and `cursor`): when
 * each started (for `end.elapsedMs`), how many are cursors (a cursor holds a pooled DuckDB
 * connection while it waits, so their number is bounded), and which cursors are paused waiting
 * for `fetch`. A paused cursor that nobody fetches from is closed after the idle timeout; a
 * cancelled one (by `cancel`, the socket closing or shutdown) stops waiting at once.
 */
import { ErrorCode } from '@duckwire/protocol';
import { WireError } from '../errors.js';
import type { RowPacer } from '../result/pump.js';

/** Limits of one connection's cursors. */
export interface CursorLimits {
  /** Most cursors open at once on one connection (0: no limit). */
  readonly maxCursors: number;
  /** A paused cursor with no `fetch` for this long is closed (0: never). */
  readonly idleTimeoutMs: number;
}

/** What a pacer needs of the query it paces. */
export interface PacedQuery {
  readonly queryId: string;
  /** Aborts when the query is cancelled; its reason is the error to end with. */
  readonly signal: AbortSignal;
}

interface Paused {
  resume(rows: number): void;
}

/** A streamed query of this connection. */
interface StreamEntry {
  readonly startedAt: number;
  readonly cursor: boolean;
  paused: Paused | undefined;
}

/**
 * Streams and cursors of one connection. The session calls {@link open} when a streamed query
 * starts and {@link close} when it ended; the query's sender asks for a {@link pacer}; `fetch`
 * messages go to {@link resume}.
 */
export class CursorRegistry {
  readonly #limits: CursorLimits;
  readonly #streams = new Map<string, StreamEntry>();
  #cursors = 0;

  constructor(limits: CursorLimits) {
    this.#limits = limits;
  }

  /** Cursors open now. */
  get openCursors(): number {
    return this.#cursors;
  }

  /**
   * Register a streamed query (a cursor when `cursor`). Throws a `too_many_cursors` WireError when
   * that would open more cursors than allowed.
   */
  open(queryId: string, cursor: boolean): void {
    const { maxCursors } = this.#limits;
    if (cursor && maxCursors > 0 && this.#cursors >= maxCursors) {
      throw new WireError(
        ErrorCode.TooManyCursors,
        `this connection already has ${this.#cursors} open cursors (the limit is ${maxCursors}): fetch them to their end or cancel one`,
      );
    }
    if (cursor) this.#cursors++;
    this.#streams.set(queryId, { startedAt: performance.now(), cursor, paused: undefined });
  }

  /** The streamed query ended (after its terminal reply, or when it failed to start). */
  close(queryId: string): void {
    const entry = this.#streams.get(queryId);
    if (!entry) return;
    this.#streams.delete(queryId);
    if (entry.cursor) this.#cursors--;
  }

  /** Milliseconds since the streamed query `queryId` started (0 when unknown). */
  elapsedMs(queryId: string): number {
    const entry = this.#streams.get(queryId);
    return entry ? performance.now() - entry.startedAt : 0;
  }

  /**
   * Hand `rows` more rows of the paused cursor `queryId` on. Returns false (and changes nothing)
   * when `queryId` is not a cursor of this connection that is paused now.
   */
  resume(queryId: string, rows: number): boolean {
    const paused = this.#streams.get(queryId)?.paused;
    if (!paused) return false;
    paused.resume(rows);
    return true;
  }

  /**
   * The pacer of cursor `query`: `fetchRows` rows first; at each pause `onPause(rows)` (which
   * sends `paused`), then a wait for `fetch`, which ends with a `cursor_timeout` WireError after
   * the idle timeout or with the cancellation's error when the query is cancelled.
   */
  pacer(query: PacedQuery, fetchRows: number, onPause: (rows: number) => void): RowPacer {
    const entry = this.#streams.get(query.queryId);
    if (!entry) throw new Error(`no open stream ${query.queryId}`);
    const idleTimeoutMs = this.#limits.idleTimeoutMs;
    return {
      allowance: fetchRows,
      pause: (rows) =>
        new Promise<number>((resolve, reject) => {
          const { signal } = query;
          let timer: ReturnType<typeof setTimeout> | undefined;
          const done = () => {
            entry.paused = undefined;
            if (timer) clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
          };
          const onAbort = () => {
            done();
            reject(signal.reason);
          };
          if (signal.aborted) {
            reject(signal.reason);
            return;
          }
          signal.addEventListener('abort', onAbort, { once: true });
          if (idleTimeoutMs > 0) {
            timer = setTimeout(() => {
              done();
              reject(
                new WireError(
                  ErrorCode.CursorTimeout,
                  `the cursor was idle for ${idleTimeoutMs} ms without a fetch and was closed`,
                ),
              );
            }, idleTimeoutMs);
            timer.unref?.();
          }
          entry.paused = {
            resume: (more) => {
              done();
              resolve(more);
            },
          };
          onPause(rows);
        }),
    };
  }
}

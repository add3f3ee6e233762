/**
 * A cursor (duckwire.v1 capability `cursor`): a streamed query the app reads a chunk of rows at a time.
 * The server computes nothing beyond the rows asked for until the next `next(n)`, so a cursor over a huge
 * result costs only what is read.
 */
import type { Table } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { tableFromBatches } from './arrow.js';
import type { ResultStream } from './result-stream.js';

/** How a {@link Cursor} talks to its query; supplied by the client. */
export interface CursorDriver {
  /** Send the query, asking for its first `rows` rows; resolves with its stream once sent. */
  start(rows: number): Promise<ResultStream>;
  /** Ask for `rows` more rows of the paused query. */
  fetch(rows: number): void;
  /** Cancel the query and stop routing its replies. */
  cancel(): void;
}

/**
 * Rows of one query, read in chunks: `await cursor.next(1000)` gives a Table of the next (up to) 1000 rows,
 * `undefined` once the result is exhausted. `close()` cancels the rest. Create one with `client.cursor(sql)`.
 */
export class Cursor {
  readonly #driver: CursorDriver;
  #stream: ResultStream | undefined;
  #done = false;
  #busy = false;

  /** @internal */
  constructor(driver: CursorDriver) {
    this.#driver = driver;
  }

  /** Whether the result is exhausted or the cursor closed. */
  get done(): boolean {
    return this.#done;
  }

  /**
   * The next up to `rows` rows as an Arrow Table (of the result's schema), or `undefined` when no rows are
   * left. Rejects with the query's error (the cursor is then done).
   */
  async next(rows: number): Promise<Table | undefined> {
    if (!Number.isInteger(rows) || rows < 1) throw new RangeError('cursor.next(rows): rows must be an integer ≥ 1');
    if (this.#busy) throw new TypeError('cursor.next() called again before the previous call resolved');
    if (this.#done) return undefined;
    this.#busy = true;
    try {
      let stream = this.#stream;
      if (stream) this.#driver.fetch(rows);
      else {
        stream = await this.#driver.start(rows);
        this.#stream = stream;
      }
      const batches: RecordBatch[] = [];
      for (;;) {
        const event = await stream.next();
        if (event.kind === 'batch') batches.push(event.batch);
        else {
          if (event.kind === 'end') this.#done = true;
          break;
        }
      }
      if (batches.length === 0 && this.#done) return undefined;
      return tableFromBatches(batches, stream.schema);
    } catch (error) {
      this.#done = true;
      throw error;
    } finally {
      this.#busy = false;
    }
  }

  /** Stop reading: the server cancels the query (nothing is sent when it already ended). */
  async close(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (this.#stream && !this.#stream.finished) this.#driver.cancel();
  }
}

import type { DuckDBType } from '@duckdb/node-api';
import { Schema } from 'apache-arrow/schema';
import { BatchBody } from './body-sink.js';
import { type ColumnPlan, type DictionaryPlan, planColumn } from './column-plan.js';
import { chunkVector, type RawDataChunk } from '../database/vector-memory.js';
import { rangeSelection } from './encoders/column-encoder.js';
import { encodeBatchMessage, type MessageAllocator } from './ipc-message.js';

/**
 * Encodes the record batches of one result: DuckDB chunks are appended one by one (their data
 * copied at once), and {@link BatchEncoder.flush} turns what was appended into one IPC record
 * batch message.
 */
export class BatchEncoder {
  #schema: Schema | undefined;
  /** Dictionaries (ENUM values) to send before the first batch. */
  readonly dictionaries: readonly DictionaryPlan[];
  private readonly columns: readonly ColumnPlan[];
  private rows = 0;

  /**
   * @param names column names of the result
   * @param types column types of the result
   * @param timeZone time zone written on TIMESTAMP WITH TIME ZONE columns
   * @throws UnsupportedTypeError when a column's type cannot be encoded faithfully
   */
  constructor(names: readonly string[], types: readonly DuckDBType[], timeZone: string) {
    const dictionaries: DictionaryPlan[] = [];
    this.columns = names.map((name, i) => planColumn(name, types[i], { timeZone, dictionaries }));
    this.dictionaries = dictionaries;
  }

  /** The Arrow schema of the result. */
  get schema(): Schema {
    this.#schema ??= new Schema(this.columns.map((c) => c.field));
    return this.#schema;
  }

  /** Rows appended since the last flush. */
  get rowCount(): number {
    return this.rows;
  }

  /** Approximate body bytes appended since the last flush. */
  get byteLength(): number {
    let total = 0;
    for (const column of this.columns) total += column.encoder.byteLength;
    return total;
  }

  /**
   * Copies `rowCount` rows of a DuckDB data chunk into the batch being built: all of them, or,
   * when `firstRow` and the chunk's own size `chunkRows` say so, the rows `[firstRow, firstRow +
   * rowCount)` (a chunk split between two batches).
   */
  append(chunk: RawDataChunk, rowCount: number, firstRow = 0, chunkRows = rowCount): void {
    if (rowCount === 0) return;
    const whole = firstRow === 0 && rowCount === chunkRows;
    const sel = whole ? null : rangeSelection(firstRow, firstRow + rowCount);
    for (let i = 0; i < this.columns.length; i++) {
      this.columns[i].encoder.append(chunkVector(chunk, i), chunkRows, sel);
    }
    this.rows += rowCount;
  }

  /**
   * The record batch message of the rows appended so far, written into `allocate(size)` (a fresh
   * buffer by default); starts a new batch.
   */
  flush(allocate?: MessageAllocator): Uint8Array {
    const { rows, body } = this.flushBody();
    return encodeBatchMessage(rows, body, undefined, allocate);
  }

  /**
   * The row count and body of the rows appended so far; starts a new batch. The body's parts lie
   * in the encoders' memory, valid only until the next {@link append}.
   */
  flushBody(): { readonly rows: number; readonly body: BatchBody } {
    const body = new BatchBody();
    for (const column of this.columns) column.encoder.flush(body);
    const rows = this.rows;
    this.rows = 0;
    return { rows, body };
  }
}

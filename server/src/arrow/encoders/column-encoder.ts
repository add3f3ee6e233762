import type { BodySink } from '../body-sink.js';
import type { RawVector } from '../../database/vector-memory.js';

/**
 * Turns the rows of DuckDB vectors into one Arrow array, batch after batch: rows are appended
 * chunk by chunk, then {@link ColumnEncoder.flush} writes the buffered array into a record batch
 * body and starts the next one.
 */
export interface ColumnEncoder {
  /**
   * Appends rows of `vector`, which holds `size` rows: all of them in order when `sel` is null,
   * otherwise the rows listed in `sel`, in that order. Data is copied: the vector may go once
   * this returns.
   */
  append(vector: RawVector, size: number, sel: Int32Array | null): void;
  /** Bytes buffered since the last flush (close to what the body will hold). */
  readonly byteLength: number;
  /** Writes the field node(s) and buffers of the buffered rows in IPC pre-order and starts over. */
  flush(sink: BodySink): void;
}

/** How many rows an append takes. */
export function rowCount(size: number, sel: Int32Array | null): number {
  return sel === null ? size : sel.length;
}

/** A selection of the consecutive rows `[start, end)`. */
export function rangeSelection(start: number, end: number): Int32Array {
  const sel = new Int32Array(end - start);
  for (let i = 0; i < sel.length; i++) sel[i] = start + i;
  return sel;
}

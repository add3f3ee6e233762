/**
 * Everything the client does with Arrow, through the application's own `apache-arrow` (a peer dependency):
 * the tables it returns are instances of the app's classes, never of a private copy.
 */
import { alignedArrowPayload } from '@duckwire/protocol';
import { type RecordBatch, type Schema, Table, tableFromIPC, tableFromJSON, tableToIPC } from 'apache-arrow';

/** Decode one complete Arrow IPC stream (a result) into a table. Throws when the bytes are not a valid stream. */
export function decodeArrowStream(bytes: Uint8Array): Table {
  return tableFromIPC(alignedArrowPayload(bytes));
}

/** The table an `arrow` query resolves with when its statement returned no result set (`ok`). */
export function emptyTable(): Table {
  return new Table();
}

/** A table of decoded record batches (of one result); with none, an empty table of `schema`. */
export function tableFromBatches(batches: readonly RecordBatch[], schema: Schema | undefined): Table {
  if (batches.length > 0) return new Table(batches as RecordBatch[]);
  return schema ? new Table(schema) : new Table();
}

/**
 * Serialize a table as an Arrow IPC stream for an upload; bytes are passed through.
 *
 * @throws TypeError when `table` is an Arrow table from another copy of apache-arrow than the one this
 *   package resolves (its schema would be lost in serialization): pass IPC bytes instead.
 */
export function encodeArrowStream(table: Table | Uint8Array): Uint8Array {
  if (table instanceof Uint8Array) return table;
  if (!(table instanceof Table)) {
    throw new TypeError(
      'loadArrow/upload: the table is not an apache-arrow Table of the copy @duckwire/client resolves ' +
        "(two copies of apache-arrow are installed?); pass IPC bytes instead: tableToIPC(table, 'stream')",
    );
  }
  return tableToIPC(table, 'stream');
}

/** Turn row objects into an Arrow table (column types inferred by apache-arrow's `tableFromJSON`). */
export function tableFromRows(rows: readonly Record<string, unknown>[]): Table {
  return tableFromJSON(rows as Record<string, unknown>[]);
}

export type { Table };

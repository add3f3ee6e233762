import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  DuckDBVector,
} from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import { chunkVector, createDataChunk, type RawLogicalType } from '../database/vector-memory.js';
import { UploadError, WireError } from '../errors.js';
import { parseQualifiedName, quoteIdentifier, quoteQualifiedName } from '../sql/identifiers.js';
import { arrowColumnMapping, type ColumnMapping, checkNames, type ValueReader } from './arrow-columns.js';
import { arrowBulkWriter, type ChunkWriter } from './chunk-writers.js';
import { decodeArrowIpc } from './decode-ipc.js';

/** Data chunks appended between two yields to the event loop (~64k rows). */
const CHUNKS_PER_YIELD = 32;

/** Options of {@link loadArrowIntoTable}. */
export interface LoadArrowOptions {
  /**
   * Aborts the load: checked before the transaction starts and every ~64k rows; the transaction is
   * rolled back and the promise rejects with the signal's `reason`, unwrapped.
   */
  readonly signal?: AbortSignal;
}

/**
 * Create or replace `tableName` (1 to 3 SQL identifiers) with the rows of an Arrow IPC stream,
 * atomically: on any failure the previous table, if any, is left as it was.
 *
 * The name is parsed into identifiers and re-quoted, never pasted into SQL; column names are
 * quoted too, and values go through DuckDB's appender, never through SQL text. The Arrow schema
 * is mapped to DuckDB types first (see {@link arrowColumnMapping}), so an unsupported type fails
 * before the database is touched. Then, in one transaction on `connection`:
 * `CREATE OR REPLACE TABLE`, the rows appended in data chunks of 2048, `COMMIT`; any failure
 * rolls back. Loading yields to the event loop every ~64k rows so that a large upload does not
 * stall other clients.
 *
 * `connection` must not be used by anyone else until the promise settles, and must not be inside
 * a transaction already.
 *
 * @param connection - the connection to load on (it runs the transaction).
 * @param tableName - the table name as the client sent it.
 * @param ipc - the Arrow IPC stream bytes (viewed, not copied: keep them unchanged until settled).
 * @param options - optional abort signal.
 *
 * @throws InvalidTableNameError when `tableName` is not 1 to 3 identifiers.
 * @throws UploadError when the bytes are not a readable Arrow IPC stream, a column has a type that
 *   cannot be uploaded, a column name is empty or clashes, the table cannot be created (e.g. its
 *   schema does not exist), or loading the rows fails.
 */
export async function loadArrowIntoTable(
  connection: DuckDBConnection,
  tableName: string,
  ipc: Uint8Array,
  options: LoadArrowOptions = {},
): Promise<void> {
  const { signal } = options;
  const parts = parseQualifiedName(tableName);
  const quotedName = quoteQualifiedName(parts);
  const table = decodeArrowIpc(ipc);
  const fields = table.schema.fields;
  checkNames(
    fields.map((f) => f.name),
    'column names',
  );
  const columns = fields.map((field) => arrowColumnMapping(field));
  const columnList = fields.map((f, i) => `${quoteIdentifier(f.name)} ${columns[i]!.sqlType}`).join(', ');

  signal?.throwIfAborted();
  try {
    await connection.run('BEGIN TRANSACTION');
  } catch (error) {
    throw new UploadError(`cannot start the upload's transaction: ${messageOf(error)}`);
  }
  try {
    try {
      await connection.run(`CREATE OR REPLACE TABLE ${quotedName} (${columnList})`);
    } catch (error) {
      throw new UploadError(`cannot create table ${quotedName}: ${messageOf(error)}`);
    }
    await appendRows(connection, parts, table, columns, signal);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    if (error instanceof WireError || (signal?.aborted && error === signal.reason)) throw error;
    throw new UploadError(`loading rows into ${quotedName} failed: ${messageOf(error)}`);
  }
}

async function appendRows(
  connection: DuckDBConnection,
  parts: readonly string[],
  table: Table,
  columns: readonly ColumnMapping[],
  signal: AbortSignal | undefined,
): Promise<void> {
  const appender = await openAppender(connection, parts);
  try {
    const types: DuckDBType[] = columns.map((_, i) => appender.columnType(i));
    const logicalTypes = types.map((type) => type.toLogicalType().logical_type);
    const bulkWriters = table.schema.fields.map((field) => arrowBulkWriter(field.type));
    const chunkSize = DuckDBVector.standardSize();
    let chunksSinceYield = 0;
    for (const batch of table.batches) {
      const writers: ColumnFill[] = columns.map((column, i) => {
        const data = batch.data.children[i]!;
        const bulk = bulkWriters[i]?.(data);
        return bulk ? { bulk } : { read: column.reader(data) };
      });
      for (let start = 0; start < batch.numRows; start += chunkSize) {
        const rowCount = Math.min(chunkSize, batch.numRows - start);
        appender.appendDataChunk(fillChunk(logicalTypes, writers, start, rowCount));
        if (++chunksSinceYield === CHUNKS_PER_YIELD) {
          chunksSinceYield = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
          signal?.throwIfAborted();
        }
      }
    }
    signal?.throwIfAborted();
    appender.flushSync();
  } catch (error) {
    try {
      appender.clear();
    } catch {
      // the appender is being discarded with the transaction anyway
    }
    throw error;
  } finally {
    try {
      appender.closeSync();
    } catch {
      // nothing left to flush after clear(); a failed flush was already thrown above
    }
  }
}

/**
 * How a column's rows get into a chunk: a bulk writer (fixed-width values copied, strings handed
 * over as bytes; see {@link arrowBulkWriter}) or, for everything else, a reader of DuckDB values.
 */
type ColumnFill =
  | { readonly bulk: ChunkWriter; readonly read?: undefined }
  | { readonly bulk?: undefined; readonly read: ValueReader };

function fillChunk(
  logicalTypes: readonly RawLogicalType[],
  writers: readonly ColumnFill[],
  start: number,
  rowCount: number,
) {
  const chunk = new DuckDBDataChunk(createDataChunk(logicalTypes));
  chunk.rowCount = rowCount;
  for (let c = 0; c < writers.length; c++) {
    const { bulk, read } = writers[c]!;
    if (bulk) {
      bulk(chunkVector(chunk.chunk, c), start, rowCount);
      continue;
    }
    const vector = chunk.getColumnVector(c);
    for (let row = 0; row < rowCount; row++) vector.setItem(row, read!(start + row));
    vector.flush();
  }
  return chunk;
}

/**
 * An appender on the table just created. A two-part name `a.b` is `schema.table` unless `a` is
 * only a catalog (an attached database), in which case it is `catalog.table` in that catalog's
 * default schema — DuckDB's own rule for `CREATE TABLE a.b`.
 */
async function openAppender(connection: DuckDBConnection, parts: readonly string[]): Promise<DuckDBAppender> {
  if (parts.length === 1) return connection.createAppender(parts[0]!);
  if (parts.length === 3) return connection.createAppender(parts[2]!, parts[1]!, parts[0]!);
  try {
    return await connection.createAppender(parts[1]!, parts[0]!);
  } catch (error) {
    try {
      return await connection.createAppender(parts[1]!, undefined, parts[0]!);
    } catch {
      throw error;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import type { DuckDBConnection } from '@duckdb/node-api';
import type { Field, Table } from 'apache-arrow';
import { UploadError, WireError } from '../errors.js';
import { parseQualifiedName, quoteIdentifier, quoteQualifiedName } from '../sql/identifiers.js';
import { arrowColumnMapping, checkNames } from './arrow-columns.js';
import { insertArrowRows } from './arrow-scan.js';
import { decodeArrowIpc } from './decode-ipc.js';

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
 * quoted too, and values reach DuckDB as data chunks filled from the decoded columns (see
 * {@link insertArrowRows}), never through SQL text. The Arrow schema is mapped to DuckDB types
 * first (see {@link arrowColumnMapping}), so an unsupported type fails before the database is
 * touched. Then, in one transaction on `connection`: `CREATE OR REPLACE TABLE`,
 * `INSERT … SELECT` from a table function serving the rows in chunks of 2048, `COMMIT`; any
 * failure rolls back. Each chunk is filled in its own turn of the event loop, so a large upload
 * does not stall other clients.
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
  const table = decodeArrowIpc(ipc);
  await replaceTable(connection, parts, table.schema.fields, signal, (append) => append(table));
}

/** Appends the rows of an Arrow table (of the schema given to {@link replaceTable}) to the new table. */
export type AppendArrowRows = (table: Table) => Promise<void>;

/**
 * Create or replace the table named by `parts` with columns for the Arrow `fields`, and fill it
 * with `fill` (which appends rows through the `append` it is given, as often as it likes), in one
 * transaction on `connection`: `CREATE OR REPLACE TABLE`, `fill`, `COMMIT`; any failure rolls
 * back, leaving the previous table, if any, as it was. Column names are checked and quoted, and
 * their types mapped, before the database is touched.
 *
 * @throws UploadError for names or types that cannot be uploaded, or DuckDB's failure (wrapped);
 *   a {@link WireError} or `signal`'s reason from `fill` as it is.
 */
export async function replaceTable(
  connection: DuckDBConnection,
  parts: readonly string[],
  fields: readonly Field[],
  signal: AbortSignal | undefined,
  fill: (append: AppendArrowRows) => Promise<void>,
): Promise<void> {
  const quotedName = quoteQualifiedName(parts);
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
    const types = (await connection.run(`SELECT * FROM ${quotedName} LIMIT 0`)).columnTypes();
    await fill((table) => insertArrowRows(connection, quotedName, table, columns, types, signal));
    signal?.throwIfAborted();
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    if (error instanceof WireError || (signal?.aborted && error === signal.reason)) throw error;
    throw new UploadError(`loading rows into ${quotedName} failed: ${messageOf(error)}`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

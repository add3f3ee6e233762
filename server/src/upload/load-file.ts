/**
 * Loads an uploaded file (duckwire.v1 `uploadFile`: CSV, Parquet or JSON) with DuckDB's own
 * readers, which detect columns and types, into a table created or replaced in one statement.
 */
import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { UploadFileHeader } from '@duckwire/protocol';
import { withConflictRetry } from '../database/conflict-retry.js';
import { UploadError } from '../errors.js';
import { parseQualifiedName, quoteQualifiedName } from '../sql/identifiers.js';

/** A file format DuckDB reads itself (`arrow` goes through the Arrow loaders instead). */
export type ReadableFileFormat = Exclude<UploadFileHeader['format'], 'arrow'>;

/** DuckDB's reader of each format, with automatic detection of columns and types. */
const READERS: Record<ReadableFileFormat, string> = {
  csv: 'read_csv',
  parquet: 'read_parquet',
  json: 'read_json',
};

/** Options of {@link loadFileIntoTable}. */
export interface LoadFileOptions {
  /** How many times the statement is re-run after a transaction conflict. */
  readonly conflictRetries: number;
  /** Stops the re-runs once aborted. */
  readonly signal?: AbortSignal;
}

/**
 * Create or replace `tableName` (1 to 3 SQL identifiers) from the file at `path` with DuckDB's
 * reader for `format`: `CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv('…')` — one statement,
 * so atomic: on failure the previous table, if any, is unchanged. `path` is the server's own
 * temporary file, quoted as a string literal; DuckDB's error message is passed on with the path
 * replaced by "the uploaded file".
 *
 * @throws InvalidTableNameError when `tableName` is not 1 to 3 identifiers.
 * @throws UploadError with DuckDB's message when the file cannot be read or the table made.
 */
export async function loadFileIntoTable(
  connection: DuckDBConnection,
  tableName: string,
  format: ReadableFileFormat,
  path: string,
  options: LoadFileOptions,
): Promise<void> {
  const quotedName = quoteQualifiedName(parseQualifiedName(tableName));
  const literal = `'${path.replaceAll("'", "''")}'`;
  try {
    await withConflictRetry(
      () => connection.run(`CREATE OR REPLACE TABLE ${quotedName} AS SELECT * FROM ${READERS[format]}(${literal})`),
      { retries: options.conflictRetries, shouldStop: () => options.signal?.aborted ?? false },
    );
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    // DuckDB may quote the statement (with the path) after its message: keep the message alone.
    const message = (error instanceof Error ? error.message : String(error))
      .replace(/\n+LINE \d+:[\s\S]*$/, '')
      .replaceAll(path, 'the uploaded file')
      .replaceAll(dirname(path), 'the upload directory');
    throw new UploadError(`cannot load the uploaded ${format} file into ${quotedName}: ${message}`);
  }
}

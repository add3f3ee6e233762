/**
 * Loads an Arrow IPC stream whose bytes arrive in parts (a chunked upload) without ever holding
 * the whole stream: each record batch is appended to the new table as soon as it is decoded,
 * inside one transaction that commits once the last part has arrived.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { Table } from 'apache-arrow';
import { parseQualifiedName } from '../sql/identifiers.js';
import { openArrowIpcStream } from './decode-ipc.js';
import { type loadArrowIntoTable, replaceTable } from './load-arrow.js';

/** Options of {@link loadArrowStreamIntoTable}. */
export interface LoadArrowStreamOptions {
  /** Aborts the load: the transaction is rolled back and the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Create or replace `tableName` (1 to 3 SQL identifiers) with the rows of the Arrow IPC stream
 * whose bytes `bytes` yields, atomically: on any failure the previous table, if any, is left as
 * it was, and nothing is left behind.
 *
 * Once the schema has arrived, in one transaction on `connection`: `CREATE OR REPLACE TABLE`,
 * then each record batch appended as soon as it is decoded, then — after the end of `bytes`, not
 * merely the stream's end-of-stream marker (bytes after it are read and ignored) — `COMMIT`. Any
 * failure rolls back. Other connections see the old table until the commit. (The single-message
 * path, {@link loadArrowIntoTable}, is re-run after a transaction conflict; this one cannot be, its
 * bytes are gone: a conflict is reported as `upload_failed`.)
 *
 * @throws InvalidTableNameError when `tableName` is not 1 to 3 identifiers (before reading `bytes`).
 * @throws UploadError when the bytes are not a readable Arrow IPC stream, a column cannot be
 *   uploaded, or DuckDB cannot create or fill the table.
 * @throws the error `bytes` throws (a cancellation, a limit), or the signal's reason.
 */
export async function loadArrowStreamIntoTable(
  connection: DuckDBConnection,
  tableName: string,
  bytes: AsyncIterable<Uint8Array>,
  options: LoadArrowStreamOptions = {},
): Promise<void> {
  const { signal } = options;
  const parts = parseQualifiedName(tableName);
  const source = bytes[Symbol.asyncIterator]();
  const stream = await openArrowIpcStream(source);
  await replaceTable(connection, parts, stream.schema.fields, signal, async (append) => {
    for await (const batch of stream.batches) {
      signal?.throwIfAborted();
      await append(new Table(batch));
    }
    // The client marks its last part: the table is committed only once it has arrived.
    while (!(await source.next()).done) signal?.throwIfAborted();
  });
}

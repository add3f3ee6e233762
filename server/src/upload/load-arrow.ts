// STUB — owned by the upload work; replace wholesale.
import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Create or replace `tableName` (1 to 3 SQL identifiers) with the rows of an Arrow IPC stream,
 * atomically: on any failure the previous table, if any, is left as it was.
 * Throws InvalidTableNameError or UploadError.
 */
export async function loadArrowIntoTable(
  _connection: DuckDBConnection,
  _tableName: string,
  _ipc: Uint8Array,
): Promise<void> {
  throw new Error('not implemented');
}

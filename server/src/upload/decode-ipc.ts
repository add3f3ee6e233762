import { type Table, tableFromIPC } from 'apache-arrow';
import { UploadError } from '../errors.js';

/**
 * Decode the bytes of an Arrow IPC stream (the file format is accepted too) into a table.
 * Buffers are viewed, not copied, so `ipc` must stay unchanged while the table is in use.
 *
 * @throws UploadError "not a readable Arrow IPC stream: …" when apache-arrow cannot read the
 *   bytes (garbage, a message cut short, an unknown message type), or when they hold no schema.
 */
export function decodeArrowIpc(ipc: Uint8Array): Table {
  let table: Table;
  try {
    table = tableFromIPC(ipc);
  } catch (error) {
    throw new UploadError(`not a readable Arrow IPC stream: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (ipc.byteLength === 0 || table.schema.fields.length === 0) {
    throw new UploadError('not a readable Arrow IPC stream: it holds no schema (or a schema without columns)');
  }
  return table;
}

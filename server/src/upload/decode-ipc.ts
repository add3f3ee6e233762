/**
 * Decoding uploaded Arrow IPC bytes with apache-arrow: all at once (a single-message upload) or
 * record batch by record batch as the bytes arrive (a chunked upload), with one wording for bytes
 * that are not Arrow.
 */
import { type RecordBatch, RecordBatchReader, type Schema, type Table, tableFromIPC } from 'apache-arrow';
import { UploadError } from '../errors.js';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The error for bytes apache-arrow cannot read as Arrow IPC. */
export function unreadableIpc(error: unknown): UploadError {
  return new UploadError(`not a readable Arrow IPC stream: ${messageOf(error)}`);
}

function checkSchema(schema: Schema | undefined, byteLength: number): void {
  if (byteLength === 0 || !schema || schema.fields.length === 0) {
    throw new UploadError('not a readable Arrow IPC stream: it holds no schema (or a schema without columns)');
  }
}

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
    throw unreadableIpc(error);
  }
  checkSchema(table.schema, ipc.byteLength);
  return table;
}

/** An Arrow IPC stream being read as its bytes arrive: its schema, and its record batches to come. */
export interface ArrowIpcStream {
  readonly schema: Schema;
  /** Each record batch as soon as its bytes are in (iterate once). */
  readonly batches: AsyncIterable<RecordBatch>;
}

/**
 * Open an Arrow IPC stream whose bytes arrive in parts (split anywhere, even inside a message):
 * resolves once the schema has been read; its batches then come one by one as their bytes
 * arrive, with no more than one message held at a time. (An IPC *file* — it starts with `ARROW1`
 * and keeps its index at the end — is read whole by apache-arrow first.)
 *
 * `parts` is never closed early: when the stream ends at its end-of-stream marker, the caller may
 * go on reading it. An error `parts` throws (a cancellation, a limit) comes out as it is; an
 * error of apache-arrow's as "not a readable Arrow IPC stream: …".
 *
 * @throws UploadError when the opening bytes are not Arrow IPC or hold no schema.
 */
export async function openArrowIpcStream(parts: AsyncIterator<Uint8Array>): Promise<ArrowIpcStream> {
  let received = 0;
  let sourceFailure: { error: unknown } | undefined;
  // apache-arrow calls return() on its source when it stops; the caller's iterator must outlive that.
  const source: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        try {
          const next = await parts.next();
          if (!next.done) received += next.value.byteLength;
          return next;
        } catch (error) {
          sourceFailure = { error };
          throw error;
        }
      },
    }),
  };
  const translate = (error: unknown) => (sourceFailure ? sourceFailure.error : unreadableIpc(error));
  let reader: RecordBatchReader;
  try {
    reader = await RecordBatchReader.from(source);
    await reader.open();
  } catch (error) {
    throw translate(error);
  }
  checkSchema(reader.schema, received);
  async function* batches(): AsyncGenerator<RecordBatch> {
    try {
      for await (const batch of reader) yield batch;
    } catch (error) {
      throw translate(error);
    }
  }
  return { schema: reader.schema, batches: batches() };
}

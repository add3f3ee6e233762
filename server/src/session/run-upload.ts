/**
 * Runs uploads on a pooled connection, beside `run-query.ts` which runs queries: the session only
 * routes the frames here. Three kinds: a single-message `uploadArrow`, a chunked Arrow upload
 * (duckwire.v1 `chunked: true`, the rest in `uploadChunk` frames), and `uploadFile` (v1).
 *
 * The Arrow loaders are imported on the first Arrow upload: they read IPC with apache-arrow's
 * reader, most of that library, ~5 MiB of resident memory that a server nobody uploads to
 * would otherwise hold from its start.
 */
import { ErrorCode, stringifyServerMessage, type UploadArrowHeader, type UploadFileHeader } from '@duckwire/protocol';
import { withConflictRetry } from '../database/conflict-retry.js';
import { withConnection } from '../database/connection-lease.js';
import { invalidatePreparedStatements } from '../database/statement-cache.js';
import { WireError } from '../errors.js';
import { parseQualifiedName } from '../sql/identifiers.js';
import type { IncomingParts } from '../upload/incoming-parts.js';
import { loadFileIntoTable } from '../upload/load-file.js';
import type { QueryTask } from './query-task.js';
import type { QueryContext } from './run-query.js';

/**
 * Load the Arrow IPC `payload` into the table the header names and send `uploadAck`. Throws the
 * error to report (the load's, a conflict after the retries, or the cancellation); the caller
 * turns it into the `error` reply.
 */
export async function runUpload(
  context: QueryContext,
  header: UploadArrowHeader | UploadFileHeader,
  payload: Uint8Array,
  task: QueryTask,
): Promise<void> {
  const { database, options, logger } = context;
  logger.debug({ queryId: task.queryId, table: header.tableName, bytes: payload.byteLength }, 'upload');
  refuseIfReadOnly(context);
  const { loadArrowIntoTable } = await import('../upload/load-arrow.js');
  await withConnection(database.pool, context.lessee, task, (connection) =>
    committing(context, task, () =>
      withConflictRetry(() => loadArrowIntoTable(connection, header.tableName, payload, { signal: task.signal }), {
        retries: options.conflictRetries,
        shouldStop: () => task.cancelled,
      }),
    ),
  );
  acknowledge(context, task);
}

/**
 * Load a chunked Arrow upload whose bytes arrive in `parts` (the header's payload first, then
 * each `uploadChunk`'s) and send `uploadAck` once the last part is in and the table is made.
 * A cancellation fails `parts`, so a load waiting for the next part ends at once.
 */
export async function runChunkedArrowUpload(
  context: QueryContext,
  header: UploadArrowHeader | UploadFileHeader,
  parts: IncomingParts,
  task: QueryTask,
): Promise<void> {
  context.logger.debug({ queryId: task.queryId, table: header.tableName }, 'chunked upload');
  const stop = failPartsOnCancel(parts, task);
  try {
    refuseIfReadOnly(context);
    parseQualifiedName(header.tableName); // a bad name fails before a connection is taken
    const { loadArrowStreamIntoTable } = await import('../upload/load-arrow-stream.js');
    await withConnection(context.database.pool, context.lessee, task, (connection) =>
      committing(context, task, () =>
        loadArrowStreamIntoTable(connection, header.tableName, parts, { signal: task.signal }),
      ),
    );
  } finally {
    stop();
  }
  acknowledge(context, task);
}

/**
 * Load an `uploadFile`: Arrow bytes go the Arrow paths (whole or chunked); CSV, Parquet and JSON
 * are written to a private temporary file that DuckDB's reader loads, removed afterwards.
 */
export async function runFileUpload(
  context: QueryContext,
  header: UploadFileHeader,
  bytes: Uint8Array | IncomingParts,
  task: QueryTask,
): Promise<void> {
  if (header.format === 'arrow') {
    if (bytes instanceof Uint8Array) await runUpload(context, header, bytes, task);
    else await runChunkedArrowUpload(context, header, bytes, task);
    return;
  }
  const format = header.format;
  context.logger.debug({ queryId: task.queryId, table: header.tableName, format }, 'file upload');
  const stop = bytes instanceof Uint8Array ? () => undefined : failPartsOnCancel(bytes, task);
  try {
    refuseIfReadOnly(context);
    parseQualifiedName(header.tableName);
    const source = bytes instanceof Uint8Array ? [bytes] : bytes;
    await context.uploads.withFile(
      format,
      source,
      (path) =>
        withConnection(context.database.pool, context.lessee, task, (connection) =>
          committing(context, task, () =>
            loadFileIntoTable(connection, header.tableName, format, path, {
              signal: task.signal,
              conflictRetries: context.options.conflictRetries,
            }),
          ),
        ),
      task.signal,
    );
  } finally {
    stop();
  }
  acknowledge(context, task);
}

function acknowledge(context: QueryContext, task: QueryTask): void {
  task.throwIfCancelled();
  context.writer.sendText(stringifyServerMessage({ type: 'uploadAck', queryId: task.queryId }));
}

/** Uploads write: a read-only server refuses them before reading a byte. */
function refuseIfReadOnly(context: QueryContext): void {
  if (context.database.policy.readOnly) {
    throw new WireError(ErrorCode.UploadFailed, 'the server is read-only (--read-only): uploads are refused');
  }
}

/**
 * Run a load that commits on its own; once it has, the upload is acknowledged whatever cancel came
 * too late to stop it. Whatever it ends with, the result cache may hold results of the table it
 * replaced, and prepared statements may refer to it.
 */
async function committing<T>(context: QueryContext, task: QueryTask, load: () => Promise<T>): Promise<T> {
  try {
    const value = await load();
    task.markEffective();
    return value;
  } finally {
    context.cache?.invalidate();
    invalidatePreparedStatements();
  }
}

/** Fail `parts` when `task` is cancelled; returns the function that stops listening. */
function failPartsOnCancel(parts: IncomingParts, task: QueryTask): () => void {
  const signal = task.signal;
  const onAbort = () => parts.fail(signal.reason);
  if (signal.aborted) onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

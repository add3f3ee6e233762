/**
 * Runs one `uploadArrow` on a pooled connection, beside `run-query.ts` which runs queries: the
 * session only routes the frame here.
 */
import { ErrorCode, stringifyServerMessage, type UploadArrowHeader } from '@duckwire/protocol';
import { withConflictRetry } from '../database/conflict-retry.js';
import { withConnection } from '../database/connection-lease.js';
import { invalidatePreparedStatements } from '../database/statement-cache.js';
import { WireError } from '../errors.js';
import { loadArrowIntoTable } from '../upload/load-arrow.js';
import type { QueryTask } from './query-task.js';
import type { QueryContext } from './run-query.js';

/**
 * Load the Arrow IPC `payload` into the table the header names and send `uploadAck`. Throws the
 * error to report (the load's, a conflict after the retries, or the cancellation); the caller
 * turns it into the `error` reply.
 */
export async function runUpload(
  context: QueryContext,
  header: UploadArrowHeader,
  payload: Uint8Array,
  task: QueryTask,
): Promise<void> {
  const { database, options, cache, logger } = context;
  logger.debug({ queryId: task.queryId, table: header.tableName, bytes: payload.byteLength }, 'upload');
  if (database.policy.readOnly) {
    throw new WireError(ErrorCode.UploadFailed, 'the server is read-only (--read-only): uploads are refused');
  }
  // The upload's transaction is closed either way: it leaves no session state on the connection.
  await withConnection(database.pool, context.lessee, task, async (connection) => {
    try {
      await withConflictRetry(
        () => loadArrowIntoTable(connection, header.tableName, payload, { signal: task.signal }),
        {
          retries: options.conflictRetries,
          shouldStop: () => task.cancelled,
        },
      );
      // Committed: the upload is acknowledged, whatever cancel came too late to stop it.
      task.markEffective();
    } finally {
      cache?.invalidate();
      invalidatePreparedStatements();
    }
  });
  task.throwIfCancelled();
  context.writer.sendText(stringifyServerMessage({ type: 'uploadAck', queryId: task.queryId }));
}

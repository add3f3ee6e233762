/**
 * `progress` messages of a v1 query that asked for them (`"progress": true`): DuckDB's progress of
 * the query running on a connection (`duckdb_query_progress`), polled every `progressIntervalMs`
 * and sent only when it changed and is known. The reporter is stopped before the query's terminal
 * reply (or its result) is written, so no `progress` ever follows it.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ProgressMessage } from '@duckwire/protocol';

/** Connections whose progress tracking is on. */
const tracking = new WeakSet<DuckDBConnection>();

/**
 * DuckDB tracks progress only with its progress bar on. `PRAGMA` works even after the server locked
 * the configuration, and printing the bar (to the server's stdout) is turned off first.
 */
async function trackProgress(connection: DuckDBConnection): Promise<void> {
  if (tracking.has(connection)) return;
  await connection.run('PRAGMA disable_print_progress_bar');
  await connection.run('PRAGMA enable_progress_bar');
  tracking.add(connection);
}

/** A running poll of one query's progress; {@link stop} it before the terminal reply. */
export interface ProgressReporter {
  stop(): void;
}

/** Start reporting the progress of the query about to run on `connection` through `send`. */
export async function reportProgress(
  connection: DuckDBConnection,
  queryId: string,
  intervalMs: number,
  send: (message: ProgressMessage) => void,
): Promise<ProgressReporter> {
  await trackProgress(connection);
  let last = '';
  const timer = setInterval(() => {
    const progress = connection.progress;
    // -1: unknown (nothing running, or not measurable); nothing to process yet: not started.
    if (!(progress.percentage >= 0) || progress.total_rows_to_process === 0n) return;
    const percent = Math.min(100, Math.round(progress.percentage * 10) / 10);
    const message: ProgressMessage = {
      type: 'progress',
      queryId,
      percent,
      rowsProcessed: Number(progress.rows_processed),
      totalRows: Number(progress.total_rows_to_process),
    };
    const key = `${percent}/${message.rowsProcessed}/${message.totalRows}`;
    if (key === last) return;
    last = key;
    send(message);
  }, Math.max(1, intervalMs));
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}

import { type DuckDBResult, ResultReturnType } from '@duckdb/node-api';
import { ErrorCode } from '@duckwire/protocol';
import { WireError } from '../errors.js';

/**
 * A streaming DuckDB result failed after its first chunk. `@duckdb/node-bindings` 1.5.6 does not
 * expose `duckdb_result_error`: such a stream simply ends as if complete (measured: an `error()`
 * at row 150,000 of 300,000 ended the stream after 22,528 rows with no exception). The only trace
 * left is the result itself, which turns from a streaming QUERY_RESULT into an INVALID one.
 */
export class StreamFailedError extends WireError {
  constructor() {
    super(
      ErrorCode.QueryFailed,
      'the query failed while its result was being streamed; DuckDB did not report the reason ' +
        '(a run-time error such as a failed cast, an overflow or error(), or running out of memory)',
    );
    this.name = 'StreamFailedError';
  }
}

/**
 * Call when `fetchChunk()` signalled the end of `result`: throws {@link StreamFailedError} unless
 * the result really ran to completion. An end that is only apparent must never be reported as a
 * complete result.
 */
export function assertStreamCompleted(result: DuckDBResult): void {
  if (result.returnType === ResultReturnType.INVALID) throw new StreamFailedError();
}

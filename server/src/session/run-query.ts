import type { DuckDBConnection, DuckDBResult } from '@duckdb/node-api';
import { ResultReturnType, StatementType } from '@duckdb/node-api';
import {
  type ArrowQuery,
  type ExecQuery,
  JSON_RESULT_TAIL,
  type JsonQuery,
  encodeFrameHead,
  jsonResultHead,
  stringifyServerMessage,
} from '@duckwire/protocol';
import { arrowAbortTail } from '../arrow/abort-tail.js';
import { releaseArrowPiece } from '../arrow/buffer-pool.js';
import { encodeArrowStream } from '../arrow/encode-result.js';
import type { ResultCache } from '../cache/result-cache.js';
import { isRetrySafe, withConflictRetry } from '../database/conflict-retry.js';
import { withConnection } from '../database/connection-lease.js';
import type { ConnectionSource } from '../database/connection-source.js';
import type { Database } from '../database/database.js';
import { runWithParams } from '../database/parameterized-statement.js';
import { streamStatement } from '../database/statement-cache.js';
import { encodeJsonRows } from '../json/encode-rows.js';
import type { Logger } from '../logger.js';
import type { ResolvedOptions } from '../options.js';
import { mayHoldSeveralStatements } from '../sql/statement-text.js';
import { type ProgressReporter, reportProgress } from './progress-reporter.js';
import type { QueryTask } from './query-task.js';
import type { SocketWriter } from './socket-writer.js';

/** What a query needs from the server around it. */
export interface QueryContext {
  readonly database: Database;
  readonly options: ResolvedOptions;
  readonly cache: ResultCache | undefined;
  readonly logger: Logger;
  readonly writer: SocketWriter;
  /** Where the query's connection comes from: the pool, or the v1 session's pinned connection. */
  readonly connections: ConnectionSource;
}

type Query = ArrowQuery | JsonQuery | ExecQuery;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();
const ABORT_TAIL = arrowAbortTail();
/** Ends an aborted `json` message inside its unterminated `data` string with a raw NUL: never valid JSON. */
const JSON_ABORT_TAIL = '\u0000';
const EMPTY = new Uint8Array(0);

const smaller = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/**
 * Run one query on a pooled connection and send its terminal reply's payload (result or `ok`).
 * Throws the error to report (DuckDB's, a limit, or the cancellation); the caller turns it into
 * the `error` reply.
 */
export async function runQuery(context: QueryContext, query: Query, task: QueryTask): Promise<void> {
  context.logger.debug({ queryId: task.queryId, type: query.type, sql: query.sql }, 'query');
  const { connections } = context;
  if (query.type === 'exec') await withConnection(connections, task, (c) => execute(context, c, query, task), { sql: query.sql });
  // A session's results depend on its own state (SET, USE, temporary tables): never shared through the cache.
  else if (query.persist && context.cache && !connections.pinned) await answerFromCache(context, query, task, context.cache);
  else await withConnection(connections, task, (c) => answer(context, c, query, task), { sql: query.sql });
}

/**
 * Start the SQL — streaming, or run to completion for `exec` — re-running it on a transaction
 * conflict when that is safe.
 */
function start(
  context: QueryContext,
  connection: DuckDBConnection,
  query: Query,
  task: QueryTask,
  mode: 'stream' | 'complete' = 'stream',
): Promise<DuckDBResult> {
  const { sql, params } = query;
  // `exec` runs to completion: a stream that is never read would leave the statement unfinished.
  const run = () =>
    params !== undefined
      ? runWithParams(connection, sql, params, mode)
      : mode === 'stream'
        ? streamStatement(connection, sql)
        : connection.run(sql);
  if (!isRetrySafe(sql)) return run();
  return withConflictRetry(run, {
    retries: context.options.conflictRetries,
    shouldStop: () => task.cancelled,
    onRetry: (attempt, error) =>
      context.logger.info({ queryId: task.queryId, attempt, reason: error.message.split('\n')[0] }, 'conflict, re-running'),
  });
}

/** Invalidate the result cache unless the SQL was one read-only SELECT. */
function noteWrites(context: QueryContext, sql: string, statementType: StatementType | undefined): void {
  if (statementType === StatementType.SELECT && !mayHoldSeveralStatements(sql)) return;
  context.cache?.invalidate();
}

/**
 * Report the query's progress while `run` runs, when it asked for it; stopped before anything of
 * the result or the terminal reply is written.
 */
async function withProgress<T>(
  context: QueryContext,
  connection: DuckDBConnection,
  query: Query,
  task: QueryTask,
  run: () => Promise<T>,
): Promise<T> {
  if (!query.progress) return run();
  const { writer, options } = context;
  const reporter: ProgressReporter = await reportProgress(connection, task.queryId, options.progressIntervalMs, (message) =>
    writer.sendText(stringifyServerMessage(message)),
  );
  try {
    return await run();
  } finally {
    reporter.stop();
  }
}

async function execute(context: QueryContext, connection: DuckDBConnection, query: ExecQuery, task: QueryTask) {
  try {
    const result = await withProgress(context, connection, query, task, () =>
      start(context, connection, query, task, 'complete'),
    );
    noteWrites(context, query.sql, result.statementType);
  } catch (error) {
    noteWrites(context, query.sql, undefined);
    throw error;
  }
  task.throwIfCancelled();
  context.writer.sendText(stringifyServerMessage({ type: 'ok', queryId: task.queryId }));
}

/** Start the query and return its result, or undefined when the statement returns no result set. */
async function open(context: QueryContext, connection: DuckDBConnection, query: Query, task: QueryTask) {
  let result: DuckDBResult;
  try {
    result = await withProgress(context, connection, query, task, () => start(context, connection, query, task));
  } catch (error) {
    noteWrites(context, query.sql, undefined);
    throw error;
  }
  noteWrites(context, query.sql, result.statementType);
  task.throwIfCancelled();
  return result.returnType === ResultReturnType.NOTHING ? undefined : result;
}

function limitsOf(context: QueryContext, query: ArrowQuery | JsonQuery) {
  return {
    maxRows: smaller(query.maxRows, context.options.maxResultRows),
    maxBytes: smaller(query.maxBytes, context.options.maxResultBytes),
  };
}

async function answer(context: QueryContext, connection: DuckDBConnection, query: ArrowQuery | JsonQuery, task: QueryTask) {
  const result = await open(context, connection, query, task);
  const { writer } = context;
  if (query.type === 'json') {
    if (!result) {
      writer.sendText(stringifyServerMessage({ type: 'json', queryId: task.queryId, data: '[]' }));
      return;
    }
    // {"type":"json","queryId":…,"data":"<the rows' JSON text, escaped>"} — streamed piece by piece.
    await writer.sendStreamed(
      jsonResultHead(task.queryId),
      jsonStringBody(encodeJsonRows(result, { ...limitsOf(context, query), mode: 'embedded' })),
      { isCancelled: () => task.cancelled, cancelledError: () => task.outcome(undefined), abortTail: JSON_ABORT_TAIL },
    );
    return;
  }
  if (!result) {
    writer.sendText(stringifyServerMessage({ type: 'ok', queryId: task.queryId }));
    return;
  }
  await writer.sendStreamed(
    encodeFrameHead({ type: 'arrow', queryId: task.queryId }),
    encodeArrowStream(result, limitsOf(context, query)),
    {
      isCancelled: () => task.cancelled,
      cancelledError: () => task.outcome(undefined),
      abortTail: ABORT_TAIL,
      onSent: releaseArrowPiece,
    },
  );
}

/** Answer from the result cache; only a miss borrows a connection and runs the SQL. */
async function answerFromCache(context: QueryContext, query: ArrowQuery | JsonQuery, task: QueryTask, cache: ResultCache) {
  const limits = limitsOf(context, query);
  // Limits are part of the key: a result stored under looser limits must not answer a stricter request.
  const key = limits.maxRows === undefined && limits.maxBytes === undefined ? query.sql : `${query.sql}\u0000${limits.maxRows}\u0000${limits.maxBytes}`;
  const compute = () =>
    withConnection(
      context.connections,
      task,
      async (connection) => {
        const result = await open(context, connection, query, task);
        if (!result) return EMPTY;
        if (query.type === 'json') return utf8.encode(await collectText(encodeJsonRows(result, limits), task));
        return collectBytes(encodeArrowStream(result, limits), task);
      },
      { sql: query.sql },
    );
  // The signal lets a cancel end a wait for another request's computation of the same key.
  const { bytes } = await cache.getOrCompute(query.type, key, compute, { signal: task.signal });
  task.throwIfCancelled();
  const { writer } = context;
  if (query.type === 'json') {
    const data = bytes.byteLength === 0 ? '[]' : utf8Decoder.decode(bytes);
    writer.sendText(stringifyServerMessage({ type: 'json', queryId: task.queryId, data }));
  } else if (bytes.byteLength === 0) {
    writer.sendText(stringifyServerMessage({ type: 'ok', queryId: task.queryId }));
  } else {
    writer.sendBinary(encodeFrameHead({ type: 'arrow', queryId: task.queryId }), bytes);
  }
}

/** The pieces of `data`'s string literal body (already escaped by the encoder), then the closing `"}` of the message. */
async function* jsonStringBody(escapedRows: AsyncIterable<string>): AsyncGenerator<string, void, undefined> {
  yield* escapedRows;
  yield JSON_RESULT_TAIL;
}

async function collectText(pieces: AsyncIterable<string>, task: QueryTask): Promise<string> {
  let text = '';
  for await (const piece of pieces) {
    task.throwIfCancelled();
    text += piece;
  }
  // An interrupted DuckDB stream can end like a complete one: only the flag tells.
  task.throwIfCancelled();
  return text;
}

async function collectBytes(pieces: AsyncIterable<Uint8Array>, task: QueryTask): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const piece of pieces) {
    task.throwIfCancelled();
    parts.push(piece);
  }
  task.throwIfCancelled();
  return Buffer.concat(parts);
}

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
import type { Lessee } from '../database/connection-pool.js';
import type { Database } from '../database/database.js';
import { type StatementLog, runStatements, statementLog } from '../database/statement-runner.js';
import { encodeJsonRows } from '../json/encode-rows.js';
import type { JsonTemporal } from '../json/temporal.js';
import type { Logger } from '../logger.js';
import type { ResolvedOptions } from '../options.js';
import { type ProgressReporter, reportProgress } from './progress-reporter.js';
import { sendStreamedArrow } from '../stream/send-stream.js';
import type { CursorRegistry } from '../stream/cursor-registry.js';
import type { UploadSpace } from '../upload/upload-space.js';
import type { QueryTask } from './query-task.js';
import type { SocketWriter } from './socket-writer.js';

/** What a query needs from the server around it. */
export interface QueryContext {
  readonly database: Database;
  readonly options: ResolvedOptions;
  readonly cache: ResultCache | undefined;
  readonly logger: Logger;
  readonly writer: SocketWriter;
  /** Whether the connection negotiated duckwire.v1 (else it is a baseline connection). */
  readonly v1: boolean;
  /** Whose queries these are: pooled connections carry one lessee's session state only. */
  readonly lessee: Lessee;
  /** Where the query's connection comes from: the pool, or the v1 session's pinned connection. */
  readonly connections: ConnectionSource;
  /** This connection's streamed queries and cursors (duckwire.v1). */
  readonly cursors: CursorRegistry;
  /** Where file uploads are written before DuckDB reads them. */
  readonly uploads: UploadSpace;
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
  if (query.type === 'exec') await lease(context, query.sql, task, (c, log) => execute(context, c, log, query, task));
  else if (query.persist && context.cache && !context.connections.pinned && !context.database.pool.hasSessionState(context.lessee)) {
    // A client with session state (a v1 session, USE, SET, temporary tables) gets answers of its own, never shared ones.
    await answerFromCache(context, query, task, context.cache);
  } else await lease(context, query.sql, task, (c, log) => answer(context, c, log, query, task));
}

/** Run `use` on a connection leased for this client's `sql`, with the log its statements fill in. */
function lease<T>(
  context: QueryContext,
  sql: string,
  task: QueryTask,
  use: (connection: DuckDBConnection, log: StatementLog) => Promise<T>,
): Promise<T> {
  const log = statementLog();
  return withConnection(context.connections, context.lessee, task, (connection) => use(connection, log), { sql, log });
}

/**
 * Start the SQL — streaming, or run to completion for `exec` — re-running it on a transaction
 * conflict when that is safe.
 */
function start(
  context: QueryContext,
  connection: DuckDBConnection,
  log: StatementLog,
  query: Query,
  task: QueryTask,
  mode: 'stream' | 'complete' = 'stream',
): Promise<DuckDBResult> {
  const { sql, params } = query;
  // `exec` runs to completion: a stream that is never read would leave the statement unfinished.
  const run = () => runStatements(connection, sql, mode, context.database.policy, log, params);
  if (!isRetrySafe(sql)) return run();
  return withConflictRetry(run, {
    retries: context.options.conflictRetries,
    shouldStop: () => task.cancelled,
    onRetry: (attempt, error) =>
      context.logger.info({ queryId: task.queryId, attempt, reason: error.message.split('\n')[0] }, 'conflict, re-running'),
  });
}

/** Invalidate the result cache once anything but SELECTs ran (before the writer hears back). */
function noteWrites(context: QueryContext, log: StatementLog): void {
  if (log.changed) context.cache?.invalidate();
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

async function execute(
  context: QueryContext,
  connection: DuckDBConnection,
  log: StatementLog,
  query: ExecQuery,
  task: QueryTask,
) {
  try {
    await withProgress(context, connection, query, task, () => start(context, connection, log, query, task, 'complete'));
  } finally {
    noteWrites(context, log);
  }
  // DuckDB ran the SQL to completion: that is the truth to tell, whatever cancel came too late.
  task.markEffective();
  context.writer.sendText(stringifyServerMessage({ type: 'ok', queryId: task.queryId }));
}

/** Start the query and return its result, or undefined when the statement returns no result set. */
async function open(
  context: QueryContext,
  connection: DuckDBConnection,
  log: StatementLog,
  query: Query,
  task: QueryTask,
) {
  let result: DuckDBResult;
  try {
    result = await withProgress(context, connection, query, task, () => start(context, connection, log, query, task));
  } finally {
    noteWrites(context, log);
  }
  if (log.changed || result.statementType !== StatementType.SELECT) {
    // Anything but a lone SELECT has run to completion, and committed, once DuckDB returns its
    // result: the query is answered with its result now, whatever cancel came too late.
    task.markEffective();
  }
  task.throwIfCancelled();
  return result.returnType === ResultReturnType.NOTHING ? undefined : result;
}

function limitsOf(context: QueryContext, query: ArrowQuery | JsonQuery) {
  return {
    maxRows: smaller(query.maxRows, context.options.maxResultRows),
    maxBytes: smaller(query.maxBytes, context.options.maxResultBytes),
  };
}

/**
 * How a `json` result writes temporal values: epoch milliseconds on baseline connections (what
 * the reference server's clients expect), the client's choice on v1 connections, ISO by default.
 */
function temporalOf(context: QueryContext, query: JsonQuery): JsonTemporal {
  return context.v1 ? (query.temporal ?? 'iso') : 'epochMs';
}

async function answer(
  context: QueryContext,
  connection: DuckDBConnection,
  log: StatementLog,
  query: ArrowQuery | JsonQuery,
  task: QueryTask,
) {
  const result = await open(context, connection, log, query, task);
  const { writer } = context;
  if (query.type === 'json') {
    if (!result) {
      writer.sendText(stringifyServerMessage({ type: 'json', queryId: task.queryId, data: '[]' }));
      return;
    }
    // {"type":"json","queryId":…,"data":"<the rows' JSON text, escaped>"} — streamed piece by piece.
    await writer.sendStreamed(
      jsonResultHead(task.queryId),
      jsonStringBody(
        encodeJsonRows(result, { ...limitsOf(context, query), mode: 'embedded', temporal: temporalOf(context, query) }),
      ),
      { isCancelled: () => task.cancelled, cancelledError: () => task.outcome(undefined), abortTail: JSON_ABORT_TAIL },
    );
    return;
  }
  if (!result) {
    writer.sendText(stringifyServerMessage({ type: 'ok', queryId: task.queryId }));
    return;
  }
  const arrowOptions = { ...limitsOf(context, query), timeZone: context.database.timeZone, compression: query.compression };
  if (query.stream) {
    await sendStreamedArrow(context, result, query, task, arrowOptions);
    return;
  }
  await writer.sendStreamed(
    encodeFrameHead({ type: 'arrow', queryId: task.queryId }),
    encodeArrowStream(result, arrowOptions),
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
  const limited = limits.maxRows === undefined && limits.maxBytes === undefined ? query.sql : `${query.sql}\u0000${limits.maxRows}\u0000${limits.maxBytes}`;
  // So is the temporal encoding of a json result: epoch-ms text must not answer an ISO request.
  const temporal = query.type === 'json' ? temporalOf(context, query) : undefined;
  const key = temporal === undefined || temporal === 'iso' ? limited : `${limited}\u0000${temporal}`;
  const compute = () =>
    lease(context, query.sql, task, async (connection, log) => {
      const result = await open(context, connection, log, query, task);
      if (!result) return EMPTY;
      if (query.type === 'json') {
        return utf8.encode(await collectText(encodeJsonRows(result, { ...limits, temporal }), task));
      }
      return collectBytes(encodeArrowStream(result, { ...limits, timeZone: context.database.timeZone }), task);
    });
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

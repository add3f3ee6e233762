/**
 * Runs a client's SQL on one connection, statement by statement, the way DuckDB's own
 * `stream(sql)` does (split, prepare each, run all but the last, stream or run the last) — but
 * with each statement's type in hand before it runs: the operator's {@link SqlPolicy} is checked
 * on it, and the {@link StatementLog} learns whether anything but a query ran (which stales the
 * caches and leaves session state on the connection). A single SELECT seen before on this
 * connection reuses its prepared statement (`statement-cache.ts`). A v1 query's `params` are bound
 * to its last statement.
 */
import { type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBResult, StatementType } from '@duckdb/node-api';
import type { Params } from '@duckwire/protocol';
import { bindParams, refuseEarlierPlaceholders } from '../params/bind-params.js';
import { type SqlPolicy, checkStatement, checkText } from './sql-policy.js';
import {
  cachedStatement,
  invalidatePreparedStatements,
  keepStatement,
  statementGeneration,
} from './statement-cache.js';

/** What the statements of one query did to their connection. */
export interface StatementLog {
  /**
   * A statement other than a SELECT ran or was started (DDL, DML, SET, USE, BEGIN, PRAGMA, …):
   * caches of results and prepared statements may be stale.
   */
  changed: boolean;
  /**
   * The connection may now hold session state another client must not see: a setting (`SET`,
   * `USE`, `PRAGMA`, `CALL`), a temporary object, a prepared statement, the random seed. (An open transaction is rolled back instead: see {@link transaction}.)
   */
  sessionState: boolean;
  /** A `BEGIN`/`COMMIT`/`ROLLBACK` ran or was started. */
  transaction: boolean;
}

/** A fresh {@link StatementLog}. */
export function statementLog(): StatementLog {
  return { changed: false, sessionState: false, transaction: false };
}

/** How a query's last statement is run: streamed (results read chunk by chunk) or run to completion. */
export type RunMode = 'stream' | 'complete';

/** A SELECT that leaves session state: the random seed. (A sequence's `currval` is the sequence's, not the session's.) */
const SESSION_FUNCTIONS = /\bsetseed\s*\(/i;
/** Statement types that (may) leave session state whatever they say. */
const SESSION_STATEMENTS = new Set([StatementType.SET, StatementType.PREPARE, StatementType.PRAGMA, StatementType.CALL]);
/** `CREATE TEMP …`, `CREATE TEMPORARY …`, `… temp.main.x`: errs on the side of "yes". */
const TEMPORARY = /\btemp(orary)?\b/i;
/** SQL that says CREATE; a CREATE that DuckDB made up itself (PIVOT's temporary enum type) does not. */
const SAYS_CREATE = /\bcreate\b/i;

/**
 * Run `sql` on `connection` and return the last statement's result. Throws DuckDB's error, or a
 * `RefusedStatementError` for a statement the policy refuses (statements before it have run).
 */
export async function runStatements(
  connection: DuckDBConnection,
  sql: string,
  mode: RunMode,
  policy: SqlPolicy,
  log: StatementLog,
  params?: Params,
): Promise<DuckDBResult> {
  if (SESSION_FUNCTIONS.test(sql)) log.sessionState = true;
  const cached = cachedStatement(connection, sql);
  if (cached) return execute(cached, mode, params);
  checkText(policy, sql);
  const generation = statementGeneration();
  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await connection.prepare(sql);
  } catch {
    // Several statements (or SQL that is wrong: the general path reports DuckDB's error).
    return runEach(connection, { sql, policy, log, params }, mode);
  }
  if (prepared.statementType === StatementType.SELECT) {
    keepStatement(connection, sql, prepared, generation);
    return execute(prepared, mode, params);
  }
  try {
    return await runOne(prepared, { sql, policy, log, params }, mode);
  } finally {
    prepared.destroySync();
  }
}

/** The query a statement belongs to: its whole text, the policy to check, the log to fill, the (v1) parameters of its last statement. */
interface Query {
  readonly sql: string;
  readonly policy: SqlPolicy;
  readonly log: StatementLog;
  readonly params?: Params;
}

/**
 * Run a prepared statement, with `params` bound to its placeholders when given (values never enter
 * the SQL text). A kept statement must not carry one query's values to the next: the bindings are
 * cleared once execution has its own copy.
 */
async function execute(prepared: DuckDBPreparedStatement, mode: RunMode, params?: Params): Promise<DuckDBResult> {
  if (params === undefined) return mode === 'stream' ? prepared.stream() : prepared.run();
  bindParams(prepared, params);
  try {
    return mode === 'stream' ? await prepared.stream() : await prepared.run();
  } finally {
    prepared.clearBindings();
  }
}

/** Check and run one statement that is not a cached SELECT. */
async function runOne(prepared: DuckDBPreparedStatement, query: Query, mode: RunMode): Promise<DuckDBResult> {
  const { sql, policy, log, params } = query;
  const type = prepared.statementType;
  checkStatement(policy, type, sql);
  if (type === StatementType.SELECT) return execute(prepared, mode, params);
  log.changed = true;
  if (type === StatementType.TRANSACTION) log.transaction = true;
  if (SESSION_STATEMENTS.has(type) || (type === StatementType.CREATE && (TEMPORARY.test(sql) || !SAYS_CREATE.test(sql)))) {
    log.sessionState = true;
  }
  try {
    return await execute(prepared, mode, params);
  } finally {
    // After the statement (and its commit): a statement prepared meanwhile may have bound the old state.
    invalidatePreparedStatements();
  }
}

async function runEach(connection: DuckDBConnection, query: Query, mode: RunMode): Promise<DuckDBResult> {
  const statements = await connection.extractStatements(query.sql);
  const last = statements.count - 1;
  // Only the last statement takes the parameters; placeholders in an earlier one are refused.
  const earlier: Query = { ...query, params: undefined };
  for (let index = 0; index < last; index++) {
    const prepared = await statements.prepare(index);
    try {
      if (query.params !== undefined) refuseEarlierPlaceholders(prepared, index + 1);
      await runOne(prepared, earlier, 'complete');
    } finally {
      prepared.destroySync();
    }
  }
  const prepared = await statements.prepare(last);
  try {
    return await runOne(prepared, query, mode);
  } finally {
    prepared.destroySync();
  }
}

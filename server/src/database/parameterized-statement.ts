/**
 * Runs a v1 query that carries `params`: its (last) statement is prepared, bound and executed —
 * values never enter the SQL text. A single SELECT keeps its prepared statement in the
 * connection's statement cache, so a repeated parameterized query skips DuckDB's parse, plan and
 * bind and costs one trip through the libuv pool. In multi-statement SQL only the last statement
 * may have placeholders; the earlier ones run as plain statements first.
 */
import {
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  type DuckDBResult,
  StatementType,
} from '@duckdb/node-api';
import type { Params } from '@duckwire/protocol';
import { bindParams, refuseEarlierPlaceholders } from '../params/bind-params.js';
import { cachedStatement, keepStatement } from './statement-cache.js';

/** How the statement is run: streamed (read chunk by chunk) or to completion. */
export type RunMode = 'stream' | 'complete';

const SEVERAL_STATEMENTS = /Cannot prepare multiple statements/i;

async function execute(prepared: DuckDBPreparedStatement, params: Params, mode: RunMode): Promise<DuckDBResult> {
  bindParams(prepared, params);
  try {
    return mode === 'stream' ? await prepared.stream() : await prepared.run();
  } finally {
    // Execution holds its own copy of the values; a kept statement must not carry them to the next query.
    prepared.clearBindings();
  }
}

/** Run `sql` with `params` bound to its (last) statement's placeholders. Throws DuckDB's error or `InvalidParamsError`. */
export async function runWithParams(
  connection: DuckDBConnection,
  sql: string,
  params: Params,
  mode: RunMode,
): Promise<DuckDBResult> {
  const cached = cachedStatement(connection, sql);
  if (cached) return execute(cached, params, mode);
  let prepared: DuckDBPreparedStatement;
  try {
    prepared = await connection.prepare(sql);
  } catch (error) {
    if (!SEVERAL_STATEMENTS.test((error as Error).message)) throw error;
    return runLastWithParams(connection, sql, params, mode);
  }
  if (prepared.statementType === StatementType.SELECT) {
    keepStatement(connection, sql, prepared);
    return execute(prepared, params, mode);
  }
  try {
    return await execute(prepared, params, mode);
  } finally {
    prepared.destroySync();
  }
}

async function runLastWithParams(
  connection: DuckDBConnection,
  sql: string,
  params: Params,
  mode: RunMode,
): Promise<DuckDBResult> {
  const statements = await connection.extractStatements(sql);
  const last = statements.count - 1;
  for (let index = 0; index < last; index++) {
    const prepared = await statements.prepare(index);
    try {
      refuseEarlierPlaceholders(prepared, index + 1);
      await prepared.run();
    } finally {
      prepared.destroySync();
    }
  }
  const prepared = await statements.prepare(last);
  try {
    return await execute(prepared, params, mode);
  } finally {
    prepared.destroySync();
  }
}

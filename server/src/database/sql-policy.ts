/**
 * What clients' SQL may do, as the operator chose it (`--read-only`, `--no-sql-extensions`), for
 * the statements DuckDB's own settings cannot refuse: a read-only database still lets `COPY … TO`
 * and `EXPORT DATABASE` write files, and no DuckDB setting refuses an explicit `INSTALL` or `LOAD`.
 * Each statement is checked by its type (DuckDB's parser decides, not our text matching) before it
 * runs; see `statement-runner.ts`. Everything else is DuckDB's (`database-setup.ts`).
 */
import { StatementType } from '@duckdb/node-api';

/** The operator's choices that the statement check enforces. */
export interface SqlPolicy {
  /** `--read-only`: no statement that writes files or installs extensions. */
  readonly readOnly: boolean;
  /** Whether clients may `INSTALL`/`LOAD` extensions (`--no-sql-extensions` turns it off). */
  readonly sqlExtensions: boolean;
}

/** A statement the operator's policy refuses; reported to the client as `query_failed` with this message. */
export class RefusedStatementError extends Error {
  constructor(message: string) {
    super(`Permission Error: ${message}`);
    this.name = 'RefusedStatementError';
  }
}

/** Writes files outside the database. */
const FILE_WRITES = new Set([StatementType.COPY, StatementType.EXPORT, StatementType.COPY_DATABASE]);
/** `INSTALL`, `FORCE INSTALL`, `LOAD` (one statement type) and `UPDATE EXTENSIONS`. */
const EXTENSION_STATEMENTS = new Set([StatementType.LOAD, StatementType.UPDATE_EXTENSIONS]);
/** `PREPARE` hides the type of the statement a later `EXECUTE` runs. */
const INDIRECT = new Set([StatementType.PREPARE, StatementType.EXECUTE]);

/**
 * Settings that stay open to clients after the configuration is locked: each is also a
 * per-connection (session) setting, and a connection's session state never reaches another
 * client (the pool resets it). `SET GLOBAL` of them is refused by {@link checkStatement}.
 * `schema` and `search_path` (`USE`) are session-only and always open.
 */
export const CLIENT_SETTINGS: readonly string[] = ['TimeZone', 'Calendar', 'integer_division'];

/** `SET GLOBAL x`/`RESET GLOBAL x` (any statement text with the word `global`: errs on the side of refusing). */
const GLOBAL_WORD = /\bglobal\b/i;
/** Profiling prints query plans on the server's stdout; `PRAGMA enable_profiling` bypasses the configuration lock. */
const PROFILING_PRAGMA = /\b(enable_profil\w*|enable_progress_bar)\b/i;

/** DuckDB creates `EXPORT DATABASE`'s directory while preparing the statement, before its type can be checked. */
const EXPORT_DATABASE = /\bexport\s+database\b/i;

/**
 * Throw {@link RefusedStatementError} if `policy` refuses `sql` before any of it is prepared (for
 * statements whose preparation already writes). Errs on the side of refusing.
 */
export function checkText(policy: SqlPolicy, sql: string): void {
  if (policy.readOnly && EXPORT_DATABASE.test(sql)) {
    throw new RefusedStatementError('the server is read-only (--read-only): COPY … TO and EXPORT DATABASE are refused');
  }
}

/** Whether the policy refuses anything by statement type (then `PREPARE`/`EXECUTE` are refused too). */
export function restrictsStatements(policy: SqlPolicy): boolean {
  return policy.readOnly || !policy.sqlExtensions;
}

/**
 * Throw {@link RefusedStatementError} if `policy` refuses a statement of `type` that is part of
 * `sql` (the text a client sent, possibly several statements).
 */
export function checkStatement(policy: SqlPolicy, type: StatementType, sql: string): void {
  if (type === StatementType.SELECT) return;
  if (type === StatementType.SET && GLOBAL_WORD.test(sql)) {
    throw new RefusedStatementError('clients cannot change server-wide settings (SET GLOBAL)');
  }
  if (type === StatementType.PRAGMA && PROFILING_PRAGMA.test(sql)) {
    throw new RefusedStatementError('profiling and the progress bar are turned off on this server');
  }
  if (policy.readOnly && FILE_WRITES.has(type)) {
    throw new RefusedStatementError('the server is read-only (--read-only): COPY … TO and EXPORT DATABASE are refused');
  }
  if (EXTENSION_STATEMENTS.has(type)) {
    if (policy.readOnly) throw new RefusedStatementError('the server is read-only (--read-only): INSTALL and LOAD are refused');
    if (!policy.sqlExtensions) {
      throw new RefusedStatementError('INSTALL and LOAD are turned off on this server (--no-sql-extensions)');
    }
  }
  if (INDIRECT.has(type) && restrictsStatements(policy)) {
    throw new RefusedStatementError('PREPARE and EXECUTE are refused on this server (--read-only or --no-sql-extensions)');
  }
}

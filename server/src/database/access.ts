/**
 * What SQL may reach, set up with DuckDB's own mechanisms when the database opens: the instance's
 * `access_mode`, `enable_external_access` with `allowed_directories`, the extension settings, and
 * finally `lock_configuration`, so that no client can change a server-wide setting afterwards
 * (only {@link CLIENT_SETTINGS}, per session). What DuckDB cannot refuse by itself is refused per
 * statement by `sql-policy.ts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { CLIENT_SETTINGS, type SqlPolicy } from './sql-policy.js';

/** The operator's choices of what SQL may reach. */
export interface DatabaseAccess extends SqlPolicy {
  /**
   * Directories (absolute) below which SQL may read and write files; nothing else on disk or the
   * network is reachable. `undefined`: no restriction (DuckDB's default).
   */
  readonly allowedDirectories: readonly string[] | undefined;
}

/** No restriction: DuckDB's defaults, configuration still locked. */
export const OPEN_ACCESS: DatabaseAccess = { readOnly: false, sqlExtensions: true, allowedDirectories: undefined };

/** An opened instance, and what to clean up after closing it. */
export interface OpenedInstance {
  readonly instance: DuckDBInstance;
  /** Remove what opening created (the empty database of an in-memory read-only server). */
  cleanUp(): Promise<void>;
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * Create the DuckDB instance for `path` with the access settings that must be given at start.
 * DuckDB cannot open `:memory:` read-only: a read-only in-memory server gets an empty database
 * file in a temporary directory instead, opened read-only, so nothing is writable but the
 * session's own temporary objects. `threads` sets DuckDB's `threads` (default: DuckDB's own).
 */
export async function createInstance(path: string, access: DatabaseAccess, threads?: number): Promise<OpenedInstance> {
  const config: Record<string, string> = {
    // Implicit installs download and write files; implicit loads follow the extension choice.
    autoinstall_known_extensions: String(access.sqlExtensions && !access.readOnly),
    autoload_known_extensions: String(access.sqlExtensions),
    allow_community_extensions: String(access.sqlExtensions && !access.readOnly),
  };
  if (threads !== undefined) config.threads = String(threads);
  if (!access.readOnly) return { instance: await DuckDBInstance.create(path, config), cleanUp: async () => {} };
  config.access_mode = 'READ_ONLY';
  config.allow_persistent_secrets = 'false';
  if (path !== ':memory:') return { instance: await DuckDBInstance.create(path, config), cleanUp: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'duckwire-read-only-'));
  const empty = join(dir, 'empty.duckdb');
  (await DuckDBInstance.create(empty)).closeSync();
  return {
    instance: await DuckDBInstance.create(empty, config),
    cleanUp: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Apply the access settings that take SQL, then lock the configuration. Run after the server's
 * own setup (extensions load before external access is turned off: DuckDB then refuses loads).
 */
export async function lockDown(connection: DuckDBConnection, access: DatabaseAccess): Promise<void> {
  if (access.allowedDirectories !== undefined) {
    await connection.run(`SET allowed_directories = [${access.allowedDirectories.map(quote).join(', ')}]`);
    await connection.run('SET enable_external_access = false');
  }
  await connection.run(`SET allowed_configs = [${CLIENT_SETTINGS.map(quote).join(', ')}]`);
  await connection.run('SET lock_configuration = true');
}

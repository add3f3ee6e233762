import { type DuckDBInstance, version as duckdbVersion } from '@duckdb/node-api';
import type { Logger } from '../logger.js';
import { type DatabaseAccess, OPEN_ACCESS, createInstance, lockDown } from './access.js';
import { ConnectionPool } from './connection-pool.js';
import { type ExtensionSpec, loadExtensions } from './extensions.js';
import type { SqlPolicy } from './sql-policy.js';

/** Settings of {@link Database.open}. */
export interface DatabaseOptions {
  readonly path: string;
  readonly maxConnections: number;
  /** DuckDB's `threads` setting; default DuckDB's own (the number of CPU cores). */
  readonly threads?: number;
  readonly extensions: readonly ExtensionSpec[];
  readonly logger: Logger;
  /** What SQL may reach; default {@link OPEN_ACCESS}. */
  readonly access?: DatabaseAccess;
}

/** The server's own use of pooled connections (setup, checkpoint), as a pool lessee. */
const SERVER = Object.freeze({ lessee: 'server' });

/** One DuckDB instance and the pool of connections that queries borrow. */
export class Database {
  readonly #instance: DuckDBInstance;
  readonly #path: string;
  readonly #logger: Logger;
  readonly #cleanUp: () => Promise<void>;
  /** Connections lent to queries. */
  readonly pool: ConnectionPool;
  /** Extensions that loaded at start. */
  readonly extensions: readonly string[];
  /** What clients' statements may do (checked per statement before it runs). */
  readonly policy: SqlPolicy;
  /**
   * DuckDB's `TimeZone` setting at start (the machine's zone unless configured): the zone DuckDB's
   * own Arrow export writes into TIMESTAMPTZ types, so Arrow results carry it too.
   */
  readonly timeZone: string;

  private constructor(
    instance: DuckDBInstance,
    options: DatabaseOptions,
    pool: ConnectionPool,
    extensions: string[],
    cleanUp: () => Promise<void>,
    timeZone: string,
  ) {
    this.#instance = instance;
    this.#path = options.path;
    this.#logger = options.logger;
    this.#cleanUp = cleanUp;
    this.pool = pool;
    this.extensions = extensions;
    const access = options.access ?? OPEN_ACCESS;
    this.policy = { readOnly: access.readOnly, sqlExtensions: access.sqlExtensions };
    this.timeZone = timeZone;
  }

  /**
   * Open the database file (or `:memory:`) with the access settings, load the requested
   * extensions, then lock DuckDB's configuration. Throws with DuckDB's message when the file
   * cannot be opened.
   */
  static async open(options: DatabaseOptions): Promise<Database> {
    const access = options.access ?? OPEN_ACCESS;
    const { instance, cleanUp } = await createInstance(options.path, access, options.threads);
    const pool = new ConnectionPool(instance, options.maxConnections);
    let loaded: string[];
    let timeZone: string;
    try {
      const connection = await pool.acquire(SERVER);
      try {
        loaded = await loadExtensions(connection, options.extensions, options.logger);
        const rows = (await connection.runAndReadAll("select current_setting('TimeZone')")).getRows();
        timeZone = String(rows[0]?.[0] ?? 'UTC');
        await lockDown(connection, access);
      } finally {
        pool.release(connection, { dirty: true });
      }
    } catch (error) {
      pool.close();
      instance.closeSync();
      await cleanUp();
      throw error;
    }
    return new Database(instance, options, pool, loaded, cleanUp, timeZone);
  }

  /** The DuckDB library version, e.g. `v1.5.6`. */
  static get version(): string {
    return duckdbVersion();
  }

  /** Write everything to the database file (`FORCE CHECKPOINT`), close every connection and the instance. */
  async close(): Promise<void> {
    if (this.#path !== ':memory:' && !this.policy.readOnly) {
      const connection = await this.pool.acquire(SERVER).catch(() => undefined);
      if (connection) {
        try {
          await connection.run('FORCE CHECKPOINT');
        } catch (error) {
          this.#logger.warn({ reason: (error as Error).message }, 'checkpoint at shutdown failed');
        } finally {
          this.pool.release(connection, { dirty: true });
        }
      }
    }
    this.pool.close();
    this.#instance.closeSync();
    await this.#cleanUp();
  }
}

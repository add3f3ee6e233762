import { DuckDBInstance, version as duckdbVersion } from '@duckdb/node-api';
import type { Logger } from '../logger.js';
import { ConnectionPool } from './connection-pool.js';
import { type ExtensionSpec, loadExtensions } from './extensions.js';

/** Settings of {@link Database.open}. */
export interface DatabaseOptions {
  readonly path: string;
  readonly maxConnections: number;
  readonly extensions: readonly ExtensionSpec[];
  readonly logger: Logger;
}

/** One DuckDB instance and the pool of connections that queries borrow. */
export class Database {
  readonly #instance: DuckDBInstance;
  readonly #path: string;
  readonly #logger: Logger;
  /** Connections lent to queries. */
  readonly pool: ConnectionPool;
  /** Extensions that loaded at start. */
  readonly extensions: readonly string[];
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
    timeZone: string,
  ) {
    this.#instance = instance;
    this.#path = options.path;
    this.#logger = options.logger;
    this.pool = pool;
    this.extensions = extensions;
    this.timeZone = timeZone;
  }

  /**
   * Open the database file (or `:memory:`) and load the requested extensions.
   * Throws with DuckDB's message when the file cannot be opened.
   */
  static async open(options: DatabaseOptions): Promise<Database> {
    const instance = await DuckDBInstance.create(options.path);
    const pool = new ConnectionPool(instance, options.maxConnections);
    const connection = await pool.acquire();
    let loaded: string[];
    let timeZone: string;
    try {
      loaded = await loadExtensions(connection, options.extensions, options.logger);
      const rows = (await connection.runAndReadAll("select current_setting('TimeZone')")).getRows();
      timeZone = String(rows[0]?.[0] ?? 'UTC');
    } finally {
      pool.release(connection);
    }
    return new Database(instance, options, pool, loaded, timeZone);
  }

  /** The DuckDB library version, e.g. `v1.5.6`. */
  static get version(): string {
    return duckdbVersion();
  }

  /** Write everything to the database file (`FORCE CHECKPOINT`), close every connection and the instance. */
  async close(): Promise<void> {
    if (this.#path !== ':memory:') {
      const connection = await this.pool.acquire().catch(() => undefined);
      if (connection) {
        try {
          await connection.run('FORCE CHECKPOINT');
        } catch (error) {
          this.#logger.warn({ reason: (error as Error).message }, 'checkpoint at shutdown failed');
        } finally {
          this.pool.release(connection);
        }
      }
    }
    this.pool.close();
    this.#instance.closeSync();
  }
}

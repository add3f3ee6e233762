/**
 * `createWebSocketDuckDbConnector`: a drop-in for SQLRooms' WebSocket connector (`@sqlrooms/duckdb`), built
 * on {@link DuckwireClient}. It satisfies `DuckDbConnector` of `@sqlrooms/duckdb-core` structurally, so
 * `@sqlrooms/*` is never imported here.
 */
import type { Table } from 'apache-arrow';
import { tableFromRows } from './arrow.js';
import { DuckwireClient } from './client.js';
import type { ClientOptions, ConnectionStatus } from './options.js';
import { type QueryHandle, createQueryHandle } from './query-handle.js';
import { type LoadFileOptions, createSchemaSql, loadFileSql, quoteIdentifier, targetTable } from './sql.js';
import type { FileFormat } from './upload.js';
import { quoteQualifiedName } from '@duckwire/protocol';

/** The upload format a DuckDB reader name stands for (`read_csv` → csv). */
function formatOfMethod(method: string): FileFormat {
  if (/^read_csv(_auto)?$/.test(method)) return 'csv';
  if (method === 'read_parquet') return 'parquet';
  if (/^read_(nd)?json(_auto|_objects)?$/.test(method)) return 'json';
  throw new TypeError(`loadFile with a File or Blob: method ${JSON.stringify(method)} cannot read uploaded bytes`);
}

/** Options of one connector query, as in SQLRooms. */
export interface ConnectorQueryOptions {
  /** Aborting it cancels the query (the handle rejects with an `AbortError`). */
  signal?: AbortSignal;
}

/** SQLRooms' `StandardLoadOptions`: where and how `loadObjects` creates its table. */
export interface LoadObjectsOptions {
  /** Schema of the table (created when missing). */
  schema?: string;
  /** Column expressions (SQL) to keep, default `*`. */
  select?: string[];
  /** Filter (SQL) applied to the rows. */
  where?: string;
  /** Not supported over a pooled server connection: rejected. */
  view?: boolean;
  /** Not supported over a pooled server connection: rejected. */
  temp?: boolean;
  /** Ignored: the table is always created or replaced. */
  replace?: boolean;
  [option: string]: unknown;
}

/** Options of {@link createWebSocketDuckDbConnector}: SQLRooms' names, plus every {@link ClientOptions} field. */
export interface WebSocketDuckDbConnectorOptions
  extends Omit<ClientOptions, 'onNotification' | 'subscribeChannels' | 'onStatusChange'> {
  /** WebSocket endpoint of the server. Default `ws://localhost:4000`. */
  wsUrl?: string;
  /** SQL run on every (re)connect before other queries. */
  initializationQuery?: string;
  /** Called for every notification with its payload and, unlike SQLRooms' connector, its channel. */
  onNotification?: (payload: unknown, channel: string) => void;
  /** Called when the connection status changes. */
  onConnectionStatusChange?: (status: WebSocketDuckDbConnectionStatus) => void;
  /** Channels subscribed to on every (re)connect. */
  subscribeChannels?: string[];
  /** Token of a server started with `--auth-token`. */
  authToken?: string;
}

/** The connection status, as SQLRooms names it. */
export type WebSocketDuckDbConnectionStatus = ConnectionStatus;

/** The connector: SQLRooms' `DuckDbConnector` plus the extras of its WebSocket connector and the plain client. */
export interface WebSocketDuckDbConnector {
  readonly type: 'ws';
  readonly connectionStatus: WebSocketDuckDbConnectionStatus;
  /** The plain client underneath (subscribe, notify, stream, upload, …). Replaced after `destroy()`. */
  readonly client: DuckwireClient;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  execute(sql: string, options?: ConnectorQueryOptions): QueryHandle<void>;
  query(sql: string, options?: ConnectorQueryOptions): QueryHandle<Table>;
  queryJson<T = Record<string, unknown>>(sql: string, options?: ConnectorQueryOptions): QueryHandle<Iterable<T>>;
  loadFile(file: string | Blob, tableName: string, opts?: LoadFileOptions): Promise<void>;
  loadArrow(table: Table | Uint8Array, tableName: string, opts?: { schema?: string }): Promise<void>;
  loadObjects(data: Record<string, unknown>[], tableName: string, opts?: LoadObjectsOptions): Promise<void>;
  subscribeConnectionStatus(listener: (status: WebSocketDuckDbConnectionStatus) => void): () => void;
  reconnect(): Promise<void>;
}

/**
 * Create a SQLRooms `DuckDbConnector` that talks to a duckwire server (or the Python SQLRooms server) over
 * one WebSocket, with automatic reconnects.
 *
 * @example
 * ```ts
 * const connector = createWebSocketDuckDbConnector({ wsUrl: 'ws://localhost:4000' });
 * await connector.initialize();
 * const table = await connector.query('select 42 as answer');
 * ```
 */
export function createWebSocketDuckDbConnector(
  options: WebSocketDuckDbConnectorOptions = {},
): WebSocketDuckDbConnector {
  const {
    wsUrl = 'ws://localhost:4000',
    onNotification,
    onConnectionStatusChange,
    subscribeChannels,
    ...rest
  } = options;
  const statusListeners = new Set<(status: WebSocketDuckDbConnectionStatus) => void>();
  const newClient = () =>
    new DuckwireClient(wsUrl, {
      ...rest,
      ...(subscribeChannels ? { subscribeChannels } : {}),
      ...(onNotification ? { onNotification: (channel, payload) => onNotification(payload, channel) } : {}),
      onStatusChange: (status) => {
        onConnectionStatusChange?.(status);
        for (const listener of statusListeners) {
          try {
            listener(status);
          } catch {
            // A listener's fault is not the connection's.
          }
        }
      },
    });
  let client = newClient();

  /**
   * Upload into `tableName` (in `schema`): straight into the table, or — with `select` or `where` — into a
   * staging table whose selected rows and columns then become the table.
   */
  const loadInto = async (
    tableName: string,
    opts: {
      schema?: string | undefined;
      select?: readonly string[] | undefined;
      where?: string | undefined;
      view?: boolean | undefined;
      temp?: boolean | undefined;
    },
    what: string,
    upload: (quotedName: string) => Promise<void>,
  ) => {
    const { schema, select, where, view, temp } = opts;
    if (view || temp) throw new TypeError(`${what}: view and temp tables are not supported over duckwire`);
    const target = targetTable(tableName, schema);
    const createSchema = createSchemaSql(target);
    const hasSelect = select !== undefined && !(select.length === 1 && select[0] === '*');
    if (!hasSelect && !where) {
      if (createSchema) await client.exec(createSchema);
      await upload(quoteQualifiedName(target));
      return;
    }
    const staging = quoteIdentifier(
      `__duckwire_load_${Date.now().toString(36)}_${Math.random().toString(36).slice(2)}`,
    );
    await upload(staging);
    try {
      await client.exec(
        `${createSchema ? `${createSchema}; ` : ''}CREATE OR REPLACE TABLE ${quoteQualifiedName(target)} AS ` +
          `SELECT ${hasSelect ? select.join(', ') : '*'} FROM ${staging}${where ? ` WHERE ${where}` : ''}`,
      );
    } finally {
      await client.exec(`DROP TABLE IF EXISTS ${staging}`);
    }
  };

  const loadArrow = (table: Table | Uint8Array, tableName: string, opts?: { schema?: string }) =>
    loadInto(tableName, { ...(opts?.schema === undefined ? {} : { schema: opts.schema }) }, 'loadArrow', (name) =>
      client.upload(name, table),
    );

  return {
    get type() {
      return 'ws' as const;
    },
    get connectionStatus() {
      return client.status;
    },
    get client() {
      return client;
    },
    initialize: () => client.open(),
    async destroy() {
      client.close();
      client = newClient();
    },
    execute: (sql, opts) => createQueryHandle((signal) => client.exec(sql, { signal }), opts?.signal),
    query: (sql, opts) => createQueryHandle((signal) => client.query(sql, { signal }), opts?.signal),
    queryJson: <T = Record<string, unknown>>(sql: string, opts?: ConnectorQueryOptions) =>
      createQueryHandle<Iterable<T>>((signal) => client.json<T>(sql, { signal }), opts?.signal),
    async loadFile(file, tableName, opts = {}) {
      if (typeof file === 'string') {
        await client.exec(loadFileSql(file, tableName, opts));
        return;
      }
      // A browser File or Blob: its bytes are uploaded (duckwire.v1 fileUpload), never taken as a server path.
      const { method, schema, select, where, view, temp, replace: _replace, ...readerOptions } = opts;
      const extra = Object.keys(readerOptions).filter((key) => readerOptions[key] !== undefined);
      if (extra.length > 0) {
        throw new TypeError(`loadFile with a File or Blob: reader options are not supported (${extra.join(', ')})`);
      }
      const format = method === undefined || method === 'auto' ? undefined : formatOfMethod(method);
      await loadInto(tableName, { schema, select, where, view, temp }, 'loadFile', (name) =>
        client.uploadFile(name, file, format === undefined ? {} : { format }),
      );
    },
    loadArrow,
    async loadObjects(data, tableName, opts = {}) {
      const { schema, select, where, view, temp, replace: _replace, ...unknown } = opts;
      const extra = Object.keys(unknown);
      if (extra.length > 0) throw new TypeError(`loadObjects: unknown option ${extra.join(', ')}`);
      const table = tableFromRows(data);
      await loadInto(tableName, { schema, select, where, view, temp }, 'loadObjects', (name) =>
        client.upload(name, table),
      );
    },
    subscribeConnectionStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    reconnect: () => client.reconnect(),
  };
}

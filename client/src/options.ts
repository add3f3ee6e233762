/** The settings of a {@link DuckwireClient}, their defaults, and the per-request options. */
import type { ReconnectOptions } from './backoff.js';
import type { CompressionCodec } from './codecs.js';
import type { QueryParams } from './params.js';
import type { WebSocketConstructor, WebSocketLoader } from './websocket.js';

/** The state of the client's connection, with SQLRooms' names. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'disconnected';

/** Settings of {@link connect}. Every field is optional. */
export interface ClientOptions {
  /** Token of a server started with `--auth-token`; sent as the first message of every connection. */
  readonly authToken?: string;
  /**
   * Offer the duckwire.v1 protocol (parameters, streaming, cursors, progress, sessions, …). Default `true`;
   * servers that do not speak it are used with the baseline protocol. `false`: always a baseline connection.
   */
  readonly v1?: boolean;
  /**
   * Pin one server connection to this client (duckwire.v1 capability `session`): `SET`, temp tables and
   * transactions carry from one request to the next. Re-opened after every reconnect, with fresh state.
   */
  readonly session?: boolean;
  /** WebSocket implementation. Default: the global `WebSocket`; in Node without one, the `ws` package. */
  readonly WebSocket?: WebSocketConstructor;
  /** How long one connection attempt (open + auth) may take, in ms. Default 10 000. 0: no limit. */
  readonly connectTimeoutMs?: number;
  /** Default per-request timeout in ms (the client then sends `cancel` and rejects). Default 0: none. */
  readonly queryTimeoutMs?: number;
  /**
   * Reconnect after the connection drops (exponential backoff with jitter), then re-authenticate, re-subscribe
   * and re-run `initializationQuery`. Default `true`; `false` reconnects only when the next request needs it.
   */
  readonly reconnect?: boolean | ReconnectOptions;
  /** How long a request waits for a connection that is being (re)established, in ms. Default 30 000. */
  readonly waitForConnectionMs?: number;
  /** SQL run on every new connection before any other request is sent (e.g. `SET`, `ATTACH`, `CREATE VIEW`). */
  readonly initializationQuery?: string;
  /** Channels to subscribe to on every (re)connect. More can be added with `subscribe()`. */
  readonly subscribeChannels?: readonly string[];
  /** Called for every `notify` the server delivers: the channel and the payload. */
  readonly onNotification?: (channel: string, payload: unknown) => void;
  /** Called when the connection status changes. */
  readonly onStatusChange?: (status: ConnectionStatus) => void;
  /**
   * Called with problems not tied to a request: a malformed server message without `queryId`, an `error`
   * nobody waits for, a failed background reconnect. Default: ignored.
   */
  readonly onError?: (error: Error) => void;
}

/** Options of one request. */
export interface RequestOptions {
  /** Aborting sends `cancel` and rejects the request with an `AbortError`. */
  readonly signal?: AbortSignal;
  /**
   * Timeout of this request in ms, overriding `queryTimeoutMs`; 0: none. A v1 server with capability
   * `timeout` interrupts the query itself and answers `timeout`; otherwise the client sends `cancel`.
   */
  readonly timeoutMs?: number;
}

/** How far a running query has got (duckwire.v1 capability `progress`). */
export interface QueryProgress {
  /** 0 to 100. */
  readonly percent: number;
  readonly rowsProcessed?: number;
  readonly totalRows?: number;
}

/** Options of any SQL request (`exec`, `json`, `query`, `stream`, `cursor`). */
export interface ExecOptions extends RequestOptions {
  /**
   * Values bound to the statement's placeholders (`?`, `$1`, `$name`): an array (positional) or an object
   * (named). Needs duckwire.v1 capability `params`. See {@link QueryParams}.
   */
  readonly params?: QueryParams;
  /** Called with the query's progress while it runs (duckwire.v1 capability `progress`). */
  readonly onProgress?: (progress: QueryProgress) => void;
}

/** Options of an `arrow` or `json` query. */
export interface QueryOptions extends ExecOptions {
  /** Read the result from, and store it in, the server's result cache. */
  readonly persist?: boolean;
  /** Fail (`result_too_large`) instead of sending more rows than this. */
  readonly maxRows?: number;
  /** Fail (`result_too_large`) instead of sending more bytes than this. */
  readonly maxBytes?: number;
}

/** Options of an Arrow query (`query`, `stream`, `cursor`). */
export interface ArrowQueryOptions extends QueryOptions {
  /**
   * Ask for Arrow IPC body compression (duckwire.v1 capability `compression`): the server must offer the
   * codec and the app's apache-arrow (≥ 21.1) must have it registered (`registerCompressionCodec`).
   */
  readonly compression?: CompressionCodec;
}

/** Options of a `json` query. */
export interface JsonOptions extends QueryOptions {
  /** How DATE, TIMESTAMP and INTERVAL values are written (duckwire.v1 capability `temporal`). Default: the server's. */
  readonly temporal?: 'iso' | 'epochMs';
}

/** Options of {@link DuckwireClient.stream}. */
export interface StreamOptions extends ArrowQueryOptions {
  /**
   * Pace the stream (duckwire.v1 capability `cursor`): the server sends this many rows, then waits until the
   * loop has taken them before computing more. Default: the server sends as fast as the socket takes it.
   */
  readonly fetchRows?: number;
}

/** Options of {@link DuckwireClient.upload} and {@link DuckwireClient.uploadFile}. */
export interface UploadOptions extends RequestOptions {
  /**
   * Uploads larger than this many bytes are sent in parts of this size (duckwire.v1 capability
   * `chunkedUpload`), so that neither side holds one giant message. Default 4 MiB.
   */
  readonly chunkBytes?: number;
}

/** Options of {@link DuckwireClient.uploadFile}. */
export interface UploadFileOptions extends UploadOptions {
  /** The file's format. Default: from the file name's extension or MIME type. */
  readonly format?: 'csv' | 'parquet' | 'json' | 'arrow';
}

/** Internal: how the Node entry supplies `ws` when there is no global WebSocket. */
export interface InternalOptions extends ClientOptions {
  readonly loadWebSocket?: WebSocketLoader;
}

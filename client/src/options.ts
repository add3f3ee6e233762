/** The settings of a {@link DuckwireClient}, their defaults, and the per-request options. */
import type { ReconnectOptions } from './backoff.js';
import type { WebSocketConstructor, WebSocketLoader } from './websocket.js';

/** The state of the client's connection, with SQLRooms' names. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'disconnected';

/** Settings of {@link connect}. Every field is optional. */
export interface ClientOptions {
  /** Token of a server started with `--auth-token`; sent as the first message of every connection. */
  readonly authToken?: string;
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
  /** Timeout of this request in ms, overriding `queryTimeoutMs`; 0: none. */
  readonly timeoutMs?: number;
}

/** Options of an `arrow` or `json` query. */
export interface QueryOptions extends RequestOptions {
  /** Read the result from, and store it in, the server's result cache. */
  readonly persist?: boolean;
  /** Fail (`result_too_large`) instead of sending more rows than this. */
  readonly maxRows?: number;
  /** Fail (`result_too_large`) instead of sending more bytes than this. */
  readonly maxBytes?: number;
}

/** Internal: how the Node entry supplies `ws` when there is no global WebSocket. */
export interface InternalOptions extends ClientOptions {
  readonly loadWebSocket?: WebSocketLoader;
}

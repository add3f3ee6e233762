/**
 * @packageDocumentation
 * `@duckwire/client`: talk to a duckwire server (or the Python SQLRooms DuckDB server) from browsers and Node.
 * {@link connect} gives a promise-based client; {@link createWebSocketDuckDbConnector} is the drop-in
 * connector for SQLRooms. This is the browser (default) entry: it imports nothing Node-specific.
 */
export { connect, DuckwireClient } from './client.js';
export { createWebSocketDuckDbConnector } from './connector.js';
export type {
  ConnectorQueryOptions,
  LoadObjectsOptions,
  WebSocketDuckDbConnectionStatus,
  WebSocketDuckDbConnector,
  WebSocketDuckDbConnectorOptions,
} from './connector.js';
export type { ClientOptions, ConnectionStatus, QueryOptions, RequestOptions } from './options.js';
export type { ReconnectOptions } from './backoff.js';
export type { QueryHandle } from './query-handle.js';
export type { LoadFileOptions } from './sql.js';
export type { WebSocketConstructor, WebSocketLike } from './websocket.js';
export {
  AuthenticationError,
  ConnectionError,
  DuckwireError,
  NotSupportedError,
  ProtocolViolationError,
  QueryTimeoutError,
  ServerError,
} from './errors.js';
export { jsonSourceTextAvailable } from './json-rows.js';

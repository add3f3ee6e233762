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
export type {
  ArrowQueryOptions,
  ClientOptions,
  ConnectionStatus,
  ExecOptions,
  JsonOptions,
  QueryOptions,
  QueryProgress,
  RequestOptions,
  StreamOptions,
  UploadFileOptions,
  UploadOptions,
} from './options.js';
export type { QueryParam, QueryParams, QueryParamScalar } from './params.js';
export { Cursor } from './cursor.js';
export {
  type CompressionCodec,
  type Decompress,
  compressionSupported,
  hasCompressionCodec,
  registerCompressionCodec,
} from './codecs.js';
export type { FileFormat } from './upload.js';
export { Capability, SUBPROTOCOL_V1 } from '@duckwire/protocol';
export type { ReconnectOptions } from './backoff.js';
export type { QueryHandle } from './query-handle.js';
export type { LoadFileOptions } from './sql.js';
export type { WebSocketConstructor, WebSocketLike } from './websocket.js';
export {
  AuthenticationError,
  ConnectionError,
  DuckwireError,
  InvalidRequestError,
  NotSupportedError,
  ProtocolViolationError,
  QueryTimeoutError,
  ServerError,
} from './errors.js';
export { jsonSourceTextAvailable } from './json-rows.js';

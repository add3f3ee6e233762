/**
 * Machine-readable codes carried in the `code` field of an `error` reply.
 *
 * The `error` field stays the human-readable message that baseline clients show; `code` is an
 * addition that new clients can switch on. A server may send codes not listed here: treat an
 * unknown code like `query_failed`.
 */
export const ErrorCode = {
  /** Not authenticated, or a wrong token. The connection is closed after this error. */
  Unauthorized: 'unauthorized',
  /** A text frame that is not valid JSON. */
  InvalidJson: 'invalid_json',
  /** A JSON message that does not match the schema of its type (missing or mistyped field). */
  InvalidMessage: 'invalid_message',
  /** A message whose `type` the server does not know. */
  UnknownType: 'unknown_type',
  /** A binary frame that is not `[u32 length][header JSON][payload]`. */
  InvalidFrame: 'invalid_frame',
  /** A `queryId` that is already in flight on this connection. */
  DuplicateQueryId: 'duplicate_query_id',
  /** DuckDB reported an error for the SQL. */
  QueryFailed: 'query_failed',
  /** The query was cancelled (by `cancel`, by the connection closing or by shutdown). */
  Cancelled: 'cancelled',
  /** The result is larger than the row or byte limit in force. */
  ResultTooLarge: 'result_too_large',
  /** The result has a column type the server cannot encode faithfully in the requested format. */
  UnsupportedType: 'unsupported_type',
  /** An `uploadArrow` table name that is not 1 to 3 SQL identifiers. */
  InvalidTableName: 'invalid_table_name',
  /** An `uploadArrow` whose payload is not a readable Arrow IPC stream, or could not be loaded. */
  UploadFailed: 'upload_failed',
  /** The server is shutting down and accepts no new work. */
  ShuttingDown: 'shutting_down',
  /** A duckwire.v1 field or message type used on a connection that did not negotiate duckwire.v1. */
  NotNegotiated: 'not_negotiated',
  /** `params` that do not fit the statement: wrong count, unknown name, a value of the wrong type. The message names the parameter. */
  InvalidParams: 'invalid_params',
  /** The query ran longer than its `timeoutMs` or the server's query timeout, and was interrupted. */
  Timeout: 'timeout',
  /** Too many queries in flight on this connection or server; retry later (`retryAfterMs` on v1 connections). */
  Overloaded: 'overloaded',
  /** A paused cursor was not fetched from within the server's idle timeout and was closed. */
  CursorTimeout: 'cursor_timeout',
  /** A streamed query with `fetchRows` would exceed the open cursors allowed per connection. */
  TooManyCursors: 'too_many_cursors',
  /** A message that is valid but does not fit the current state (e.g. `fetch` for a query that is not a paused cursor). */
  InvalidState: 'invalid_state',
  /** A message larger than the server accepts; the error names the limit. */
  MessageTooLarge: 'message_too_large',
  /** An unexpected server fault. The message says what happened; the server keeps running. */
  Internal: 'internal_error',
} as const;

/** One of the known {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

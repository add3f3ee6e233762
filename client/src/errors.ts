/**
 * The errors the client rejects with. Each has a machine-readable `code` so callers can switch on it
 * instead of matching message text; `ServerError` also carries what the server said (its `code`, and
 * DuckDB's error type when a v1 server reports it).
 */

/** Base class of every error this package creates (aborts excepted: those are `AbortError`s). */
export class DuckwireError extends Error {
  /** Machine-readable reason, e.g. `query_failed`, `connection_lost`, `timeout`. */
  readonly code: string;
  /** The query or upload this error ended, when it was tied to one. */
  readonly queryId: string | undefined;

  constructor(code: string, message: string, options?: { queryId?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DuckwireError';
    this.code = code;
    this.queryId = options?.queryId;
  }
}

/** The server answered a request with an `error` reply (a failed statement, a refused message, …). */
export class ServerError extends DuckwireError {
  /**
   * DuckDB's error type (`Catalog`, `Parser`, `Binder`, `Conversion`, `Constraint`, `Interrupt`, …) when the
   * server reported one (v1 servers), otherwise undefined.
   */
  readonly errorType: string | undefined;
  /**
   * With code `overloaded` (v1 servers): how long to wait before sending the request again, in ms. The request
   * was not run.
   */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: string,
    message: string,
    options?: { queryId?: string; errorType?: string; retryAfterMs?: number },
  ) {
    super(code, message, options);
    this.name = 'ServerError';
    this.errorType = options?.errorType;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The server refused the token (`unauthorized`). The client does not retry: a new token is needed. */
export class AuthenticationError extends ServerError {
  constructor(message: string) {
    super('unauthorized', message);
    this.name = 'AuthenticationError';
  }
}

/**
 * The connection could not be opened, or it was lost while the request was in flight, or the client was
 * closed. `code` is `connect_failed`, `connect_timeout`, `connection_lost` or `client_closed`.
 */
export class ConnectionError extends DuckwireError {
  constructor(
    code: 'connect_failed' | 'connect_timeout' | 'connection_lost' | 'client_closed',
    message: string,
    options?: { queryId?: string; cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'ConnectionError';
  }
}

/** A request ran longer than its `timeoutMs`; the client sent `cancel` and stopped waiting. `code` is `timeout`. */
export class QueryTimeoutError extends DuckwireError {
  constructor(queryId: string, timeoutMs: number) {
    super('timeout', `query ${queryId} timed out after ${timeoutMs} ms (cancel sent)`, { queryId });
    this.name = 'QueryTimeoutError';
  }
}

/** The feature needs something this server does not offer (e.g. a duckwire.v1 capability). `code` is `not_supported`. */
export class NotSupportedError extends DuckwireError {
  constructor(message: string) {
    super('not_supported', `${message}: not supported by this server`);
    this.name = 'NotSupportedError';
  }
}

/**
 * The request breaks the protocol's schema (a channel name over 256 characters, a malformed typed
 * parameter, …) and was not sent. `code` is `invalid_message`, as a server would answer it.
 */
export class InvalidRequestError extends DuckwireError {
  constructor(message: string, options?: { queryId?: string; cause?: unknown }) {
    super('invalid_message', `invalid request, not sent: ${message}`, options);
    this.name = 'InvalidRequestError';
  }
}

/**
 * A reply broke the protocol: it failed schema validation, had a type that does not answer the request, or
 * carried an Arrow stream that could not be decoded and no `error` followed. `code` is `protocol_error`.
 */
export class ProtocolViolationError extends DuckwireError {
  constructor(message: string, options?: { queryId?: string; cause?: unknown }) {
    super('protocol_error', message, options);
    this.name = 'ProtocolViolationError';
  }
}

/**
 * The error a request rejects with when its `AbortSignal` fires: a `DOMException` named `AbortError`, as
 * `fetch` and SQLRooms' connectors use, so `error.name === 'AbortError'` checks keep working.
 */
export function abortError(reason = 'Query was cancelled'): Error {
  return new DOMException(reason, 'AbortError');
}

/**
 * How a connection becomes a duckwire.v1 connection: the WebSocket subprotocol a client offers,
 * the one a server selects, the capabilities `hello` may announce, and which request fields and
 * message types exist only on a negotiated connection. One place, so that server, client and
 * conformance suite agree on where the baseline ends.
 */
import type { ClientBinaryHeader, ClientMessage } from './messages/client.js';

/** The WebSocket subprotocol a client offers to ask for duckwire v1. */
export const SUBPROTOCOL_V1 = 'duckwire.v1';

/** Subprotocols this package knows, newest first. A server selects the first of these that the client offered. */
export const SUBPROTOCOLS: readonly string[] = [SUBPROTOCOL_V1];

/**
 * The subprotocol a server should select from those a client offered, or `false` for none (a
 * baseline connection). Unknown offers are ignored; never selects one the server does not speak.
 */
export function selectSubprotocol(offered: Iterable<string>, supported: readonly string[] = SUBPROTOCOLS): string | false {
  const set = new Set(offered);
  return supported.find((protocol) => set.has(protocol)) ?? false;
}

/** Capability names a v1 server may list in `hello.capabilities`. Clients ignore names they do not know. */
export const Capability = {
  /** `params` on arrow/json/exec. */
  Params: 'params',
  /** `stream: true` on arrow: schema, batch… and end frames. */
  Stream: 'stream',
  /** `fetchRows` with `stream`, and the `fetch` message. */
  Cursor: 'cursor',
  /** `progress: true` and the `progress` message. */
  Progress: 'progress',
  /** `compression` on arrow (codecs in `hello.compression`). */
  Compression: 'compression',
  /** `beginSession` / `endSession`. */
  Session: 'session',
  /** `timeoutMs` on arrow/json/exec. */
  Timeout: 'timeout',
  /** `ping` → `pong`. */
  Ping: 'ping',
  /** `chunked: true` uploads continued by `uploadChunk` frames. */
  ChunkedUpload: 'chunkedUpload',
  /** The `uploadFile` binary frame. */
  FileUpload: 'fileUpload',
  /** `temporal` on json queries. */
  Temporal: 'temporal',
} as const;

/** One of the known {@link Capability} names. */
export type Capability = (typeof Capability)[keyof typeof Capability];

/** Client message types that exist only on a v1 connection (`ping` is allowed on both). */
const v1OnlyTypes: ReadonlySet<string> = new Set(['fetch', 'beginSession', 'endSession', 'uploadChunk', 'uploadFile']);

/** Request fields that exist only on a v1 connection, per message type. */
const v1OnlyFields: Readonly<Record<string, readonly string[]>> = {
  arrow: ['params', 'timeoutMs', 'progress', 'stream', 'fetchRows', 'compression'],
  json: ['params', 'timeoutMs', 'progress', 'temporal'],
  exec: ['params', 'timeoutMs', 'progress'],
  uploadArrow: ['chunked'],
};

/**
 * The v1-only feature a validated client message or binary header uses — its type, or its first
 * v1-only field — or undefined when it is pure baseline. A server answers such a message on a
 * baseline connection with `not_negotiated`.
 */
export function v1FeatureOf(message: ClientMessage | ClientBinaryHeader): string | undefined {
  if (v1OnlyTypes.has(message.type)) return message.type;
  const record = message as Record<string, unknown>;
  return v1OnlyFields[message.type]?.find((field) => record[field] !== undefined);
}

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

/** A v1 feature a message uses: the field or message type, and the capability that provides it. */
export interface V1Feature {
  /** The field (e.g. `params`) or message type (e.g. `fetch`) used. */
  readonly name: string;
  /** The capability a server must announce in `hello` for it. */
  readonly capability: Capability;
}

/** Client message types and binary headers that exist only on a v1 connection (`ping` is allowed on both). */
const v1OnlyTypes: Readonly<Record<string, Capability>> = {
  fetch: Capability.Cursor,
  beginSession: Capability.Session,
  endSession: Capability.Session,
  uploadChunk: Capability.ChunkedUpload,
  uploadFile: Capability.FileUpload,
};

const queryFields: Readonly<Record<string, Capability>> = {
  params: Capability.Params,
  timeoutMs: Capability.Timeout,
  progress: Capability.Progress,
};

/** Request fields that exist only on a v1 connection, per message type, with their capability. */
const v1OnlyFields: Readonly<Record<string, Readonly<Record<string, Capability>>>> = {
  arrow: {
    ...queryFields,
    stream: Capability.Stream,
    fetchRows: Capability.Cursor,
    compression: Capability.Compression,
  },
  json: { ...queryFields, temporal: Capability.Temporal },
  exec: queryFields,
  uploadArrow: { chunked: Capability.ChunkedUpload },
  uploadFile: { chunked: Capability.ChunkedUpload },
};

/**
 * The v1 features a validated client message or binary header uses — its type, and each v1-only
 * field it carries — empty when it is pure baseline. A server answers a message that uses a feature
 * whose capability it did not announce (every v1 feature, on a baseline connection) with
 * `not_negotiated`, and does not run it.
 */
export function v1FeaturesOf(message: ClientMessage | ClientBinaryHeader): V1Feature[] {
  const features: V1Feature[] = [];
  const typeCapability = v1OnlyTypes[message.type];
  if (typeCapability) features.push({ name: message.type, capability: typeCapability });
  const record = message as Record<string, unknown>;
  for (const [name, capability] of Object.entries(v1OnlyFields[message.type] ?? {})) {
    if (record[name] !== undefined) features.push({ name, capability });
  }
  return features;
}

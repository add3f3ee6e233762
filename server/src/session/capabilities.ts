/**
 * What this server announces to a duckwire.v1 client in `hello`: the capabilities it implements
 * and the limits in force. A capability is listed only once the server implements it — a client
 * relies on the list, and the session refuses any v1 feature whose capability is not here.
 */
import { Capability, type HelloLimits, type HelloMessage, SUBPROTOCOL_V1, type ServerInfo } from '@duckwire/protocol';
import { COMPRESSION_CODECS } from '../arrow/body-compression.js';
import type { ResolvedOptions } from '../options.js';

/** The v1 capabilities this server implements. */
export const SERVER_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  Capability.Ping,
  Capability.Temporal,
  Capability.Timeout,
  Capability.Params,
  Capability.Progress,
  Capability.Session,
  Capability.Stream,
  Capability.Cursor,
  Capability.Compression,
  Capability.ChunkedUpload,
  Capability.FileUpload,
]);

/** The limits of `hello`, from the server's settings (0 = none). */
export function helloLimits(options: ResolvedOptions): HelloLimits {
  return {
    maxTextMessageBytes: options.maxTextMessageBytes,
    maxBinaryMessageBytes: options.maxMessageBytes,
    maxJsonDepth: options.maxJsonDepth,
    maxInFlightPerConnection: options.maxInFlightPerConnection,
    maxInFlightPerServer: options.maxInFlight,
    queryTimeoutMs: options.queryTimeoutMs,
    pingIntervalMs: options.pingIntervalMs,
    maxRows: options.maxResultRows ?? 0,
    maxBytes: options.maxResultBytes,
    progressIntervalMs: options.progressIntervalMs,
    maxCursorsPerConnection: options.maxCursorsPerConnection,
    cursorIdleTimeoutMs: options.cursorIdleTimeoutMs,
    maxUploadBytes: options.maxUploadBytes,
  };
}

/** The `hello` a v1 connection receives first. Versions only when no auth is required (else `authAck` carries them). */
export function buildHello(options: ResolvedOptions, server: ServerInfo): HelloMessage {
  const authRequired = options.authToken !== undefined;
  return {
    type: 'hello',
    protocol: SUBPROTOCOL_V1,
    capabilities: [...SERVER_CAPABILITIES],
    ...(SERVER_CAPABILITIES.has(Capability.Compression) ? { compression: [...COMPRESSION_CODECS] } : {}),
    auth: authRequired ? 'required' : 'none',
    limits: helloLimits(options),
    ...(authRequired ? {} : { server }),
  };
}

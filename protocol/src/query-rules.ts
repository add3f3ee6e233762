/**
 * The rules a client needs to follow a query to its end, as code: which reply ends a query, and how
 * a result that the server aborted while streaming it is recognised. The client SDK, the
 * conformance suite and test clients all read replies through these, so the rules live once.
 */
import { ErrorCode } from './error-codes.js';
import type { ServerBinaryHeader, ServerMessage } from './messages/server.js';
import { type TypedFrame, parseServerFrame, parseServerMessage } from './parse.js';
import type { ProtocolError } from './parse-result.js';

/**
 * The end-of-stream marker that closes every complete Arrow IPC stream: a continuation marker
 * (`0xFFFFFFFF`) followed by a zero metadata length.
 */
export const ARROW_END_OF_STREAM: Readonly<Uint8Array> = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

/**
 * Whether the payload of a binary Arrow result was aborted by the server: it does not end with
 * {@link ARROW_END_OF_STREAM}. A server that fails after it started streaming a result ends the
 * message with bytes that no Arrow reader accepts, then sends an `error` for that `queryId`; such a
 * payload MUST NOT be used, not even in part. (A payload that ends well but still fails to decode is
 * failed too: a reader's error is the final word.)
 */
export function isAbortedArrowPayload(payload: Uint8Array): boolean {
  const end = ARROW_END_OF_STREAM.byteLength;
  if (payload.byteLength < end) return true;
  const tail = payload.subarray(payload.byteLength - end);
  for (let i = 0; i < end; i++) if (tail[i] !== ARROW_END_OF_STREAM[i]) return true;
  return false;
}

/**
 * The `queryId` of the query that a server text message ends, or undefined when it ends none.
 *
 * A query or upload ends with exactly one terminal reply: `ok`, `json`, `uploadAck`, `end`
 * (duckwire.v1 streamed result), or `error` with its `queryId` (a binary result: see
 * {@link terminalQueryIdOfFrame}). Not terminal: an `error` with code `duplicate_query_id`, which
 * names a query that is still running and will get its own terminal reply; `cancelAck`, which may
 * come before or after the cancelled query's end; `progress` and `paused`, which come before it;
 * and the replies that concern no query (`hello`, `authAck`, `subscribed`, `unsubscribed`,
 * `notify`, `notifyAck`, `pong`).
 */
export function terminalQueryIdOf(message: ServerMessage): string | undefined {
  switch (message.type) {
    case 'ok':
    case 'json':
    case 'uploadAck':
    case 'end':
      return message.queryId;
    case 'error':
      return message.code === ErrorCode.DuplicateQueryId ? undefined : message.queryId;
    case 'cancelAck':
    case 'authAck':
    case 'subscribed':
    case 'unsubscribed':
    case 'notify':
    case 'notifyAck':
    case 'hello':
    case 'progress':
    case 'paused':
    case 'pong':
      return undefined;
    default: {
      // A message type added to ServerMessage must be classified here.
      const unclassified: never = message;
      return unclassified;
    }
  }
}

/**
 * The `queryId` of the query that a binary server frame ends, or undefined when it ends none: an
 * Arrow result ends its query unless its payload was aborted ({@link isAbortedArrowPayload}); then the
 * `error` that follows ends it.
 */
export function terminalQueryIdOfFrame(frame: TypedFrame<ServerBinaryHeader>): string | undefined {
  const header: ServerBinaryHeader = frame.header;
  switch (header.type) {
    case 'arrow':
      return isAbortedArrowPayload(frame.payload) ? undefined : header.queryId;
    case 'schema':
    case 'batch':
      // duckwire.v1 streamed result: its text `end` (or `error`) is the terminal reply.
      return undefined;
    default: {
      // A header type added to ServerBinaryHeader must be classified here.
      const unclassified: never = header;
      return unclassified;
    }
  }
}

/** A server text message as a client must take it. */
export type ServerText =
  /** A valid message. */
  | { readonly kind: 'message'; readonly message: ServerMessage }
  /**
   * Not JSON: a streamed `json` result that the server aborted. It carries no reply; the `error`
   * that ends its query follows (if the connection stays open).
   */
  | { readonly kind: 'aborted' }
  /** JSON that breaks the schema: the server is at fault. */
  | { readonly kind: 'invalid'; readonly error: ProtocolError };

/** Read a server text message: a valid message, an aborted `json` result, or a schema violation. Never throws. */
export function readServerText(text: string): ServerText {
  const parsed = parseServerMessage(text);
  if (parsed.ok) return { kind: 'message', message: parsed.value };
  if (parsed.error.code === ErrorCode.InvalidJson) return { kind: 'aborted' };
  return { kind: 'invalid', error: parsed.error };
}

/** A server binary message as a client must take it. */
export type ServerFrame =
  /** A valid frame whose payload is complete. */
  | { readonly kind: 'result'; readonly frame: TypedFrame<ServerBinaryHeader> }
  /** A valid header, but the payload was aborted ({@link isAbortedArrowPayload}): wait for the `error`. */
  | { readonly kind: 'aborted'; readonly header: ServerBinaryHeader }
  /** Ill-framed, or a header that breaks its schema: the server is at fault. */
  | { readonly kind: 'invalid'; readonly error: ProtocolError };

/** Read a server binary message: a complete result, an aborted one, or a violation. Never throws. */
export function readServerFrame(bytes: Uint8Array): ServerFrame {
  const parsed = parseServerFrame(bytes);
  if (!parsed.ok) return { kind: 'invalid', error: parsed.error };
  const { header, payload } = parsed.value;
  if (header.type === 'arrow' && isAbortedArrowPayload(payload)) return { kind: 'aborted', header };
  return { kind: 'result', frame: parsed.value };
}

/**
 * The sending side: the only way to turn a message or a binary header into wire bytes. Each encoder
 * is typed by its direction's union (a message that is not a member does not compile) and checks
 * the schema limits types cannot express (a `queryId` over 1024 characters, an empty channel…) before
 * it writes anything, so what it returns always validates on the receiving side. Fields are written
 * in schema order, so the bytes do not depend on how the caller built the object.
 */
import { binaryHeaders, clientMessages, serverMessages } from './dispatchers.js';
import { frameHeadOf, joinFrame } from './frame.js';
import type { ClientBinaryHeader, ClientMessage } from './messages/client.js';
import type { ErrorReply, ServerBinaryHeader, ServerMessage } from './messages/server.js';
import type { ProtocolError } from './parse-result.js';

declare const encoded: unique symbol;

/** JSON text of a {@link ServerMessage} that passed its schema; only {@link stringifyServerMessage} makes one. */
export type ServerMessageText = string & { readonly [encoded]: 'ServerMessage' };

/** JSON text of a {@link ClientMessage} that passed its schema; only {@link stringifyClientMessage} makes one. */
export type ClientMessageText = string & { readonly [encoded]: 'ClientMessage' };

/** A frame's length prefix and header JSON, the header checked; only {@link encodeFrameHead} makes one. */
export type FrameHead = Uint8Array & { readonly [encoded]: 'FrameHead' };

/**
 * The text of a `json` result up to the opening quote of its `data` string; only
 * {@link jsonResultHead} makes one. Follow it with the escaped body of `data`, then {@link JSON_RESULT_TAIL}.
 */
export type JsonResultHead = string & { readonly [encoded]: 'JsonResultHead' };

/** Any binary frame header, of either direction. */
export type BinaryHeader = ClientBinaryHeader | ServerBinaryHeader;

/**
 * Serialize a server → client message. Throws `InvalidOutgoingMessageError` (a bug of the caller)
 * when the message breaks its schema; nothing invalid is ever returned.
 */
export const stringifyServerMessage = (message: ServerMessage): ServerMessageText =>
  serverMessages.serialize(message) as ServerMessageText;

/** Serialize a client → server message; throws `InvalidOutgoingMessageError` when it breaks its schema. */
export const stringifyClientMessage = (message: ClientMessage): ClientMessageText =>
  clientMessages.serialize(message) as ClientMessageText;

/**
 * Encode the part of a binary frame that precedes the payload: the length prefix and the header
 * JSON. Send it, then the payload bytes, as one WebSocket message (possibly in fragments). Throws
 * `InvalidOutgoingMessageError` when the header breaks its schema.
 */
export const encodeFrameHead = (header: BinaryHeader): FrameHead =>
  frameHeadOf(binaryHeaders.serialize(header)) as FrameHead;

/** Encode a whole binary frame: prefix, header JSON and payload (one buffer or several parts), in one buffer. */
export const encodeFrame = (header: BinaryHeader, payload: Uint8Array | readonly Uint8Array[]): Uint8Array =>
  joinFrame(encodeFrameHead(header), payload);

/** The `error` reply that reports a {@link ProtocolError} (a refused message, or a failed query). */
export const errorReply = (error: ProtocolError): ErrorReply => ({
  type: 'error',
  ...(error.queryId !== undefined ? { queryId: error.queryId } : {}),
  error: error.message,
  code: error.code,
});

/** What ends a `json` result whose text was streamed after a {@link JsonResultHead}: the closing quote of `data` and brace. */
export const JSON_RESULT_TAIL = '"}';

/**
 * The text of a `json` result for `queryId` up to the opening quote of `data`, for a server that
 * streams the rows: `{"type":"json","queryId":"q1","data":"`. Throws when `queryId` is invalid.
 */
export function jsonResultHead(queryId: string): JsonResultHead {
  const empty = stringifyServerMessage({ type: 'json', queryId, data: '' });
  return empty.slice(0, -JSON_RESULT_TAIL.length) as JsonResultHead;
}

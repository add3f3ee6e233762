/**
 * The receiving side: parse and validate text messages and binary frames of either direction.
 * Never throws; every failure is a {@link ProtocolError} to answer with.
 */
import { clientHeaders, clientMessages, serverHeaders, serverMessages } from './dispatchers.js';
import { type Frame, decodeFrame } from './frame.js';
import type { ClientBinaryHeader, ClientMessage } from './messages/client.js';
import type { ServerBinaryHeader, ServerMessage } from './messages/server.js';
import { type ParseResult, failure, success } from './parse-result.js';
import type { TypeDispatcher } from './validator.js';
import { ErrorCode } from './error-codes.js';
import { MAX_JSON_DEPTH, exceedsJsonDepth } from './json-depth.js';

/** A decoded binary frame whose header matched a known schema. */
export interface TypedFrame<H> extends Frame {
  readonly header: H & Record<string, unknown>;
}

function parseFrame<H>(bytes: Uint8Array, headers: TypeDispatcher<never>): ParseResult<TypedFrame<H>> {
  const frame = decodeFrame(bytes);
  if (!frame.ok) return frame;
  const header = headers.validate(frame.value.header);
  if (!header.ok) return header;
  return success(frame.value as TypedFrame<H>);
}

/** Options of {@link parseClientMessage}. */
export interface ParseOptions {
  /**
   * Refuse (`invalid_message`) a message whose objects and arrays nest deeper than this, before
   * parsing it. Default {@link MAX_JSON_DEPTH}; 0 = no limit.
   */
  readonly maxJsonDepth?: number;
}

/** Parse and validate a client → server text message (server side). Never throws. */
export function parseClientMessage(text: string, options: ParseOptions = {}): ParseResult<ClientMessage> {
  const maxDepth = options.maxJsonDepth ?? MAX_JSON_DEPTH;
  if (maxDepth > 0 && exceedsJsonDepth(text, maxDepth)) {
    return failure({
      code: ErrorCode.InvalidMessage,
      message: `invalid message: JSON nested deeper than ${maxDepth} levels (the limit maxJsonDepth)`,
    });
  }
  return clientMessages.parse(text) as ParseResult<ClientMessage>;
}

/** Validate an already-parsed client → server message object. Never throws. */
export const validateClientMessage = (value: unknown): ParseResult<ClientMessage> =>
  clientMessages.validate(value) as ParseResult<ClientMessage>;

/** Decode and validate a client → server binary frame (server side). Never throws. */
export const parseClientFrame = (bytes: Uint8Array): ParseResult<TypedFrame<ClientBinaryHeader>> =>
  parseFrame<ClientBinaryHeader>(bytes, clientHeaders as TypeDispatcher<never>);

/** Parse and validate a server → client text message (client side). Never throws. */
export const parseServerMessage = (text: string): ParseResult<ServerMessage> =>
  serverMessages.parse(text) as ParseResult<ServerMessage>;

/** Validate an already-parsed server → client message object. Never throws. */
export const validateServerMessage = (value: unknown): ParseResult<ServerMessage> =>
  serverMessages.validate(value) as ParseResult<ServerMessage>;

/** Decode and validate a server → client binary frame (client side). Never throws. */
export const parseServerFrame = (bytes: Uint8Array): ParseResult<TypedFrame<ServerBinaryHeader>> =>
  parseFrame<ServerBinaryHeader>(bytes, serverHeaders as TypeDispatcher<never>);

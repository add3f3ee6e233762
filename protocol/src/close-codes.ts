/**
 * WebSocket close codes the server uses, by name.
 *
 * 1000–1011 are the standard codes of RFC 6455; 4xxx are duckwire's own, modelled on HTTP.
 */
export const CloseCode = {
  /** Normal closure. */
  Normal: 1000,
  /** The server is shutting down. */
  GoingAway: 1001,
  /** A message was larger than the server's `maxPayload` (sent by the WebSocket layer). */
  MessageTooBig: 1009,
  /** An unexpected server fault ended the connection. */
  InternalError: 1011,
  /** A message arrived before a successful `auth`, or the token was wrong. */
  Unauthorized: 4401,
} as const;

/** One of the known {@link CloseCode} values. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

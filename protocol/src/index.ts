/**
 * @packageDocumentation
 * The duckwire wire protocol: TypeBox schemas for every message, validators, static types,
 * typed encoders of both directions, named error and close codes, and the binary frame codec. Client, server and conformance
 * suite all import it; it is the single source of truth for what crosses the wire.
 */
export * from './messages/client.js';
export * from './messages/server.js';
export * from './fields.js';
export * from './error-codes.js';
export * from './close-codes.js';
export * from './parse-result.js';
export { alignedArrowPayload, decodeFrame, FRAME_PREFIX_BYTES, type Frame, type FrameFault } from './frame.js';
export * from './encode.js';
export * from './validator.js';
export * from './parse.js';
export * from './query-rules.js';
export * from './json-depth.js';
export * from './stream-request.js';
export * from './catalog.js';
export * from './params.js';
export * from './negotiation.js';
export * from './identifiers.js';

/** The default TCP port of a duckwire server. */
export const DEFAULT_PORT = 4000;

/**
 * @packageDocumentation
 * Test material for implementations of the protocol (`@duckwire/protocol/fixtures`): example
 * messages of both directions, and an encoder of binary frames with ANY header, to build the
 * invalid frames a server must refuse. Not for production code: there, send through the checked
 * encoders of the main entry point.
 */
import { frameHeadOf, joinFrame } from './frame.js';

/**
 * A binary frame `[u32 BE length][JSON of header][payload]` with no schema check, so that tests
 * can send headers that break it (a missing `tableName`, an unknown `type`, …).
 */
export const encodeRawFrame = (header: unknown, payload: Uint8Array | readonly Uint8Array[]): Uint8Array =>
  joinFrame(frameHeadOf(JSON.stringify(header)), payload);

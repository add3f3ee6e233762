import { ErrorCode } from './error-codes.js';
import { type ParseResult, failure, success } from './parse-result.js';

/**
 * Binary frames are `[u32 big-endian N][N bytes of UTF-8 JSON header][payload]`.
 * This module lays out and decodes that framing; it knows nothing of header types (the typed
 * encoders are in `encode.ts`, the typed parsers in `parse.ts`).
 */

/** The ways a binary frame can be malformed. */
export type FrameFault =
  | 'too_short'
  | 'empty_header'
  | 'header_out_of_bounds'
  | 'header_not_utf8'
  | 'header_not_json'
  | 'header_not_object';

/** A binary frame split into its JSON header object and its payload bytes (a view, not a copy). */
export interface Frame {
  readonly header: Record<string, unknown>;
  readonly payload: Uint8Array;
}

/** Length of the big-endian header-length prefix. */
export const FRAME_PREFIX_BYTES = 4;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

const frameFault = (fault: FrameFault, message: string): ParseResult<Frame> =>
  failure({ code: ErrorCode.InvalidFrame, message: `invalid binary frame (${fault}): ${message}` });

/**
 * The part of a frame that precedes the payload, for header JSON text that is already checked
 * (see `encodeFrameHead` in `encode.ts`, the typed way to build one).
 */
export function frameHeadOf(headerJson: string): Uint8Array {
  const json = utf8Encoder.encode(headerJson);
  const head = new Uint8Array(FRAME_PREFIX_BYTES + json.byteLength);
  new DataView(head.buffer).setUint32(0, json.byteLength, false);
  head.set(json, FRAME_PREFIX_BYTES);
  return head;
}

/** A frame head and its payload (one buffer or several parts) joined into one buffer. */
export function joinFrame(head: Uint8Array, payload: Uint8Array | readonly Uint8Array[]): Uint8Array {
  const parts = payload instanceof Uint8Array ? [payload] : payload;
  let total = head.byteLength;
  for (const part of parts) total += part.byteLength;
  const frame = new Uint8Array(total);
  frame.set(head, 0);
  let offset = head.byteLength;
  for (const part of parts) {
    frame.set(part, offset);
    offset += part.byteLength;
  }
  return frame;
}

/** Decode a frame's structure. Never throws: every malformed case is a `invalid_frame` {@link ProtocolError}. */
export function decodeFrame(bytes: Uint8Array): ParseResult<Frame> {
  if (bytes.byteLength < FRAME_PREFIX_BYTES) {
    return frameFault('too_short', `${bytes.byteLength} bytes, the 4-byte header length is missing`);
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
  if (length === 0) return frameFault('empty_header', 'header length is 0');
  const end = FRAME_PREFIX_BYTES + length;
  if (end > bytes.byteLength) {
    return frameFault(
      'header_out_of_bounds',
      `header length ${length} runs past the end of the ${bytes.byteLength}-byte frame`,
    );
  }
  let text: string;
  try {
    text = utf8Decoder.decode(bytes.subarray(FRAME_PREFIX_BYTES, end));
  } catch {
    return frameFault('header_not_utf8', 'header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    return frameFault('header_not_json', `header is not JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    return frameFault('header_not_object', 'header JSON is not an object');
  }
  return success({ header: header as Record<string, unknown>, payload: bytes.subarray(end) });
}

/**
 * The payload of a binary frame as a reader of Arrow IPC needs it: starting at a multiple of 8
 * bytes in its buffer. A payload sits after a JSON header of any length, so it usually does not;
 * Arrow readers make typed-array views on the body's buffers, and apache-arrow copies a misaligned
 * body whole (a 29 MB upload: 29 MB more, on the main thread) or, for UNION vectors, fails.
 *
 * Returns `payload` itself when it is aligned. Otherwise, when `frame` — the whole message, whose
 * last bytes `payload` is — is given, the payload is moved down by up to 7 bytes inside it, over
 * the end of the header (which must no longer be needed): one `memmove`, no new memory. Without
 * such a frame, an aligned copy.
 */
export function alignedArrowPayload(payload: Uint8Array, frame?: Uint8Array): Uint8Array {
  const shift = payload.byteOffset & 7;
  if (shift === 0) return payload;
  if (frame !== undefined && payload.buffer === frame.buffer) {
    const start = payload.byteOffset - shift;
    const end = payload.byteOffset + payload.byteLength;
    if (start >= frame.byteOffset && end <= frame.byteOffset + frame.byteLength) {
      new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength).copyWithin(
        start - frame.byteOffset,
        payload.byteOffset - frame.byteOffset,
        end - frame.byteOffset,
      );
      return new Uint8Array(frame.buffer, start, payload.byteLength);
    }
  }
  return payload.slice();
}

/**
 * Why this exists: apache-arrow views a record batch's body in place only when the body starts at
 * a multiple of 8 bytes in its `ArrayBuffer`; otherwise it copies the whole body (for a 1M-row
 * upload, ~29 MB into fresh memory, on the main thread, before a row is inserted). The payload of
 * a single-message upload starts right after the frame's header, so whether it is aligned depends
 * on the header's length: usually it is not. Moving the payload down by up to 7 bytes, over the
 * end of the header that has already been parsed, costs one `memmove` in memory that is already
 * there.
 */

/**
 * Returns `payload` starting at an 8-byte aligned offset of its `ArrayBuffer`: `payload` itself
 * when it already does, otherwise the same bytes moved down by `payload.byteOffset % 8` within
 * `frame` (overwriting the last bytes before the payload: the frame's header, which must no
 * longer be needed). When `payload` is not the tail of `frame`'s bytes, or there is no room
 * before it inside `frame`, `payload` is returned unchanged.
 *
 * @param frame - the whole message: header, then `payload`.
 * @param payload - a view of `frame`'s last bytes.
 */
export function alignPayloadInFrame(frame: Uint8Array, payload: Uint8Array): Uint8Array {
  const shift = payload.byteOffset & 7;
  if (shift === 0) return payload;
  const start = payload.byteOffset - shift;
  const end = payload.byteOffset + payload.byteLength;
  if (payload.buffer !== frame.buffer || start < frame.byteOffset || end > frame.byteOffset + frame.byteLength) {
    return payload;
  }
  const bytes = new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  const base = frame.byteOffset;
  bytes.copyWithin(start - base, payload.byteOffset - base, end - base);
  return new Uint8Array(frame.buffer, start, payload.byteLength);
}

/**
 * The bytes of a message that can never be read: a continuation marker followed by a metadata
 * length of 0x7ffffff8 bytes, then far fewer bytes. A reader either hits the end of the stream
 * while reading the metadata ("expected to read N metadata bytes") or refuses the length: both
 * are errors, never a clean end of stream, so a stream cut short after complete record batches
 * is rejected as a whole instead of decoding as a shorter table.
 */
const ABORT_TAIL = Uint8Array.of(
  0xff,
  0xff,
  0xff,
  0xff, // continuation marker
  0xf8,
  0xff,
  0xff,
  0x7f, // metadata length: 2^31 - 8
  0xde,
  0xad,
  0xbe,
  0xef,
  0xde,
  0xad,
  0xbe,
  0xef, // a few bytes of bogus metadata
);

/**
 * Bytes that, appended to a partly sent IPC stream, make every Arrow reader reject the whole
 * stream, so that a result cut short mid-stream is never decoded as a complete (partial) table.
 * (A stream that simply stops is read as a complete, shorter table by apache-arrow.) A fresh copy
 * each call.
 */
export function arrowAbortTail(): Uint8Array {
  return ABORT_TAIL.slice();
}

/**
 * Compressed Arrow results (duckwire.v1 capability `compression`): the suite decodes them as a client
 * would, with apache-arrow (≥ 21.1) and the pure-JS decoders registered in its compression registry
 * (fzstd for ZSTD, lz4js for LZ4_FRAME), and can tell a compressed payload from a plain one.
 */
import { CompressionType, compressionRegistry } from 'apache-arrow';
import { decompress as zstd } from 'fzstd';
import lz4 from 'lz4js';

const CODECS = [
  [CompressionType.LZ4_FRAME, { decode: (bytes: Uint8Array) => lz4.decompress(bytes) }],
  [CompressionType.ZSTD, { decode: (bytes: Uint8Array) => zstd(bytes) }],
] as const;

/** Register both decoders (idempotent). */
export function registerCodecs(): void {
  for (const [type, codec] of CODECS) compressionRegistry.set(type, codec);
}

/** Run `read` with no decoder registered (synchronously), then register them again. */
export function withoutCodecs<T>(read: () => T): T {
  for (const [type] of CODECS) compressionRegistry.set(type, {});
  try {
    return read();
  } finally {
    registerCodecs();
  }
}

registerCodecs();

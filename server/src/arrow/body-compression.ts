/**
 * Arrow IPC body compression (duckwire.v1 capability `compression`), as the Arrow format defines
 * it: every buffer of a record batch body is compressed on its own with LZ4 (frame format) or
 * Zstandard and written with its uncompressed length as a little-endian int64 in front, or stored
 * as it is behind a length of -1 when compressing does not make it smaller. An empty buffer stays
 * empty. The `BodyCompression` table of the batch's metadata names the codec (see ipc-message.ts).
 *
 * Buffers are compressed off the main thread (the codecs' asynchronous calls run in libuv's
 * thread pool), several at once, while DuckDB computes the next rows.
 *
 * Each codec's native module is loaded when a result first needs it: loaded at startup, the two
 * cost an idle server ~6 MiB of resident memory that most servers (clients that do not ask for
 * compression) never use.
 */
import { BatchBody } from './body-sink.js';

/** The codecs a client may ask for, by their protocol names. */
export type CompressionCodec = 'lz4' | 'zstd';

/** Every codec this server writes, in the order `hello.compression` lists them. */
export const COMPRESSION_CODECS: readonly CompressionCodec[] = ['lz4', 'zstd'];

/** `CompressionType` values of the Arrow format (Message.fbs): the codec id in `BodyCompression`. */
export const ARROW_CODEC_ID: Readonly<Record<CompressionCodec, number>> = { lz4: 0, zstd: 1 };

/** Zstandard level: 1 is fast and already far smaller than LZ4 on typical columns. */
const ZSTD_LEVEL = 1;

/** Buffers smaller than this are stored raw without trying: codec headers would outweigh any gain. */
const MIN_COMPRESS_BYTES = 64;

const PREFIX_BYTES = 8;

type Compress = (data: Buffer) => Promise<Uint8Array>;

const loaders: Readonly<Record<CompressionCodec, () => Promise<Compress>>> = {
  lz4: async () => {
    const { compressFrame } = await import('lz4-napi');
    return (data) => compressFrame(data);
  },
  zstd: async () => {
    const { compress } = await import('@mongodb-js/zstd');
    return (data) => compress(data, ZSTD_LEVEL);
  },
};

const loaded = new Map<CompressionCodec, Promise<Compress>>();

/** The codec's compress function, its module loaded on first use (a failed load is tried again next time). */
function compressorOf(codec: CompressionCodec): Promise<Compress> {
  let compress = loaded.get(codec);
  if (!compress) {
    compress = loaders[codec]();
    compress.catch(() => loaded.delete(codec));
    loaded.set(codec, compress);
  }
  return compress;
}

/** A record batch body (its buffers copied out of the encoders) to compress: see {@link compressBody}. */
export interface UncompressedBody {
  readonly nodes: readonly number[];
  /** Every buffer, joined into memory the caller owns (the encoders' own memory is reused). */
  readonly buffers: readonly Buffer[];
}

/** Copies the buffers of `body` (parts in the encoders' reused memory) so that they can be compressed later. */
export function detachBody(body: BatchBody): UncompressedBody {
  return { nodes: body.nodes.slice(), buffers: body.buffers.map((parts) => Buffer.concat(parts)) };
}

/** The body whose buffers are the compressed (or raw, behind -1) form of `body`'s, each with its length prefix. */
export async function compressBody(body: UncompressedBody, codec: CompressionCodec): Promise<BatchBody> {
  const compress = await compressorOf(codec);
  const buffers = await Promise.all(body.buffers.map((buffer) => compressBuffer(buffer, compress)));
  const out = new BatchBody();
  for (let i = 0; i < body.nodes.length; i += 2) out.node(body.nodes[i], body.nodes[i + 1]);
  for (const parts of buffers) out.buffer(...parts);
  return out;
}

async function compressBuffer(buffer: Buffer, compress: Compress): Promise<Uint8Array[]> {
  if (buffer.byteLength === 0) return [];
  const prefix = new Uint8Array(PREFIX_BYTES);
  const view = new DataView(prefix.buffer);
  if (buffer.byteLength >= MIN_COMPRESS_BYTES) {
    const compressed = await compress(buffer);
    if (compressed.byteLength < buffer.byteLength) {
      view.setBigInt64(0, BigInt(buffer.byteLength), true);
      return [prefix, compressed];
    }
  }
  view.setBigInt64(0, -1n, true);
  return [prefix, buffer];
}

/**
 * Compressed Arrow results (duckwire.v1 capability `compression`): the app's apache-arrow (≥ 21.1) decodes
 * IPC body compression once a codec is registered in its `compressionRegistry`. The client ships no codec
 * (they would weigh on every app); the app passes the decoder of a library it chooses, e.g. `fzstd` for
 * zstd and `lz4js` for LZ4 frames.
 */
import * as arrow from 'apache-arrow';

/** The Arrow IPC body codecs of the protocol. */
export type CompressionCodec = 'lz4' | 'zstd';

/** A decoder: compressed bytes in, the original bytes out. */
export type Decompress = (bytes: Uint8Array) => Uint8Array;

interface Registry {
  set(type: number, codec: { decode?: Decompress }): void;
  get(type: number): { decode?: Decompress } | null;
}

/** apache-arrow's `CompressionType` values (LZ4_FRAME = 0, ZSTD = 1), fixed by the Arrow format. */
const ARROW_TYPE: Readonly<Record<CompressionCodec, number>> = { lz4: 0, zstd: 1 };

/** The app's registry, or undefined when its apache-arrow is older than 21.1 (no compressed IPC). */
function registry(): Registry | undefined {
  return (arrow as unknown as { compressionRegistry?: Registry }).compressionRegistry;
}

/** Whether the app's apache-arrow can decode compressed IPC at all (≥ 21.1). */
export function compressionSupported(): boolean {
  return registry() !== undefined;
}

/**
 * Register the decoder of `codec` in the app's apache-arrow, so that results compressed with it decode.
 *
 * @example
 * ```ts
 * import { decompress } from 'fzstd';
 * registerCompressionCodec('zstd', decompress);
 * const table = await client.query(sql, { compression: 'zstd' });
 * ```
 * @throws TypeError when the app's apache-arrow is older than 21.1 (it cannot read compressed IPC).
 */
export function registerCompressionCodec(codec: CompressionCodec, decompress: Decompress): void {
  const target = registry();
  if (!target) throw new TypeError('compressed Arrow results need apache-arrow 21.1 or newer');
  target.set(ARROW_TYPE[codec], { decode: decompress });
}

/** Whether a decoder of `codec` is registered in the app's apache-arrow. */
export function hasCompressionCodec(codec: CompressionCodec): boolean {
  return typeof registry()?.get(ARROW_TYPE[codec])?.decode === 'function';
}

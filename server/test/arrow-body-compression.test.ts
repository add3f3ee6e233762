// Arrow IPC body compression of one body (src/arrow/body-compression.ts): each buffer behind its
// uncompressed int64 length, or behind -1 and stored raw when compressing does not shrink it.
import { randomBytes } from 'node:crypto';
import { decompressFrameSync } from 'lz4-napi';
import { describe, expect, it } from 'vitest';
import { compressBody } from '../src/arrow/body-compression.js';

const prefixOf = (parts: Uint8Array[]) => new DataView(parts[0].buffer, parts[0].byteOffset, 8).getBigInt64(0, true);

describe('compressBody', () => {
  it('prefixes compressed buffers with their length, raw ones with -1, and leaves empty ones empty', async () => {
    const compressible = Buffer.alloc(100_000, 'abc');
    const random = randomBytes(100_000);
    const body = await compressBody({ nodes: [5, 0], buffers: [Buffer.alloc(0), compressible, random] }, 'lz4');
    expect(body.nodes).toEqual([5, 0]);
    expect(body.buffers[0]).toEqual([]);
    expect(prefixOf(body.buffers[1])).toBe(100_000n);
    expect(body.buffers[1][1].byteLength).toBeLessThan(1000);
    expect(Buffer.from(decompressFrameSync(Buffer.from(body.buffers[1][1]))).equals(compressible)).toBe(true);
    expect(prefixOf(body.buffers[2])).toBe(-1n);
    expect(Buffer.from(body.buffers[2][1]).equals(random)).toBe(true);
  });
});

// Compressed results from our real server (zstd and lz4 written by the server's native codecs), decoded by the
// app's apache-arrow with the small pure-JS decoders an app would register (fzstd, lz4js): whole, streamed and
// through a cursor. With apache-arrow 17 (project arrow-17) the client refuses clearly and streams uncompressed.
import { decompress as zstdDecompress } from 'fzstd';
import lz4 from 'lz4js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DuckwireClient, compressionSupported, connect, registerCompressionCodec } from '../src/node.js';
import { useDuckwire } from './support/server.js';

const duckwire = useDuckwire();
let client: DuckwireClient;
beforeAll(async () => {
  client = await connect(duckwire.url);
});
afterAll(() => client?.close());

const ROWS = 200_000;
/** Repetitive columns: compressible, so the server compresses the buffers (it may send small ones raw). */
const SQL = `select i, i % 7 as small, 'label ' || (i % 13) as label from range(${ROWS}) t(i)`;

/** Decoder calls per codec: a compressed body reached the decoder. */
const calls = { zstd: 0, lz4: 0 };

/** The `label` of row `i`. */
const labelOf = (i: number) => `label ${i % 13}`;

describe.runIf(inject('arrowMajor') !== 17)('compressed results from the real server (apache-arrow ≥ 21.1)', () => {
  beforeAll(() => {
    expect(compressionSupported()).toBe(true);
    registerCompressionCodec('zstd', (bytes) => {
      calls.zstd++;
      return zstdDecompress(bytes);
    });
    registerCompressionCodec('lz4', (bytes) => {
      calls.lz4++;
      return lz4.decompress(bytes);
    });
  });

  it('the server offers both codecs', () => {
    expect(client.supports('compression')).toBe(true);
  });

  it.each(['zstd', 'lz4'] as const)('decodes a whole %s-compressed result', async (codec) => {
    const before = calls[codec];
    const table = await client.query(SQL, { compression: codec });
    expect(calls[codec]).toBeGreaterThan(before);
    expect(table.numRows).toBe(ROWS);
    expect(table.getChild('label')?.get(123_456)).toBe(labelOf(123_456));
    expect(Number(table.getChild('i')?.get(ROWS - 1))).toBe(ROWS - 1);
    expect(Number(table.getChild('small')?.get(ROWS - 1))).toBe((ROWS - 1) % 7);
  });

  it.each(['zstd', 'lz4'] as const)('decodes a streamed %s-compressed result batch by batch', async (codec) => {
    const before = calls[codec];
    let rows = 0;
    let sum = 0n;
    for await (const batch of client.stream(SQL, { compression: codec })) {
      expect(Number(batch.getChild('i')?.get(0))).toBe(rows);
      rows += batch.numRows;
      for (const value of batch.getChild('i') ?? []) sum += BigInt(value as number | bigint);
    }
    expect(rows).toBe(ROWS);
    expect(sum).toBe(BigInt((ROWS * (ROWS - 1)) / 2));
    expect(calls[codec]).toBeGreaterThan(before);
  });

  it('decodes a compressed cursor', async () => {
    const cursor = client.cursor(SQL, { compression: 'zstd' });
    const first = await cursor.next(70_000);
    expect(first?.numRows).toBe(70_000);
    expect(first?.getChild('label')?.get(69_999)).toBe(labelOf(69_999));
    await cursor.close();
  });
});

describe.runIf(inject('arrowMajor') === 17)('compression with apache-arrow 17 against the real server', () => {
  it('refuses clearly, and the same query works uncompressed (streamed too)', async () => {
    expect(client.supports('compression')).toBe(true);
    expect(() => registerCompressionCodec('zstd', zstdDecompress)).toThrow(/apache-arrow 21.1 or newer/);
    const refused = await client.query(SQL, { compression: 'zstd' }).catch((e) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect(refused.message).toMatch(/apache-arrow ≥ 21.1/);
    let rows = 0;
    let label: unknown;
    for await (const batch of client.stream(SQL)) {
      if (rows <= 123_456 && 123_456 < rows + batch.numRows) label = batch.getChild('label')?.get(123_456 - rows);
      rows += batch.numRows;
    }
    expect(rows).toBe(ROWS);
    expect(label).toBe(labelOf(123_456));
  });
});

// duckwire.v1 Arrow IPC body compression against a real server (docs/protocol.md, "Compression"):
// record batches compressed with LZ4_FRAME or ZSTD as the Arrow format defines, read by
// apache-arrow (≥ 21.1) once the decoders a browser would use are registered; buffers that do not
// shrink stored raw; off unless asked.
import { ARROW_END_OF_STREAM } from '@duckwire/protocol';
import { MessageHeader, MessageReader, type Table, tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { concatBytes, decodeBatch, registerArrowCodecs, streamQuery } from './support/stream-reader.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

/** Codec of each record batch message of an IPC stream (null: uncompressed). */
function batchCodecs(ipc: Uint8Array): Array<number | null> {
  const codecs: Array<number | null> = [];
  const reader = new MessageReader(ipc);
  for (let message = reader.readMessage(); message; message = reader.readMessage()) {
    if (message.headerType === MessageHeader.RecordBatch) {
      const header = message.header() as { compression?: { type: number } | null };
      codecs.push(header.compression ? header.compression.type : null);
    }
    if (message.bodyLength > 0) reader.readMessageBody(message.bodyLength);
  }
  return codecs;
}

const rowsOf = (table: Table) => table.toArray().map((row) => JSON.stringify(row.toJSON(), (_k, v) => (typeof v === 'bigint' ? String(v) : v)));

const NUMERIC = 'select i::INTEGER as a, (i % 1000)::DOUBLE as b, i::BIGINT as c from range(300000) t(i)';
const STRINGS = `select 'name-' || (i % 5000) as s, case when i % 10 = 0 then null else md5((i % 100)::VARCHAR) end as h from range(200000) t(i)`;
const RANDOM = 'select random() as r from range(100000)';

describe('duckwire.v1 compression', () => {
  let server: DuckwireServer;
  let client: TestClient;
  beforeAll(async () => {
    registerArrowCodecs();
    ({ server } = await startTestServer());
    client = await TestClient.connect(server.url, {}, ['duckwire.v1']);
    await client.waitFor((reply) => reply.type === 'hello');
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it.each([
    ['lz4', 0, NUMERIC],
    ['zstd', 1, NUMERIC],
    ['lz4', 0, STRINGS],
    ['zstd', 1, STRINGS],
  ])('an unstreamed result with compression %s is smaller and decodes to the same rows', async (codec, codecId, sql) => {
    const plain = await client.query('arrow', sql);
    const packed = await client.query('arrow', sql, { compression: codec });
    if (plain.kind !== 'arrow' || packed.kind !== 'arrow') throw new Error(`no Arrow result: ${JSON.stringify(packed)}`);
    expect(batchCodecs(plain.bytes).every((c) => c === null)).toBe(true);
    const codecs = batchCodecs(packed.bytes);
    expect(codecs.length).toBeGreaterThan(0);
    expect(codecs.every((c) => c === codecId)).toBe(true);
    expect(packed.bytes.byteLength).toBeLessThan(plain.bytes.byteLength / 2);
    expect(packed.table.numRows).toBe(plain.table.numRows);
    expect(rowsOf(packed.table)).toEqual(rowsOf(plain.table));
  });

  it('buffers that do not shrink are stored raw (length -1) and still decode', async () => {
    const packed = await client.query('arrow', RANDOM, { compression: 'lz4' });
    if (packed.kind !== 'arrow') throw new Error('no Arrow result');
    expect(batchCodecs(packed.bytes).every((c) => c === 0)).toBe(true);
    expect(packed.table.numRows).toBe(100_000);
    const values = [...packed.table.getChild('r')!];
    expect(values.every((v) => typeof v === 'number' && v >= 0 && v < 1)).toBe(true);
  });

  it.each(['lz4', 'zstd'])('a streamed result with compression %s decodes batch by batch and whole', async (codec) => {
    const result = await streamQuery(client, `sc-${codec}`, STRINGS, { compression: codec });
    expect(result.terminal).toMatchObject({ type: 'end', rows: 200_000 });
    let rows = 0;
    for (const batch of result.batches) {
      const table = decodeBatch(result.schema!, batch.payload);
      expect(table.numRows).toBe(batch.rows);
      expect(table.getChild('s')!.get(0)).toBe(`name-${rows % 5000}`);
      rows += batch.rows;
    }
    const whole = tableFromIPC(concatBytes([result.schema!, ...result.batches.map((b) => b.payload), ARROW_END_OF_STREAM]));
    const plain = await client.query('arrow', STRINGS);
    if (plain.kind !== 'arrow') throw new Error('no Arrow result');
    expect(rowsOf(whole)).toEqual(rowsOf(plain.table));
  });

  it('a cursor with compression pauses at exact row counts', async () => {
    client.send({ type: 'arrow', queryId: 'cc', sql: NUMERIC, stream: true, fetchRows: 3000, compression: 'zstd' });
    expect(await client.waitFor((r) => r.type === 'paused' && r.queryId === 'cc')).toMatchObject({ rows: 3000 });
    client.send({ type: 'fetch', queryId: 'cc', rows: 1_000_000 });
    expect(await client.terminal('cc')).toMatchObject({ type: 'end', rows: 300_000 });
  });

  it('an unknown codec is refused by the schema', async () => {
    client.send({ type: 'arrow', queryId: 'bad-codec', sql: 'select 1', compression: 'brotli' });
    expect(await client.terminal('bad-codec')).toMatchObject({ type: 'error', code: 'invalid_message' });
  });
});

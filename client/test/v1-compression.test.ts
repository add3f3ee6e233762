// Compressed Arrow results (duckwire.v1 capability `compression`) with the newest apache-arrow: a scripted v1
// server sends a real LZ4_FRAME body-compressed IPC stream (written by apache-arrow with lz4js), whole and
// streamed; the client decodes it once the app registered a decoder with registerCompressionCodec.
import {
  CompressionType,
  RecordBatchStreamWriter,
  Table,
  compressionRegistry,
  tableFromArrays,
  tableToIPC,
} from 'apache-arrow';
import { encodeFrame } from '@duckwire/protocol';
import lz4 from 'lz4js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DuckwireClient,
  compressionSupported,
  connect,
  hasCompressionCodec,
  registerCompressionCodec,
} from '../src/node.js';
import { splitIpcStream } from './support/ipc-parts.js';
import { type ScriptedServer, selectV1, startScriptedServer, v1Hello } from './support/scripted-server.js';

const ROWS = 50_000;
const table = tableFromArrays({
  i: Int32Array.from({ length: ROWS }, (_, i) => i % 100),
  s: Array.from({ length: ROWS }, (_, i) => `row ${i % 10}`),
});
const batched = new Table(
  Array.from({ length: 5 }, (_, k) => table.slice(k * 10_000, (k + 1) * 10_000).batches).flat(),
);

/** The table as an LZ4_FRAME-compressed IPC stream, written by apache-arrow itself. */
function compressedIpc(): Uint8Array {
  compressionRegistry.set(CompressionType.LZ4_FRAME, {
    encode: (bytes: Uint8Array) => lz4.compress(bytes),
    decode: (bytes: Uint8Array) => lz4.decompress(bytes),
  });
  const writer = new RecordBatchStreamWriter({ compressionType: CompressionType.LZ4_FRAME });
  const bytes = writer.writeAll(batched).toUint8Array(true);
  // Forget the codec again: the client must get its decoder from registerCompressionCodec.
  compressionRegistry.set(CompressionType.LZ4_FRAME, {});
  return bytes;
}

let compressed: Uint8Array;
let server: ScriptedServer;
let client: DuckwireClient;
beforeAll(async () => {
  compressed = compressedIpc();
  const parts = splitIpcStream(compressed);
  server = await startScriptedServer({
    select: selectV1,
    hello: v1Hello(['compression', 'stream'], { compression: ['lz4'] }),
    answer: (message, send) => {
      const queryId = message.queryId as string;
      if (message.type !== 'arrow' || message.compression !== 'lz4') return;
      if (!message.stream) {
        send(encodeFrame({ type: 'arrow', queryId }, compressed));
        return;
      }
      send(encodeFrame({ type: 'schema', queryId }, parts.schema));
      for (const [seq, batch] of parts.batches.entries()) {
        send(encodeFrame({ type: 'batch', queryId, seq, rows: 10_000 }, batch));
      }
      send(
        JSON.stringify({ type: 'end', queryId, rows: ROWS, bytes: compressed.byteLength, batches: 5, elapsedMs: 1 }),
      );
    },
  });
  client = await connect(server.url);
});
afterAll(async () => {
  client?.close();
  await server?.close();
});

describe('compressed results (scripted v1 server, real LZ4 frames)', () => {
  it('the payload is really compressed', () => {
    expect(compressed.byteLength).toBeLessThan(tableToIPC(batched, 'stream').byteLength / 4);
  });

  it('refuses to ask for a codec apache-arrow cannot decode yet', async () => {
    expect(compressionSupported()).toBe(true);
    expect(hasCompressionCodec('lz4')).toBe(false);
    const error = await client.query('select *', { compression: 'lz4' }).catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
  });

  it('decodes whole and streamed results once the decoder is registered', async () => {
    registerCompressionCodec('lz4', (bytes) => lz4.decompress(bytes));
    expect(hasCompressionCodec('lz4')).toBe(true);
    const whole = await client.query('select *', { compression: 'lz4' });
    expect(whole.numRows).toBe(ROWS);
    expect(whole.getChild('s')?.get(12_345)).toBe('row 5');
    let rows = 0;
    let sum = 0;
    for await (const batch of client.stream('select *', { compression: 'lz4' })) {
      rows += batch.numRows;
      for (const value of batch.getChild('i') ?? []) sum += value as number;
    }
    expect(rows).toBe(ROWS);
    expect(sum).toBe((ROWS / 100) * ((99 * 100) / 2));
  });
});

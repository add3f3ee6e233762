// The v1 request fields and replies at the protocol level, against a scripted v1 server that announces every
// capability and echoes what it received: parameters (JS values to typed values), progress callbacks,
// timeoutMs sent to the server, structured errors (errorType, overloaded + retryAfterMs), sessions re-opened
// after a reconnect, chunked Arrow and File uploads, compression. (Against our own server: v1-server.test.ts,
// v1-server-compression.test.ts.)
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type DuckwireClient,
  InvalidRequestError,
  type QueryProgress,
  QueryTimeoutError,
  ServerError,
  connect,
  registerCompressionCodec,
} from '../src/node.js';
import { type ScriptedServer, selectV1, startScriptedServer, v1Hello } from './support/scripted-server.js';

let received: Array<Record<string, unknown>> = [];
const uploads = new Map<string, { header: Record<string, unknown>; parts: Uint8Array[] }>();

const ALL = [
  'params',
  'stream',
  'cursor',
  'progress',
  'compression',
  'session',
  'timeout',
  'ping',
  'chunkedUpload',
  'fileUpload',
  'temporal',
];

/** Canned `error` replies, by SQL. */
const ERRORS: Record<string, object> = {
  'times out': { error: 'query timed out', code: 'timeout' },
  busy: { error: 'too many queries', code: 'overloaded', retryAfterMs: 250 },
  bad: { error: 'Catalog Error: no t', code: 'query_failed', errorType: 'Catalog' },
};

function answer(message: Record<string, unknown>, send: (data: string | Uint8Array) => void): void {
  received.push(message);
  const queryId = message.queryId as string;
  const reply = (value: object) => send(JSON.stringify(value));
  switch (message.type) {
    case 'json': {
      const sql = message.sql as string;
      if (sql === 'slow') {
        reply({ type: 'progress', queryId, percent: 10, rowsProcessed: 1, totalRows: 10 });
        reply({ type: 'progress', queryId, percent: 60.5 });
      }
      const error = ERRORS[sql];
      if (error) reply({ type: 'error', queryId, ...error });
      else reply({ type: 'json', queryId, data: JSON.stringify([{ params: message.params ?? null }]) });
      break;
    }
    case 'exec':
    case 'beginSession':
    case 'endSession':
      reply({ type: 'ok', queryId });
      break;
    case 'uploadArrow':
    case 'uploadFile':
      uploads.set(queryId, { header: message, parts: [message.payload as Uint8Array] });
      if (!message.chunked) reply({ type: 'uploadAck', queryId });
      break;
    case 'uploadChunk':
      uploads.get(queryId)?.parts.push(message.payload as Uint8Array);
      if (message.last) reply({ type: 'uploadAck', queryId });
      break;
  }
}

let server: ScriptedServer;
let client: DuckwireClient;
beforeAll(async () => {
  server = await startScriptedServer({
    select: selectV1,
    hello: v1Hello(ALL, { compression: ['zstd'], limits: { maxBinaryMessageBytes: 64 * 1024 } }),
    answer,
  });
  client = await connect(server.url, { session: true, reconnect: { initialDelayMs: 20, maxDelayMs: 50 } });
});
afterAll(async () => {
  client?.close();
  await server?.close();
});
beforeEach(() => {
  received = [];
});

const concat = (parts: Uint8Array[]) => {
  const bytes = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
};

describe('v1 requests (scripted v1 server)', () => {
  it('sends params, turning bigint, Date, bytes and non-finite numbers into typed values', async () => {
    const rows = await client.json('select ?', {
      params: [
        1,
        'a',
        null,
        true,
        2n ** 70n,
        -5n,
        new Date(Date.UTC(2024, 0, 31, 13, 45)),
        new Uint8Array([0, 1, 2]),
        Number.NaN,
        [1n, 2],
      ],
    });
    expect(rows[0]?.params).toEqual([
      1,
      'a',
      null,
      true,
      { $type: 'hugeint', value: '1180591620717411303424' },
      { $type: 'bigint', value: '-5' },
      { $type: 'timestamptz', value: '2024-01-31T13:45:00.000Z' },
      { $type: 'blob', value: 'AAEC' },
      { $type: 'double', value: 'NaN' },
      [{ $type: 'bigint', value: '1' }, 2],
    ]);
    const named = await client.json('select $d', { params: { d: { $type: 'date', value: '2024-01-31' } } });
    expect(named[0]?.params).toEqual({ d: { $type: 'date', value: '2024-01-31' } });
  });

  it('refuses params that break the schema before sending them', async () => {
    const error = await client.json('select ?', { params: [{ $type: 'date', value: 'x' }] }).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.code).toBe('invalid_message');
    expect(received.filter((m) => m.type === 'json')).toEqual([]);
  });

  it('calls onProgress for each progress message, then resolves with the result', async () => {
    const progress: QueryProgress[] = [];
    const rows = await client.json('slow', { onProgress: (p) => progress.push(p) });
    expect(rows).toHaveLength(1);
    expect(progress).toEqual([{ percent: 10, rowsProcessed: 1, totalRows: 10 }, { percent: 60.5 }]);
    expect(received[0]).toMatchObject({ type: 'json', progress: true });
  });

  it('sends timeoutMs to a server that enforces it and rejects with its timeout error', async () => {
    const error = await client.json('times out', { timeoutMs: 50 }).catch((e) => e);
    expect(received[0]).toMatchObject({ type: 'json', timeoutMs: 50 });
    expect(error).toBeInstanceOf(ServerError);
    expect(error).not.toBeInstanceOf(QueryTimeoutError);
    expect(error.code).toBe('timeout');
  });

  it('surfaces errorType and overloaded retryAfterMs on ServerError', async () => {
    const failed = await client.json('bad').catch((e) => e);
    expect(failed).toMatchObject({ code: 'query_failed', errorType: 'Catalog' });
    const busy = await client.json('busy').catch((e) => e);
    expect(busy).toBeInstanceOf(ServerError);
    expect(busy).toMatchObject({ code: 'overloaded', retryAfterMs: 250 });
  });

  it('opens the session on connect and again after a reconnect; endSession ends it', async () => {
    expect(client.inSession).toBe(true);
    await client.reconnect();
    expect(received.map((m) => m.type)).toEqual(['beginSession']);
    expect(client.inSession).toBe(true);
    await client.endSession();
    expect(client.inSession).toBe(false);
    await client.reconnect();
    expect(received.map((m) => m.type)).toEqual(['beginSession', 'endSession']);
    await client.beginSession();
    expect(client.inSession).toBe(true);
  });

  it('uploads a large table in parts no larger than the server’s message limit; the parts form the IPC stream', async () => {
    const table = tableFromArrays({ i: Int32Array.from({ length: 100_000 }, (_, i) => i) });
    const ipc = tableToIPC(table, 'stream');
    await client.upload('big', table, { chunkBytes: 1 << 20 });
    const [first, ...rest] = received;
    expect(first).toMatchObject({ type: 'uploadArrow', tableName: 'big', chunked: true });
    expect(rest.length).toBeGreaterThan(3);
    expect(rest.every((m) => m.type === 'uploadChunk')).toBe(true);
    expect(rest.map((m) => m.last === true)).toEqual([...rest.slice(1).map(() => false), true]);
    const upload = uploads.get(first?.queryId as string);
    for (const part of upload?.parts ?? []) expect(part.byteLength).toBeLessThanOrEqual(64 * 1024);
    const bytes = concat(upload?.parts ?? []);
    expect(Buffer.compare(bytes, ipc)).toBe(0); // (toEqual on 400 KB is slow)
    expect(tableFromIPC(bytes).numRows).toBe(100_000);
  });

  it('uploads a Blob as a file, in parts read one at a time, with the format from its name', async () => {
    const text = `a,b\n${Array.from({ length: 20_000 }, (_, i) => `${i},x${i}`).join('\n')}\n`;
    const file = new File([text], 'data.csv');
    await client.uploadFile('from_csv', file, { chunkBytes: 16 * 1024 });
    const [first, ...rest] = received;
    expect(first).toMatchObject({ type: 'uploadFile', tableName: 'from_csv', format: 'csv', chunked: true });
    expect(rest.at(-1)).toMatchObject({ type: 'uploadChunk', last: true });
    const upload = uploads.get(first?.queryId as string);
    expect(new TextDecoder().decode(concat(upload?.parts ?? []))).toBe(text);
  });

  it('sends a small file in one frame', async () => {
    await client.uploadFile('small', new Uint8Array([1, 2, 3]), { format: 'parquet' });
    expect(received).toMatchObject([{ type: 'uploadFile', format: 'parquet' }]);
    expect(received[0]).not.toHaveProperty('chunked');
  });

  it('asks for compression only with a codec the server offers and apache-arrow can decode', async () => {
    const missing = await client.query('select 1', { compression: 'zstd' }).catch((e) => e);
    expect(missing).toBeInstanceOf(TypeError);
    expect(missing.message).toMatch(/registerCompressionCodec/);
    const notOffered = await client.query('select 1', { compression: 'lz4' }).catch((e) => e);
    expect(notOffered.message).toMatch(/server offers zstd\): not supported by this server$/);
    expect(received).toEqual([]);
    registerCompressionCodec('zstd', (bytes) => bytes);
    const sent = client.query('select 1', { compression: 'zstd' }).catch(() => undefined);
    await expect.poll(() => received[0]).toMatchObject({ type: 'arrow', compression: 'zstd' });
    client.close();
    await sent;
    client = await connect(server.url);
  });
});

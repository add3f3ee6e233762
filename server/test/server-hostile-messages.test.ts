// Big or hostile messages: text over its (small) limit is refused with message_too_large before it
// is parsed, deep nesting is invalid_message, and no client input produces an error-level log
// line or a reply that breaks the published schemas (the test client validates every reply).
import { MAX_JSON_DEPTH, SUBPROTOCOL_V1, encodeFrame } from '@duckwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { type LogLines, startTestServer } from './support/test-server.js';

let server: DuckwireServer;
let logs: LogLines;

beforeAll(async () => {
  ({ server, logs } = await startTestServer({ maxTextMessageBytes: 64 * 1024, maxMessageBytes: 1024 * 1024 }));
});
afterAll(async () => {
  await server.close();
});

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** A binary frame with any header, valid or not (the protocol's encoder refuses invalid ones). */
function rawFrame(header: unknown, payload: Uint8Array): Uint8Array {
  const head = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(head.length);
  return Buffer.concat([length, head, payload]);
}

describe('message size limits', () => {
  it('answers a text message over --max-text-message-bytes with message_too_large naming the limit, then closes 1009', async () => {
    const client = await TestClient.connect(server.url);
    client.send({ type: 'json', queryId: 'big', sql: `select '${'x'.repeat(100 * 1024)}'` });
    const closed = await client.closed;
    expect(closed.code).toBe(1009);
    expect(client.replies).toHaveLength(1);
    expect(client.replies[0]).toMatchObject({ type: 'error', code: 'message_too_large' });
    if (client.replies[0].type === 'error') {
      expect(client.replies[0].error).toContain('65536');
      expect(client.replies[0].error).toContain('maxTextMessageBytes');
    }
  });

  it('still takes binary uploads up to --max-message-bytes, far above the text limit', async () => {
    const client = await TestClient.connect(server.url);
    const { tableToIPC, tableFromArrays } = await import('apache-arrow');
    const ipc = tableToIPC(tableFromArrays({ s: Array.from({ length: 2000 }, (_, i) => `row ${i} ${'y'.repeat(100)}`) }));
    expect(ipc.byteLength).toBeGreaterThan(64 * 1024);
    client.sendBinary(encodeFrame({ type: 'uploadArrow', queryId: 'up', tableName: 'uploaded' }, ipc));
    expect(await client.terminal('up')).toMatchObject({ type: 'uploadAck' });
    expect(await client.rows('select count(*)::int as n from uploaded')).toEqual([{ n: 2000 }]);
    await client.close();
  });

  it('announces both limits and the JSON depth limit in hello', async () => {
    const client = await TestClient.connect(server.url, {}, [SUBPROTOCOL_V1]);
    expect(await client.waitFor((reply) => reply.type === 'hello')).toMatchObject({
      limits: { maxTextMessageBytes: 64 * 1024, maxBinaryMessageBytes: 1024 * 1024, maxJsonDepth: MAX_JSON_DEPTH },
    });
    await client.close();
  });
});

describe('hostile input', () => {
  it('refuses a notify payload nested 5,000 levels deep as invalid_message, and the connection goes on', async () => {
    const client = await TestClient.connect(server.url);
    for (let i = 0; i < 3; i++) client.send(`{"type":"notify","channel":"c","payload":${nested(5000)}}`);
    for (let i = 0; i < 3; i++) {
      const reply = await client.waitFor((r) => r.type === 'error');
      expect(reply).toMatchObject({ code: 'invalid_message' });
      if (reply.type === 'error') expect(reply.error).toContain(`${MAX_JSON_DEPTH} levels`);
    }
    expect(await client.rows('select 1 as n')).toEqual([{ n: 1 }]);
    await client.close();
  });

  it('answers a fuzz of hostile messages with schema-valid replies and never logs at error level', async () => {
    const client = await TestClient.connect(server.url);
    const longId = 'q'.repeat(5000);
    const hostile: Array<string | Uint8Array> = [
      `{"type":"notify","channel":"c","payload":${nested(5000)}}`,
      `{"type":"json","queryId":"deep","sql":"select 1","maxRows":${nested(200)}}`,
      `{"type":"json","queryId":"${longId}","sql":1}`,
      `{"type":"cancel","queryId":"${longId}"}`,
      `{"type":"${'t'.repeat(5000)}","queryId":"${longId}"}`,
      JSON.stringify({ type: 'json', queryId: longId, sql: 'select 1' }),
      JSON.stringify({ type: 'exec', queryId: '', sql: 'select 1' }),
      JSON.stringify({ type: 'json', queryId: 'n', sql: 'select 1', maxRows: 1e308 }),
      JSON.stringify({ type: 'notify', channel: 'c'.repeat(5000), payload: 1 }),
      JSON.stringify({ type: 'subscribe', channel: { toString: 1 } }),
      '[]',
      'null',
      '"just a string"',
      '{"type":null}',
      `{"type":"ping","id":${nested(100)}}`,
      '{'.repeat(10_000),
      '{"type":"json","sql":"select 1","queryId":"\\ud800"}',
      new Uint8Array([0, 0, 0, 200, 1, 2, 3]),
      rawFrame({ type: 'uploadArrow', queryId: longId, tableName: 't' }, new Uint8Array([1, 2, 3])),
      encodeFrame({ type: 'uploadArrow', queryId: 'bad-ipc', tableName: 'x; drop table y' }, new Uint8Array(10)),
    ];
    for (let round = 0; round < 5; round++) {
      for (const message of hostile) {
        if (typeof message === 'string') client.send(message);
        else client.sendBinary(message);
      }
    }
    // Everything before this query has been handled once its answer comes.
    expect(await client.rows('select 2 as n')).toEqual([{ n: 2 }]);
    expect(client.replies.filter((reply) => reply.kind === 'bad-text' || reply.kind === 'bad-binary')).toEqual([]);
    expect(client.replies.filter((reply) => reply.type === 'error' && reply.code === 'internal_error')).toEqual([]);
    expect(logs.filter((line) => line.level === 'error' || line.level === 'fatal')).toEqual([]);
    await client.close();
  });
});

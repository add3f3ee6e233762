import { encodeFrame } from '@duckwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

let server: DuckwireServer;
let client: TestClient;

beforeAll(async () => {
  ({ server } = await startTestServer());
  client = await TestClient.connect(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
});

describe('a baseline connection (no duckwire.v1 subprotocol)', () => {
  it.each([
    ['params', { type: 'arrow', sql: 'select ? as x', params: [1] }],
    ['stream', { type: 'arrow', sql: 'select 1', stream: true }],
    ['timeoutMs', { type: 'exec', sql: 'select 1', timeoutMs: 100 }],
    ['temporal', { type: 'json', sql: 'select 1', temporal: 'iso' }],
  ])('refuses the v1 field %s with not_negotiated for that query', async (feature, message) => {
    const queryId = `nn-${feature}`;
    client.send({ ...message, queryId });
    const reply = await client.terminal(queryId);
    expect(reply).toMatchObject({ type: 'error', queryId, code: 'not_negotiated' });
    if (reply.type === 'error') expect(reply.error).toContain(feature);
  });

  it.each(['fetch', 'beginSession', 'endSession'])('refuses the v1 message %s with not_negotiated', async (type) => {
    const queryId = `nn-${type}`;
    client.send(type === 'fetch' ? { type, queryId, rows: 1 } : { type, queryId });
    expect(await client.terminal(queryId)).toMatchObject({ type: 'error', queryId, code: 'not_negotiated' });
  });

  it('refuses v1 binary headers with not_negotiated', async () => {
    client.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: 'nn-chunk' }, new Uint8Array(0)));
    expect(await client.terminal('nn-chunk')).toMatchObject({ type: 'error', code: 'not_negotiated' });
    client.sendBinary(encodeFrame({ type: 'uploadArrow', queryId: 'nn-up', tableName: 't', chunked: true }, new Uint8Array(0)));
    expect(await client.terminal('nn-up')).toMatchObject({ type: 'error', code: 'not_negotiated' });
  });

  it('answers ping with pong, echoing its id', async () => {
    client.send({ type: 'ping', id: 'p-1' });
    expect(await client.waitFor((reply) => reply.type === 'pong')).toMatchObject({ type: 'pong', id: 'p-1' });
    client.send({ type: 'ping' });
    const pong = await client.waitFor((reply) => reply.type === 'pong');
    expect(pong).toEqual({ type: 'pong', kind: 'text' });
  });

  it('still runs the same query without v1 fields', async () => {
    const reply = await client.query('json', 'select 1 as x');
    expect(reply).toMatchObject({ type: 'json', data: '[{"x":1}]' });
  });
});

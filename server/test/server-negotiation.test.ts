import { Capability, validateServerMessage } from '@duckwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

/** Open a raw socket offering `protocols` and collect its first text messages. */
function open(url: string, protocols: string[]): Promise<{ ws: WebSocket; first: Promise<string> }> {
  const ws = new WebSocket(url, protocols);
  const first = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, first }));
    ws.once('error', reject);
  });
}

describe('duckwire.v1 negotiation without auth', () => {
  let server: DuckwireServer;
  beforeAll(async () => {
    ({ server } = await startTestServer());
  });
  afterAll(() => server.close());

  it('selects duckwire.v1 and sends hello first, with versions (auth is off)', async () => {
    const { ws, first } = await open(server.url, ['duckwire.v1']);
    expect(ws.protocol).toBe('duckwire.v1');
    const hello = JSON.parse(await first);
    expect(validateServerMessage(hello).ok).toBe(true);
    expect(hello).toMatchObject({ type: 'hello', protocol: 'duckwire.v1', auth: 'none' });
    expect(hello.capabilities).toContain('ping');
    expect(hello.limits.maxTextMessageBytes).toBeGreaterThan(0);
    expect(hello.server).toMatchObject({ name: '@duckwire/server', duckdb: expect.stringMatching(/^v1\./) });
    ws.close();
  });

  it('prefers duckwire.v1 among several offers and ignores unknown ones', async () => {
    const { ws, first } = await open(server.url, ['duckwire.v9', 'graphql-ws', 'duckwire.v1']);
    expect(ws.protocol).toBe('duckwire.v1');
    expect(JSON.parse(await first).type).toBe('hello');
    ws.close();
  });

  it('selects nothing for unknown subprotocols only (ws then refuses, as documented for fallback)', async () => {
    await expect(open(server.url, ['duckwire.v9'])).rejects.toThrow(/Server sent no subprotocol/);
  });

  it('sends no hello to a baseline connection: its first message is the reply to its first request', async () => {
    const { ws, first } = await open(server.url, []);
    expect(ws.protocol).toBe('');
    ws.send(JSON.stringify({ type: 'exec', sql: 'select 1', queryId: 'b1' }));
    expect(await first).toBe('{"type":"ok","queryId":"b1"}');
    ws.close();
  });

  it('announces every v1 capability of the protocol (each is implemented and tested)', async () => {
    const client = await TestClient.connect(server.url, {}, ['duckwire.v1']);
    const hello = await client.waitFor((reply) => reply.type === 'hello');
    if (hello.type !== 'hello') throw new Error('no hello');
    expect([...hello.capabilities].sort()).toEqual(Object.values(Capability).sort());
    expect(hello.compression).toEqual(['lz4', 'zstd']);
    await client.close();
  });
});

describe('duckwire.v1 negotiation with auth', () => {
  let server: DuckwireServer;
  beforeAll(async () => {
    ({ server } = await startTestServer({ authToken: 's3cret' }));
  });
  afterAll(() => server.close());

  it('sends hello before auth, without versions; the v1 authAck carries them', async () => {
    const { ws, first } = await open(server.url, ['duckwire.v1']);
    const hello = JSON.parse(await first);
    expect(hello).toMatchObject({ type: 'hello', auth: 'required' });
    expect(hello.server).toBeUndefined();
    const ack = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
    ws.send(JSON.stringify({ type: 'auth', token: 's3cret' }));
    const authAck = JSON.parse(await ack);
    expect(validateServerMessage(authAck).ok).toBe(true);
    expect(authAck).toMatchObject({ type: 'authAck', server: { name: '@duckwire/server' } });
    ws.close();
  });

  it('a baseline client still gets the bare authAck', async () => {
    const { ws, first } = await open(server.url, []);
    ws.send(JSON.stringify({ type: 'auth', token: 's3cret' }));
    expect(await first).toBe('{"type":"authAck"}');
    ws.close();
  });

  it('a wrong token on a v1 connection is refused as in the baseline (hello, then error and 4401)', async () => {
    const client = await TestClient.connect(server.url, {}, ['duckwire.v1']);
    client.send({ type: 'auth', token: 'nope' });
    expect((await client.closed).code).toBe(4401);
    expect(client.replies.map((reply) => reply.type)).toEqual(['hello', 'error']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

const TOKEN = 's3cret-token';
let server: DuckwireServer;
let http: string;
let logs: Array<Record<string, unknown>>;

beforeAll(async () => {
  ({ server, logs } = await startTestServer({ authToken: TOKEN }));
  http = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
});

describe('auth on', () => {
  it('accepts the right token, then queries', async () => {
    const client = await TestClient.connect(server.url);
    client.send({ type: 'auth', token: TOKEN });
    expect(await client.waitFor((r) => r.type === 'authAck')).toMatchObject({ type: 'authAck' });
    expect(await client.rows('select 1 as x')).toEqual([{ x: 1 }]);
    await client.close();
  });

  it('refuses a query before auth: unauthorized error without queryId, then close 4401', async () => {
    const client = await TestClient.connect(server.url);
    client.send({ type: 'json', sql: 'select 1', queryId: 'sneaky' });
    const reply = await client.waitFor((r) => r.type === 'error');
    expect(reply).toMatchObject({ type: 'error', code: 'unauthorized' });
    if (reply.type === 'error') {
      expect(reply.error).toMatch(/unauthorized/);
      expect(reply.queryId).toBeUndefined();
    }
    expect((await client.closed).code).toBe(4401);
  });

  it('refuses a binary frame before auth and closes', async () => {
    const client = await TestClient.connect(server.url);
    client.sendBinary(Uint8Array.of(0, 0, 0, 2, 0x7b, 0x7d));
    const reply = await client.waitFor((r) => r.type === 'error');
    expect(reply).toMatchObject({ code: 'unauthorized' });
    expect((await client.closed).code).toBe(4401);
  });

  it('refuses invalid JSON before auth and closes', async () => {
    const client = await TestClient.connect(server.url);
    client.send('{');
    expect(await client.waitFor((r) => r.type === 'error')).toMatchObject({ code: 'unauthorized' });
    expect((await client.closed).code).toBe(4401);
  });

  it('refuses a wrong token and closes', async () => {
    const client = await TestClient.connect(server.url);
    client.send({ type: 'auth', token: 'wrong' });
    expect(await client.waitFor((r) => r.type === 'error')).toMatchObject({ code: 'unauthorized' });
    expect((await client.closed).code).toBe(4401);
  });

  it('keeps auth per socket: a second socket from the same host must authenticate itself', async () => {
    const first = await TestClient.connect(server.url);
    first.send({ type: 'auth', token: TOKEN });
    await first.waitFor((r) => r.type === 'authAck');
    const second = await TestClient.connect(server.url);
    second.send({ type: 'json', sql: 'select 1', queryId: 'x' });
    expect(await second.waitFor((r) => r.type === 'error')).toMatchObject({ code: 'unauthorized' });
    expect((await second.closed).code).toBe(4401);
    expect(await first.rows('select 3 as three')).toEqual([{ three: 3 }]);
    await first.close();
  });

  it('names the remote address of every auth failure in the log', async () => {
    const client = await TestClient.connect(server.url);
    client.send({ type: 'auth', token: 'wrong-again' });
    await client.closed;
    expect((await fetch(`${http}/version`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const failures = logs.filter((line) => /unauthorized/.test(String(line.msg)));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    for (const line of failures) expect(line).toMatchObject({ remote: '127.0.0.1' });
    expect(failures.some((line) => line.msg === 'HTTP request refused: unauthorized' && line.path === '/version')).toBe(true);
  });

  it('never logs the token', () => {
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });

  it('guards /readyz and /version with a bearer token; /healthz stays open', async () => {
    expect((await fetch(`${http}/healthz`)).status).toBe(200);
    expect((await fetch(`${http}/readyz`)).status).toBe(401);
    expect((await fetch(`${http}/version`)).status).toBe(401);
    const bad = { headers: { authorization: 'Bearer nope' } };
    expect((await fetch(`${http}/readyz`, bad)).status).toBe(401);
    const good = { headers: { authorization: `Bearer ${TOKEN}` } };
    const ready = await fetch(`${http}/readyz`, good);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe('ok');
    const version = await fetch(`${http}/version`, good);
    expect(version.status).toBe(200);
    expect(await version.json()).toMatchObject({ name: '@duckwire/server', duckdb: expect.stringMatching(/^v1\./) });
  });
});

describe('auth off', () => {
  it('answers auth with authAck anyway and serves HTTP without a token', async () => {
    const { server: open } = await startTestServer();
    const client = await TestClient.connect(open.url);
    client.send({ type: 'auth', token: 'anything' });
    expect(await client.waitFor((r) => r.type === 'authAck')).toMatchObject({ type: 'authAck' });
    expect(await client.rows('select 1 as x')).toEqual([{ x: 1 }]);
    const base = `http://127.0.0.1:${open.port}`;
    expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok');
    expect(await (await fetch(`${base}/readyz`)).text()).toBe('ok');
    expect((await fetch(`${base}/version`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    await client.close();
    await open.close();
    // after close the port no longer answers
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});

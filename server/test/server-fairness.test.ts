// One client cannot starve the others: bounded admission (overloaded), fair turns at the DuckDB
// connection pool, query timeouts, and dropping peers that stop answering pings.
import { SUBPROTOCOL_V1 } from '@duckwire/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { DuckwireServer, ServerOptions } from '../src/index.js';
import { type Reply, TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

/** Runs until cancelled or interrupted (DuckDB would need minutes to finish it). */
const ENDLESS = 'select count(*) from range(100000000000)';

let servers: DuckwireServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function serve(options: ServerOptions): Promise<DuckwireServer> {
  const { server } = await startTestServer(options);
  servers.push(server);
  return server;
}

const v1 = (server: DuckwireServer) => TestClient.connect(server.url, {}, [SUBPROTOCOL_V1]);

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('admission', () => {
  it('refuses queries beyond --max-in-flight-per-connection at once with overloaded (retryAfterMs on v1 only)', async () => {
    const server = await serve({ maxInFlightPerConnection: 4, maxConnections: 1 });
    for (const client of [await TestClient.connect(server.url), await v1(server)]) {
      const isV1 = client.ws.protocol === SUBPROTOCOL_V1;
      for (let i = 0; i < 10; i++) client.send({ type: 'json', queryId: `q${i}`, sql: ENDLESS });
      // Refused ones are answered while the admitted ones still run.
      const refused: Reply[] = [];
      for (let i = 4; i < 10; i++) refused.push(await client.terminal(`q${i}`));
      for (const reply of refused) {
        expect(reply).toMatchObject({ type: 'error', code: 'overloaded' });
        if (reply.type !== 'error') continue;
        expect(reply.error).toContain('maxInFlightPerConnection');
        if (isV1) expect(reply.retryAfterMs).toBeGreaterThan(0);
        else expect(reply).not.toHaveProperty('retryAfterMs');
      }
      for (let i = 0; i < 4; i++) client.send({ type: 'cancel', queryId: `q${i}` });
      for (let i = 0; i < 4; i++) expect(await client.terminal(`q${i}`)).toMatchObject({ code: 'cancelled' });
      // Capacity is given back: the connection can run queries again.
      expect(await client.rows('select 42 as n')).toEqual([{ n: 42 }]);
      await client.close();
    }
  });

  it('refuses queries beyond --max-in-flight across connections, and announces both bounds in hello', async () => {
    const server = await serve({ maxInFlight: 3, maxInFlightPerConnection: 2, maxConnections: 1 });
    const a = await v1(server);
    const hello = await a.waitFor((reply) => reply.type === 'hello');
    expect(hello).toMatchObject({ limits: { maxInFlightPerConnection: 2, maxInFlightPerServer: 3 } });
    const b = await TestClient.connect(server.url);
    a.send({ type: 'json', queryId: 'a1', sql: ENDLESS });
    a.send({ type: 'json', queryId: 'a2', sql: ENDLESS });
    b.send({ type: 'json', queryId: 'b1', sql: ENDLESS });
    await until(() => server.busyConnections === 1);
    const refused = await b.query('json', 'select 1', { queryId: 'b2' });
    expect(refused).toMatchObject({ type: 'error', code: 'overloaded' });
    if (refused.type === 'error') expect(refused.error).toContain('maxInFlightPerServer');
    for (const [client, id] of [[a, 'a1'], [a, 'a2'], [b, 'b1']] as const) client.send({ type: 'cancel', queryId: id });
    for (const [client, id] of [[a, 'a1'], [a, 'a2'], [b, 'b1']] as const) await client.terminal(id);
    expect(await b.rows('select 1 as n')).toEqual([{ n: 1 }]);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('fair turns at the connection pool', () => {
  it("serves a bystander's query after at most a few of a flooding socket's queued ones", async () => {
    const server = await serve({ maxConnections: 1, maxInFlightPerConnection: 1000 });
    const flood = await TestClient.connect(server.url);
    const bystander = await TestClient.connect(server.url);
    const FLOOD = 200;
    for (let i = 0; i < FLOOD; i++) {
      flood.send({ type: 'json', queryId: `f${i}`, sql: 'select count(*) as n from range(300000)' });
    }
    // The whole flood is queued before the bystander asks.
    await flood.terminal('f0');
    const answered = await bystander.query('json', 'select 1 as one');
    expect(answered.type).toBe('json');
    const floodDoneBefore = flood.replies.filter((reply) => reply.type === 'json').length;
    // First come, first served would answer the bystander after all 200.
    expect(floodDoneBefore).toBeLessThan(10);
    for (let i = 1; i < FLOOD; i++) await flood.terminal(`f${i}`);
    await Promise.all([flood.close(), bystander.close()]);
  });
});

describe('query timeout', () => {
  it('interrupts a query past --query-timeout and answers code timeout, then runs the next query', async () => {
    const server = await serve({ queryTimeoutMs: 150 });
    const client = await TestClient.connect(server.url);
    for (const type of ['json', 'arrow', 'exec'] as const) {
      const reply = await client.query(type, ENDLESS);
      expect(reply).toMatchObject({ type: 'error', code: 'timeout' });
      if (reply.type === 'error') expect(reply.error).toContain('150 ms');
    }
    expect(await client.rows('select 7 as n')).toEqual([{ n: 7 }]);
    await client.close();
  });

  it('applies a v1 query its own timeoutMs (capability timeout), and the smaller of it and the server timeout', async () => {
    const server = await serve({ queryTimeoutMs: 60_000 });
    const client = await v1(server);
    const hello = await client.waitFor((reply) => reply.type === 'hello');
    expect(hello).toMatchObject({ capabilities: expect.arrayContaining(['timeout']), limits: { queryTimeoutMs: 60_000 } });
    const reply = await client.query('json', ENDLESS, { timeoutMs: 100 });
    expect(reply).toMatchObject({ type: 'error', code: 'timeout' });
    if (reply.type === 'error') expect(reply.error).toContain('100 ms');
    // A timeout that comes after the statement took effect does not turn its success into an error.
    expect(await client.query('exec', 'create table fast as select 1 as x', { timeoutMs: 60_000 })).toMatchObject({
      type: 'ok',
    });
    await client.close();
  });
});

describe('liveness', () => {
  it('drops a peer that stops answering pings and interrupts its queries', async () => {
    const server = await serve({ pingIntervalMs: 50 });
    const silent = await TestClient.connect(server.url, { autoPong: false });
    const alive = await TestClient.connect(server.url);
    silent.send({ type: 'json', queryId: 'endless', sql: ENDLESS });
    await until(() => server.busyConnections === 1);
    const closed = await silent.closed;
    expect(closed.code).toBe(1006);
    // Its query was interrupted, which frees its DuckDB connection.
    await until(() => server.busyConnections === 0);
    // A peer that answers pings stays connected through the same intervals.
    expect(alive.ws.readyState).toBe(alive.ws.OPEN);
    expect(await alive.rows('select 1 as n')).toEqual([{ n: 1 }]);
    await alive.close();
  });
});

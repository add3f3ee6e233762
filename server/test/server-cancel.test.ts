import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

const LONG = 'select sum(range) as s from range(1000000000000)';

let server: DuckwireServer;

beforeAll(async () => {
  ({ server } = await startTestServer({ maxConnections: 4 }));
});
afterAll(async () => {
  await server.close();
});

/** Wait until the server has lent `count` connections (the query really runs). */
async function untilBusy(count: number): Promise<void> {
  while (server.busyConnections < count) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('cancel', () => {
  it('cancels a long query: cancelAck true, then one error containing "cancel"', async () => {
    const client = await TestClient.connect(server.url);
    const result = client.query('json', LONG, { queryId: 'long1' });
    await untilBusy(1);
    client.send({ type: 'cancel', queryId: 'long1' });
    const ack = await client.waitFor((r) => r.type === 'cancelAck');
    expect(ack).toMatchObject({ type: 'cancelAck', queryId: 'long1', cancelled: true });
    const reply = await result;
    expect(reply).toMatchObject({ type: 'error', queryId: 'long1', code: 'cancelled' });
    if (reply.type === 'error') expect(reply.error).toMatch(/cancel/i);
    // exactly one terminal reply, and the connection is usable afterwards
    expect(await client.rows('select 1 as ok')).toEqual([{ ok: 1 }]);
    expect(client.replies.filter((r) => 'queryId' in r && r.queryId === 'long1' && r.type !== 'cancelAck')).toHaveLength(1);
    await client.close();
  });

  it('cancels an arrow query too', async () => {
    const client = await TestClient.connect(server.url);
    const result = client.query('arrow', LONG, { queryId: 'long2' });
    await untilBusy(1);
    client.send({ type: 'cancel', queryId: 'long2' });
    expect(await result).toMatchObject({ type: 'error', code: 'cancelled' });
    await client.close();
  });

  it('cancels a query immediately after sending it (before DuckDB starts executing)', async () => {
    const client = await TestClient.connect(server.url);
    for (let i = 0; i < 5; i++) {
      client.send({ type: 'json', sql: LONG, queryId: `early${i}` });
      client.send({ type: 'cancel', queryId: `early${i}` });
      expect(await client.terminal(`early${i}`)).toMatchObject({ type: 'error', code: 'cancelled' });
    }
    await client.close();
  });

  it('answers cancelled:false for an unknown or finished queryId', async () => {
    const client = await TestClient.connect(server.url);
    await client.rows('select 1 as x');
    client.send({ type: 'cancel', queryId: 'q1' });
    client.send({ type: 'cancel', queryId: 'never-sent' });
    const acks = [
      await client.waitFor((r) => r.type === 'cancelAck'),
      await client.waitFor((r) => r.type === 'cancelAck'),
    ];
    expect(acks.map((ack) => ack.type === 'cancelAck' && ack.cancelled)).toEqual([false, false]);
    await client.close();
  });

  it("refuses to cancel another socket's query and leaves it running", async () => {
    const owner = await TestClient.connect(server.url);
    const intruder = await TestClient.connect(server.url);
    const result = owner.query('json', 'select sum(range) as s from range(400000000)', { queryId: 'shared-id' });
    await untilBusy(1);
    intruder.send({ type: 'cancel', queryId: 'shared-id' });
    const ack = await intruder.waitFor((r) => r.type === 'cancelAck');
    expect(ack).toMatchObject({ queryId: 'shared-id', cancelled: false });
    const reply = await result;
    expect(reply.type).toBe('json');
    if (reply.type === 'json') expect(JSON.parse(reply.data)).toEqual([{ s: 79999999800000000 }]);
    await owner.close();
    await intruder.close();
  });

  it('interrupts the queries of a socket that closes and returns their connections', async () => {
    const client = await TestClient.connect(server.url);
    for (let i = 0; i < 4; i++) client.send({ type: 'json', sql: LONG, queryId: `gone${i}` });
    await untilBusy(4);
    await client.close();
    while (server.busyConnections > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server.busyConnections).toBe(0);
    // The pool (max 4) serves new work again.
    const next = await TestClient.connect(server.url);
    expect(await next.rows('select 2 as two')).toEqual([{ two: 2 }]);
    await next.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

let server: DuckwireServer;

beforeAll(async () => {
  ({ server } = await startTestServer({ maxConnections: 8 }));
});
afterAll(async () => {
  await server.close();
});

const BIG = 'select range::INTEGER as a, range::DOUBLE as b, range::BIGINT as c from range(3000000)';

async function untilIdle(): Promise<void> {
  while (server.busyConnections > 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('streamed Arrow results', () => {
  it('sends a large result as one WebSocket message that decodes to every row', async () => {
    const client = await TestClient.connect(server.url);
    const reply = await client.query('arrow', BIG, { queryId: 'big' });
    expect(reply.kind).toBe('arrow');
    if (reply.kind !== 'arrow') return;
    expect(reply.table.numRows).toBe(3_000_000);
    expect(reply.table.getChild('c')?.get(2_999_999)).toBe(2_999_999n);
    expect(client.replies.filter((r) => 'queryId' in r && r.queryId === 'big')).toHaveLength(1);
    await client.close();
  });

  it('keeps other replies whole while a large result streams on the same socket', async () => {
    const client = await TestClient.connect(server.url);
    const big = client.query('arrow', BIG, { queryId: 'big2' });
    const small = await Promise.all([1, 2, 3, 4, 5].map((i) => client.query('json', `select ${i} as i`)));
    expect(small.every((reply) => reply.type === 'json')).toBe(true);
    const reply = await big;
    expect(reply.kind === 'arrow' && reply.table.numRows).toBe(3_000_000);
    await client.close();
  });

  it('waits for a client that does not read, and loses nothing', async () => {
    const client = await TestClient.connect(server.url);
    client.ws.pause();
    const pending = client.query('arrow', BIG, { queryId: 'slow' });
    // While the client reads nothing, the server holds the query open rather than buffering it all or dropping it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.busyConnections).toBe(1);
    client.ws.resume();
    const reply = await pending;
    expect(reply.kind === 'arrow' && reply.table.numRows).toBe(3_000_000);
    await untilIdle();
    await client.close();
  });

  it('stops the query and frees its connection when the client disconnects mid-result', async () => {
    const client = await TestClient.connect(server.url);
    client.ws.pause();
    client.send({ type: 'arrow', sql: 'select range as a from range(100000000)', queryId: 'drop' });
    while (server.busyConnections < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    client.ws.terminate();
    await untilIdle();
    expect(server.busyConnections).toBe(0);
  });

  it('refuses a result over maxRows with result_too_large and never a partial table', async () => {
    const client = await TestClient.connect(server.url);
    const reply = await client.query('arrow', BIG, { queryId: 'limited', maxRows: 1_000_000 });
    // A result cut short after streaming began arrives as an undecodable message, then the error.
    const replies = client.replies.filter((r) => 'queryId' in r && r.queryId === 'limited');
    expect(replies.some((r) => r.kind === 'arrow')).toBe(false);
    const error = replies.find((r) => r.type === 'error');
    expect(error).toMatchObject({ type: 'error', code: 'result_too_large' });
    expect(reply.kind === 'arrow').toBe(false);
    await client.close();
  });

  it('refuses a small result over maxRows before sending anything', async () => {
    const client = await TestClient.connect(server.url);
    const reply = await client.query('arrow', 'select * from range(100)', { maxRows: 10 });
    expect(reply).toMatchObject({ type: 'error', code: 'result_too_large' });
    const json = await client.query('json', 'select * from range(100)', { maxRows: 10 });
    expect(json).toMatchObject({ type: 'error', code: 'result_too_large' });
    await client.close();
  });

  it('streams a large json result as one text message holding every row', async () => {
    const client = await TestClient.connect(server.url);
    const reply = await client.query('json', "select range as i, 'row ' || range as s from range(300000)", { queryId: 'bigjson' });
    expect(reply.type).toBe('json');
    if (reply.type !== 'json') return;
    const rows = JSON.parse(reply.data);
    expect(rows).toHaveLength(300_000);
    expect(rows[299_999]).toEqual({ i: 299_999, s: 'row 299999' });
    await client.close();
  });

  it('aborts a json result cut short mid-stream: invalid text, then the error', async () => {
    const client = await TestClient.connect(server.url);
    const reply = await client.query('json', "select range as i, 'row ' || range as s from range(300000)", {
      queryId: 'cutjson',
      maxBytes: 3_000_000,
    });
    expect(reply).toMatchObject({ type: 'error', code: 'result_too_large' });
    expect(client.replies.some((r) => r.type === 'json' && r.queryId === 'cutjson')).toBe(false);
    expect(client.replies.some((r) => r.kind === 'bad-text')).toBe(true);
    expect(await client.rows('select 1 as fine')).toEqual([{ fine: 1 }]);
    await client.close();
  });
});

describe('shutdown with a client that does not read', () => {
  it('cancels the stalled result, cuts the socket off and finishes', async () => {
    const { server: own } = await startTestServer();
    const client = await TestClient.connect(own.url);
    client.ws.pause();
    client.send({ type: 'arrow', sql: BIG, queryId: 'stalled' });
    while (own.busyConnections < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await own.close();
    expect(own.busyConnections).toBe(0);
    client.ws.resume();
    const closed = await client.closed;
    expect([1001, 1006]).toContain(closed.code);
  });
});

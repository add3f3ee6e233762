// duckwire.v1 cursors against a real server (docs/protocol.md, "Streamed results and cursors"):
// exactly fetchRows rows then paused, more on fetch, exact counts across split DuckDB chunks,
// invalid_state for a fetch that fits no paused cursor, the idle timeout, the per-connection
// limit, and a cursor abandoned by a closed socket giving its DuckDB connection back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { decodeBatch, decodeWhole, eventually, receivedFor } from './support/stream-reader.js';
import { type Reply, TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

const V1 = ['duckwire.v1'];

async function connect(server: DuckwireServer): Promise<TestClient> {
  const client = await TestClient.connect(server.url, {}, V1);
  await client.waitFor((reply) => reply.type === 'hello');
  return client;
}

const pausedOf = (queryId: string) => (reply: Reply) => reply.type === 'paused' && reply.queryId === queryId;

/** Rows of the batch frames of `queryId` received so far. */
const rowsReceived = (client: TestClient, queryId: string) =>
  client.replies.reduce((sum, r) => sum + (r.kind === 'frame' && r.type === 'batch' && r.queryId === queryId ? r.rows! : 0), 0);

describe('duckwire.v1 cursors', () => {
  let server: DuckwireServer;
  beforeAll(async () => {
    ({ server } = await startTestServer({ maxCursorsPerConnection: 2 }));
  });
  afterAll(() => server.close());

  it('sends exactly fetchRows rows, pauses, and goes on on fetch to the end, splitting DuckDB chunks exactly', async () => {
    const client = await connect(server);
    const total = 12_345;
    client.send({ type: 'arrow', queryId: 'c1', sql: `select i from range(${total}) t(i)`, stream: true, fetchRows: 5000 });
    expect(await client.waitFor(pausedOf('c1'))).toMatchObject({ type: 'paused', rows: 5000 });
    expect(rowsReceived(client, 'c1')).toBe(5000);
    client.send({ type: 'fetch', queryId: 'c1', rows: 1 });
    expect(await client.waitFor(pausedOf('c1'))).toMatchObject({ rows: 5001 });
    expect(rowsReceived(client, 'c1')).toBe(5001);
    client.send({ type: 'fetch', queryId: 'c1', rows: 4096 });
    expect(await client.waitFor(pausedOf('c1'))).toMatchObject({ rows: 9097 });
    client.send({ type: 'fetch', queryId: 'c1', rows: 100_000 });
    const terminal = await client.terminal('c1');
    expect(terminal).toMatchObject({ type: 'end', rows: total });
    const result = receivedFor(client, 'c1', terminal);
    expect(result.replies.map((reply) => reply.type).filter((type) => type !== 'batch')).toEqual([
      'schema',
      'paused',
      'paused',
      'paused',
      'end',
    ]);
    // Every batch decodes on its own, the rows follow on without a gap or a repeat.
    let next = 0;
    for (const batch of result.batches) {
      const values = [...decodeBatch(result.schema!, batch.payload).getChild('i')!].map(Number);
      expect(values).toEqual(Array.from({ length: batch.rows }, (_, k) => next + k));
      next += batch.rows;
    }
    expect(next).toBe(total);
    expect(decodeWhole(result).numRows).toBe(total);
    await client.close();
  });

  it('a cursor whose result is smaller than fetchRows ends without pausing', async () => {
    const client = await connect(server);
    client.send({ type: 'arrow', queryId: 'c-small', sql: 'select 1 as a union all select 2', stream: true, fetchRows: 10 });
    const terminal = await client.terminal('c-small');
    expect(terminal).toMatchObject({ type: 'end', rows: 2 });
    expect(client.replies.some(pausedOf('c-small'))).toBe(false);
    await client.close();
  });

  it('fetch for what is not a paused cursor of this connection is invalid_state, without a queryId', async () => {
    const client = await connect(server);
    client.send({ type: 'fetch', queryId: 'nothing-here', rows: 10 });
    const error = await client.waitFor((reply) => reply.type === 'error');
    expect(error).toMatchObject({ type: 'error', code: 'invalid_state' });
    expect('queryId' in error ? error.queryId : undefined).toBeUndefined();

    // Another connection's paused cursor is not this connection's.
    const other = await connect(server);
    other.send({ type: 'arrow', queryId: 'theirs', sql: 'select i from range(100000) t(i)', stream: true, fetchRows: 10 });
    await other.waitFor(pausedOf('theirs'));
    client.send({ type: 'fetch', queryId: 'theirs', rows: 10 });
    expect(await client.waitFor((reply) => reply.type === 'error')).toMatchObject({ code: 'invalid_state' });
    other.send({ type: 'cancel', queryId: 'theirs' });
    expect(await other.terminal('theirs')).toMatchObject({ code: 'cancelled' });
    await other.close();
    await client.close();
  });

  it('more open cursors than allowed: the new query gets too_many_cursors; other queries and connections are not affected', async () => {
    const client = await connect(server);
    for (const queryId of ['k1', 'k2']) {
      client.send({ type: 'arrow', queryId, sql: 'select i from range(100000) t(i)', stream: true, fetchRows: 10 });
      await client.waitFor(pausedOf(queryId));
    }
    client.send({ type: 'arrow', queryId: 'k3', sql: 'select 1', stream: true, fetchRows: 10 });
    expect(await client.terminal('k3')).toMatchObject({ type: 'error', code: 'too_many_cursors' });
    // A stream without fetchRows is no cursor; nor is an ordinary query.
    client.send({ type: 'arrow', queryId: 'plain-stream', sql: 'select 7 as x', stream: true });
    expect(await client.terminal('plain-stream')).toMatchObject({ type: 'end', rows: 1 });
    expect(await client.query('json', 'select 8 as x')).toMatchObject({ type: 'json' });
    const other = await connect(server);
    other.send({ type: 'arrow', queryId: 'k1', sql: 'select 1 as x', stream: true, fetchRows: 10 });
    expect(await other.terminal('k1')).toMatchObject({ type: 'end', rows: 1 });
    await other.close();
    // End one: a new cursor is allowed again.
    client.send({ type: 'cancel', queryId: 'k1' });
    expect(await client.terminal('k1')).toMatchObject({ code: 'cancelled' });
    client.send({ type: 'arrow', queryId: 'k4', sql: 'select 1 as x', stream: true, fetchRows: 10 });
    expect(await client.terminal('k4')).toMatchObject({ type: 'end', rows: 1 });
    client.send({ type: 'cancel', queryId: 'k2' });
    await client.terminal('k2');
    await client.close();
  });

  it('cancel of a paused cursor ends it with one terminal error', async () => {
    const client = await connect(server);
    client.send({ type: 'arrow', queryId: 'pc', sql: 'select i from range(1000000) t(i)', stream: true, fetchRows: 50 });
    await client.waitFor(pausedOf('pc'));
    client.send({ type: 'cancel', queryId: 'pc' });
    expect(await client.terminal('pc')).toMatchObject({ type: 'error', code: 'cancelled' });
    expect(await client.waitFor((reply) => reply.type === 'cancelAck')).toMatchObject({ cancelled: true });
    await client.close();
  });

  it('a cursor abandoned by a closed socket is discarded and its DuckDB connection released', async () => {
    const client = await connect(server);
    for (const queryId of ['a1', 'a2']) {
      client.send({ type: 'arrow', queryId, sql: 'select i from range(10000000) t(i)', stream: true, fetchRows: 1000 });
      await client.waitFor(pausedOf(queryId));
    }
    // Each paused cursor holds a pooled connection.
    expect(server.busyConnections).toBe(2);
    client.ws.terminate();
    await eventually(() => server.busyConnections === 0);
    // The server is fine and the connections are usable.
    const next = await connect(server);
    expect(await next.query('json', 'select 5 as x')).toMatchObject({ type: 'json', data: '[{"x":5}]' });
    await next.close();
  });
});

describe('duckwire.v1 cursor idle timeout', () => {
  let server: DuckwireServer;
  beforeAll(async () => {
    ({ server } = await startTestServer({ cursorIdleTimeoutMs: 300 }));
  });
  afterAll(() => server.close());

  it('an idle paused cursor ends with cursor_timeout and gives its connection back', async () => {
    const client = await connect(server);
    client.send({ type: 'arrow', queryId: 'idle', sql: 'select i from range(1000000) t(i)', stream: true, fetchRows: 100 });
    await client.waitFor(pausedOf('idle'));
    expect(await client.terminal('idle')).toMatchObject({ type: 'error', queryId: 'idle', code: 'cursor_timeout' });
    await eventually(() => server.busyConnections === 0);
    // A fetch after the timeout fits no paused cursor.
    client.send({ type: 'fetch', queryId: 'idle', rows: 10 });
    expect(await client.waitFor((reply) => reply.type === 'error' && reply.code === 'invalid_state')).toBeTruthy();
    await client.close();
  });
});

// duckwire.v1 streamed results against a real server (docs/protocol.md, "Streamed results and
// cursors"): schema, batch… and end frames, each batch decodable on arrival; cancel and failure
// mid-stream end the stream with exactly one terminal reply; request fields that do not go together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { decodeBatch, decodeWhole, receivedFor, streamQuery } from './support/stream-reader.js';
import { type Reply, TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

const V1 = ['duckwire.v1'];
const isTerminalOf = (queryId: string) => (reply: Reply) =>
  (reply.type === 'end' || reply.type === 'error') && 'queryId' in reply && reply.queryId === queryId;

describe('duckwire.v1 streamed results', () => {
  let server: DuckwireServer;
  let client: TestClient;
  beforeAll(async () => {
    ({ server } = await startTestServer());
    client = await TestClient.connect(server.url, {}, V1);
    await client.waitFor((reply) => reply.type === 'hello');
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('hello announces stream, cursor and compression with their limits and codecs', async () => {
    const hello = client.replies.find((reply) => reply.type === 'hello');
    if (hello?.type !== 'hello') throw new Error('no hello');
    expect(hello.capabilities).toEqual(expect.arrayContaining(['stream', 'cursor', 'compression']));
    expect(hello.compression).toEqual(['lz4', 'zstd']);
    expect(hello.limits).toMatchObject({ maxCursorsPerConnection: 8, cursorIdleTimeoutMs: 60000 });
  });

  it('sends schema, numbered batches decodable one by one on arrival, and end with the totals', async () => {
    const rows = 300_000;
    const result = await streamQuery(client, 's1', `select i, i::VARCHAR as s from range(${rows}) t(i)`);
    expect(result.terminal).toMatchObject({ type: 'end', queryId: 's1', rows, batches: result.batches.length });
    // Order: schema first, then batches, then end.
    expect(result.replies.map((reply) => reply.type)).toEqual(['schema', ...result.batches.map(() => 'batch'), 'end']);
    expect(result.batches.map((batch) => batch.seq)).toEqual(result.batches.map((_, i) => i));
    // The first batch is the first DuckDB chunk; later ones grow.
    expect(result.batches[0].rows).toBe(2048);
    expect(result.batches.length).toBeGreaterThan(2);
    expect(Math.max(...result.batches.map((batch) => batch.rows))).toBeGreaterThan(2048 * 8);
    let next = 0;
    for (const batch of result.batches) {
      const table = decodeBatch(result.schema!, batch.payload);
      expect(table.numRows).toBe(batch.rows);
      expect(Number(table.getChild('i')!.get(0))).toBe(next);
      expect(table.getChild('s')!.get(batch.rows - 1)).toBe(String(next + batch.rows - 1));
      next += batch.rows;
    }
    expect(next).toBe(rows);
    const whole = decodeWhole(result);
    expect(whole.numRows).toBe(rows);
    expect(Number(whole.getChild('i')!.get(rows - 1))).toBe(rows - 1);
    const end = result.terminal;
    if (end.type !== 'end') throw new Error('no end');
    const payloadBytes = result.schema!.byteLength + result.batches.reduce((sum, batch) => sum + batch.payload.byteLength, 0);
    expect(end.bytes).toBe(payloadBytes);
    expect(end.elapsedMs).toBeGreaterThan(0);
  });

  it('an empty result is a schema and end with zero rows and batches', async () => {
    const result = await streamQuery(client, 's-empty', 'select 1 as x where false');
    expect(result.terminal).toMatchObject({ type: 'end', rows: 0, batches: 0 });
    expect(decodeWhole(result).schema.fields.map((field) => field.name)).toEqual(['x']);
  });

  it('a statement without a result set answers ok', async () => {
    expect((await streamQuery(client, 's-ddl', 'create table streamed_t as select 1 as a')).terminal).toMatchObject({
      type: 'ok',
    });
  });

  it('cancel mid-stream ends the stream with one terminal error (cancelled), and the connection works on', async () => {
    client.send({ type: 'arrow', queryId: 's-cancel', sql: 'select i, i * 2 as j from range(200000000) t(i)', stream: true });
    await client.waitFor((reply) => reply.kind === 'frame' && reply.type === 'batch' && reply.queryId === 's-cancel');
    client.send({ type: 'cancel', queryId: 's-cancel' });
    const terminal = await client.terminal('s-cancel');
    expect(terminal).toMatchObject({ type: 'error', queryId: 's-cancel', code: 'cancelled' });
    expect(await client.waitFor((reply) => reply.type === 'cancelAck')).toMatchObject({ cancelled: true });
    // Nothing of the query after its terminal reply, and only one terminal reply.
    client.send({ type: 'ping', id: 'after-cancel' });
    await client.waitFor((reply) => reply.type === 'pong');
    const replies = receivedFor(client, 's-cancel', terminal).replies;
    expect(replies.filter(isTerminalOf('s-cancel'))).toHaveLength(1);
    expect(replies.at(-1)).toBe(terminal);
    expect(await client.query('json', 'select 3 as x')).toMatchObject({ type: 'json', data: '[{"x":3}]' });
  });

  it('a failure deep into the result (a failed cast) ends the stream with one terminal error after some batches', async () => {
    const result = await streamQuery(
      client,
      's-fail',
      `select (case when i = 2500000 then 'not a number' else i::VARCHAR end)::INTEGER as v from range(5000000) t(i)`,
    );
    expect(result.terminal).toMatchObject({ type: 'error', queryId: 's-fail', code: 'query_failed' });
    expect(result.batches.length).toBeGreaterThan(0);
    client.send({ type: 'ping', id: 'after-fail' });
    await client.waitFor((reply) => reply.type === 'pong' && reply.id === 'after-fail');
    expect(receivedFor(client, 's-fail', result.terminal).replies.filter(isTerminalOf('s-fail'))).toHaveLength(1);
    expect(await client.query('json', 'select 4 as x')).toMatchObject({ type: 'json' });
  });

  it.each([
    [{ type: 'json', sql: 'select 1', stream: true }, 'stream requires type arrow'],
    [{ type: 'json', sql: 'select 1', compression: 'lz4' }, 'compression requires type arrow'],
    [{ type: 'arrow', sql: 'select 1', stream: true, persist: true }, 'stream cannot be combined with persist'],
    [{ type: 'arrow', sql: 'select 1', fetchRows: 3 }, 'fetchRows requires stream: true'],
  ])('refuses %j with invalid_message', async (message, text) => {
    const queryId = `bad-${text.replaceAll(' ', '-').replace(/[^a-z-]/g, '')}`;
    client.send({ ...message, queryId });
    expect(await client.terminal(queryId)).toMatchObject({ type: 'error', queryId, code: 'invalid_message', error: text });
  });

  it('streams of several queries on one socket interleave, each complete', async () => {
    const [a, b] = await Promise.all([
      streamQuery(client, 'm-a', 'select i from range(100000) t(i)'),
      streamQuery(client, 'm-b', 'select i * 3 as k from range(50000) t(i)'),
    ]);
    expect(decodeWhole(a).numRows).toBe(100_000);
    expect(decodeWhole(b).numRows).toBe(50_000);
    expect(Number(decodeWhole(b).getChild('k')!.get(49_999))).toBe(149_997);
  });
});

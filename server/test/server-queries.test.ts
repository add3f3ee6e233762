import { describe, expect, it } from 'vitest';
import { TestClient } from './support/test-client.js';
import { useServerAndClient } from './support/test-server.js';

const fixture = useServerAndClient();

describe('queries', () => {
  it('answers an arrow query with one binary frame holding an Arrow IPC stream', async () => {
    const reply = await fixture.client.query('arrow', 'select 1 as x, 2 as y', { queryId: 'a1' });
    expect(reply.kind).toBe('arrow');
    if (reply.kind !== 'arrow') return;
    expect(reply.queryId).toBe('a1');
    expect(reply.table.numRows).toBe(1);
    expect(reply.table.schema.fields.map((field) => field.name)).toEqual(['x', 'y']);
    expect(reply.table.getChild('x')?.get(0)).toBe(1);
  });

  it('answers an arrow query on DDL with ok', async () => {
    const reply = await fixture.client.query('arrow', 'create table ddl_ok(x int)');
    expect(reply).toMatchObject({ type: 'ok' });
  });

  it('answers a json query with data as a string of row objects, integers as numbers', async () => {
    await fixture.client.exec('create table j(x int); insert into j select range from range(3)');
    const reply = await fixture.client.query('json', 'select count(*) as n from j', { queryId: 'j1' });
    expect(reply).toMatchObject({ type: 'json', queryId: 'j1' });
    if (reply.type !== 'json') return;
    expect(typeof reply.data).toBe('string');
    expect(JSON.parse(reply.data)).toEqual([{ n: 3 }]);
  });

  it('answers exec with ok', async () => {
    const reply = await fixture.client.query('exec', 'create table e(x int)', { queryId: 'e1' });
    expect(reply).toMatchObject({ type: 'ok', queryId: 'e1' });
  });

  it('makes up a queryId when none is given and uses it in the reply', async () => {
    fixture.client.send({ type: 'exec', sql: 'select 1' });
    const reply = await fixture.client.waitFor(
      (r) => r.type === 'ok' && typeof r.queryId === 'string' && !r.queryId.startsWith('q'),
    );
    expect(reply.type).toBe('ok');
  });

  it('runs several statements and returns the result of the last', async () => {
    const rows = await fixture.client.rows(
      'create table multi(x int); insert into multi values (7); select x from multi',
    );
    expect(rows).toEqual([{ x: 7 }]);
  });

  it('reports DuckDB errors with the queryId and code query_failed', async () => {
    const reply = await fixture.client.query('json', 'select * from no_such_table', { queryId: 'bad1' });
    expect(reply).toMatchObject({ type: 'error', queryId: 'bad1', code: 'query_failed' });
    if (reply.type === 'error') expect(reply.error).toMatch(/no_such_table/);
  });

  it.each(['arrow', 'json'] as const)('never reports a %s result that failed mid-stream as a success', async (type) => {
    const sql = "select case when range = 150000 then error('boom') else range end as x from range(300000)";
    const reply = await fixture.client.query(type, sql);
    expect(reply).toMatchObject({ type: 'error', code: 'query_failed' });
    const queryId = 'queryId' in reply ? reply.queryId : undefined;
    expect(fixture.client.replies.some((r) => r.kind === 'arrow' && r.queryId === queryId)).toBe(false);
  });

  it('runs exec to completion, so a run-time error in its statement is reported', async () => {
    const reply = await fixture.client.query(
      'exec',
      "select case when range = 150000 then error('boom') else range end from range(300000)",
    );
    expect(reply).toMatchObject({ type: 'error', code: 'query_failed' });
    if (reply.type === 'error') expect(reply.error).toMatch(/boom/);
  });

  it('replies in completion order: a quick query overtakes a slow one on the same socket', async () => {
    const order: string[] = [];
    const slow = fixture.client
      .query('json', 'select sum(range) as s from range(300000000)', { queryId: 'slow' })
      .then((r) => {
        order.push('slow');
        return r;
      });
    const quick = fixture.client.query('json', 'select 42 as v', { queryId: 'quick' }).then((r) => {
      order.push('quick');
      return r;
    });
    const [slowReply, quickReply] = await Promise.all([slow, quick]);
    expect(order).toEqual(['quick', 'slow']);
    expect(slowReply.type).toBe('json');
    expect(quickReply.type).toBe('json');
  });

  it('runs queries of one socket on separate connections in parallel', async () => {
    const pending = [1, 2, 3, 4].map((i) =>
      fixture.client.query('json', `select sum(range) as s from range(${50000000 + i})`, { queryId: `par${i}` }),
    );
    // While they run, several pool connections are lent at once.
    let peak = 0;
    const probe = setInterval(() => {
      peak = Math.max(peak, fixture.server.busyConnections);
    }, 1);
    const replies = await Promise.all(pending);
    clearInterval(probe);
    expect(replies.every((reply) => reply.type === 'json')).toBe(true);
    expect(peak).toBeGreaterThan(1);
  });

  it('refuses a queryId that is already in flight on the same socket', async () => {
    fixture.client.send({ type: 'json', sql: 'select sum(range) as s from range(200000000)', queryId: 'dup' });
    fixture.client.send({ type: 'json', sql: 'select 1 as x', queryId: 'dup' });
    // Not the end of the query it names: that one runs on and ends with its own reply.
    const first = await fixture.client.waitFor((r) => r.type === 'error' && r.queryId === 'dup');
    expect(first).toMatchObject({ type: 'error', code: 'duplicate_query_id' });
    const second = await fixture.client.terminal('dup');
    expect(second.type).toBe('json');
  });
});

describe('bad input', () => {
  it('echoes a queryId only when it is valid: never one over 1024 characters', async () => {
    const longest = 'q'.repeat(1024);
    fixture.client.send({ type: 'json', queryId: longest });
    expect(await fixture.client.waitFor((r) => r.type === 'error')).toMatchObject({
      code: 'invalid_message',
      queryId: longest,
    });
    fixture.client.send({ type: 'json', queryId: `${longest}q` });
    const reply = await fixture.client.waitFor((r) => r.type === 'error');
    expect(reply).toMatchObject({ type: 'error', code: 'invalid_message' });
    expect('queryId' in reply && reply.queryId).toBeFalsy();
  });

  it('answers invalid JSON with invalid_json and keeps the connection', async () => {
    fixture.client.send('{not json');
    const reply = await fixture.client.waitFor((r) => r.type === 'error' && r.code === 'invalid_json');
    expect(reply).toMatchObject({ type: 'error', code: 'invalid_json' });
    expect('queryId' in reply && reply.queryId).toBeFalsy();
    expect(await fixture.client.rows('select 1 as still_open')).toEqual([{ still_open: 1 }]);
  });

  it('answers an unknown type with unknown_type', async () => {
    fixture.client.send({ type: 'explode', queryId: 'u1' });
    const reply = await fixture.client.terminal('u1');
    expect(reply).toMatchObject({ type: 'error', code: 'unknown_type', queryId: 'u1' });
  });

  it('answers a missing sql with invalid_message naming the field', async () => {
    fixture.client.send({ type: 'json', queryId: 'm1' });
    const reply = await fixture.client.terminal('m1');
    expect(reply).toMatchObject({ type: 'error', code: 'invalid_message', queryId: 'm1' });
    if (reply.type === 'error') expect(reply.error).toMatch(/sql/);
  });

  it('answers a non-string sql with invalid_message', async () => {
    fixture.client.send({ type: 'arrow', sql: 42, queryId: 'm2' });
    const reply = await fixture.client.terminal('m2');
    expect(reply).toMatchObject({ type: 'error', code: 'invalid_message', queryId: 'm2' });
  });

  it('answers a message that is not an object', async () => {
    fixture.client.send('[1,2,3]');
    const reply = await fixture.client.waitFor(
      (r) => r.type === 'error' && r.code === 'invalid_message' && !('queryId' in r && r.queryId),
    );
    expect(reply.type).toBe('error');
  });

  it.each([
    ['too short', Uint8Array.of(0, 0)],
    ['zero header length', Uint8Array.of(0, 0, 0, 0, 1, 2)],
    ['header length past the end', Uint8Array.of(0, 0, 0, 200, 123)],
    ['header not JSON', new Uint8Array([0, 0, 0, 3, 0x6e, 0x6f, 0x21])],
    ['header not an object', new Uint8Array([0, 0, 0, 1, 0x37])],
  ])('answers an ill-framed binary message (%s) with invalid_frame', async (_name, bytes) => {
    const before = fixture.client.replies.length;
    fixture.client.sendBinary(bytes);
    const reply = await fixture.client.waitFor(
      (r) => r.type === 'error' && r.code === 'invalid_frame' && fixture.client.replies.indexOf(r) >= before,
    );
    expect(reply.type).toBe('error');
    expect(await fixture.client.rows('select 1 as alive')).toEqual([{ alive: 1 }]);
  });

  it('answers a binary frame of an unknown type with unknown_type', async () => {
    const header = new TextEncoder().encode(JSON.stringify({ type: 'mystery', queryId: 'bin1' }));
    const frame = new Uint8Array(4 + header.length);
    new DataView(frame.buffer).setUint32(0, header.length);
    frame.set(header, 4);
    fixture.client.sendBinary(frame);
    const reply = await fixture.client.terminal('bin1');
    expect(reply).toMatchObject({ type: 'error', code: 'unknown_type' });
  });

  it('keeps other connections unaffected by one connection sending garbage', async () => {
    const other = await TestClient.connect(fixture.server.url);
    const noisy = await TestClient.connect(fixture.server.url);
    for (let i = 0; i < 20; i++) noisy.send(`garbage ${i}`);
    noisy.sendBinary(Uint8Array.of(9));
    expect(await other.rows('select 5 as five')).toEqual([{ five: 5 }]);
    expect(other.replies.every((r) => r.type !== 'error')).toBe(true);
    await other.close();
    await noisy.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

let server: DuckwireServer;

beforeAll(async () => {
  ({ server } = await startTestServer({ maxConnections: 4 }));
});
afterAll(() => server.close());

async function v1Client(): Promise<TestClient> {
  const client = await TestClient.connect(server.url, {}, ['duckwire.v1']);
  await client.waitFor((reply) => reply.type === 'hello');
  return client;
}

async function begin(client: TestClient, queryId = 'begin'): Promise<void> {
  client.send({ type: 'beginSession', queryId });
  expect(await client.terminal(queryId)).toMatchObject({ type: 'ok', queryId });
}

describe('v1 sessions', () => {
  it('carries SET, USE, temporary tables and a transaction across messages, one query at a time', async () => {
    const client = await v1Client();
    await begin(client);
    await client.exec("SET TimeZone = 'Asia/Tokyo'");
    await client.exec('create schema if not exists sess_schema');
    await client.exec('USE sess_schema');
    await client.exec('create temp table sess_temp as select 7 as x');
    expect(await client.rows("select current_setting('TimeZone') as tz, current_schema() as s, (select x from sess_temp) as x")).toEqual([
      { tz: 'Asia/Tokyo', s: 'sess_schema', x: 7 },
    ]);
    // Sent without waiting: they run in arrival order on the pinned connection.
    const replies = [
      client.query('exec', 'create or replace table memory.main.sess_tx(id integer)'),
      client.query('exec', 'BEGIN'),
      client.query('exec', 'insert into memory.main.sess_tx values (1), (2)'),
      client.query('json', 'select count(*) as n from memory.main.sess_tx'),
      client.query('exec', 'COMMIT'),
    ];
    const settled = await Promise.all(replies);
    expect(settled.map((reply) => reply.type)).toEqual(['ok', 'ok', 'ok', 'json', 'ok']);
    expect(settled[3]).toMatchObject({ data: '[{"n":2}]' });
    // Another socket sees the committed rows but none of the session's state.
    const other = await TestClient.connect(server.url);
    expect(await other.rows('select count(*) as n from memory.main.sess_tx')).toEqual([{ n: 2 }]);
    expect(await other.rows("select current_setting('TimeZone') as tz, current_schema() as s")).not.toContainEqual({
      tz: 'Asia/Tokyo',
      s: 'sess_schema',
    });
    expect(await other.query('json', 'select * from sess_temp')).toMatchObject({ type: 'error', code: 'query_failed' });
    await other.close();
    await client.close();
  });

  it('endSession rolls back an open transaction, resets the state and answers ok', async () => {
    const client = await v1Client();
    await begin(client);
    await client.exec('create or replace table sess_end(id integer)');
    await client.exec('create temp table sess_end_temp as select 1 as x');
    await client.exec('BEGIN');
    await client.exec('insert into sess_end values (1)');
    client.send({ type: 'endSession', queryId: 'end' });
    expect(await client.terminal('end')).toMatchObject({ type: 'ok', queryId: 'end' });
    expect(await client.rows('select count(*) as n from sess_end')).toEqual([{ n: 0 }]);
    const temp = await client.query('json', 'select * from sess_end_temp');
    expect(temp).toMatchObject({ type: 'error', code: 'query_failed', errorType: 'Catalog' });
    // A new session can start afterwards.
    await begin(client, 'again');
    client.send({ type: 'endSession', queryId: 'end-again' });
    expect(await client.terminal('end-again')).toMatchObject({ type: 'ok' });
    await client.close();
  });

  it('keeps a session transaction invisible to other sockets until it commits', async () => {
    const other = await TestClient.connect(server.url);
    await other.exec('create or replace table sess_open(id integer)');
    const client = await v1Client();
    await begin(client);
    await client.exec('BEGIN');
    await client.exec('insert into sess_open values (1), (2), (3)');
    expect(await client.rows('select count(*) as n from sess_open')).toEqual([{ n: 3 }]);
    expect(await other.rows('select count(*) as n from sess_open')).toEqual([{ n: 0 }]);
    await client.exec('COMMIT');
    expect(await other.rows('select count(*) as n from sess_open')).toEqual([{ n: 3 }]);
    await other.close();
    await client.close();
  });

  it('rolls back the open transaction of a session whose socket closes', async () => {
    // One connection: the next query after the close runs on the connection the session had.
    const { server: single } = await startTestServer({ maxConnections: 1 });
    try {
      const other = await TestClient.connect(single.url);
      await other.exec('create table sess_close(id integer)');
      const client = await TestClient.connect(single.url, {}, ['duckwire.v1']);
      await begin(client);
      await client.exec('BEGIN');
      await client.exec('insert into sess_close values (1), (2), (3)');
      // Waits for the only connection, which the session holds until its socket closes.
      const waiting = other.query('json', 'select count(*) as n from sess_close');
      await client.close();
      expect(await waiting).toMatchObject({ type: 'json', data: '[{"n":0}]' });
      // No transaction is left open on the connection, and the rows are gone for good.
      expect(await other.query('exec', 'COMMIT')).toMatchObject({ type: 'error', code: 'query_failed' });
      expect(await other.rows('select count(*) as n from sess_close')).toEqual([{ n: 0 }]);
      await other.close();
    } finally {
      await single.close();
    }
  });

  it('refuses a second beginSession and an endSession without a session with invalid_state', async () => {
    const client = await v1Client();
    client.send({ type: 'endSession', queryId: 'e0' });
    expect(await client.terminal('e0')).toMatchObject({ type: 'error', code: 'invalid_state', queryId: 'e0' });
    await begin(client);
    client.send({ type: 'beginSession', queryId: 'b2' });
    expect(await client.terminal('b2')).toMatchObject({ type: 'error', code: 'invalid_state', queryId: 'b2' });
    await client.close();
  });

  it('leaves queries without a session unaffected: no transaction carries over on the pool', async () => {
    const client = await v1Client();
    await client.exec('create or replace table sess_none(id integer)');
    await client.exec('BEGIN');
    await client.exec('insert into sess_none values (1)');
    // Without a session the BEGIN did not outlive its message: nothing to commit, the insert autocommitted.
    expect(await client.query('exec', 'COMMIT')).toMatchObject({ type: 'error', code: 'query_failed' });
    expect(await client.rows('select count(*) as n from sess_none')).toEqual([{ n: 1 }]);
    await client.close();
  });
});

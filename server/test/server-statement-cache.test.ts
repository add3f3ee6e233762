// The prepared-statement cache never changes what a query answers: DuckDB folds some values at
// bind time (settings, macros, views, variables, the schema USE picked), so a statement prepared
// before a change must not answer after it — whichever client made the change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

let server: DuckwireServer;
let client: TestClient;
let other: TestClient;

beforeAll(async () => {
  ({ server } = await startTestServer({ maxConnections: 2 }));
  client = await TestClient.connect(server.url);
  other = await TestClient.connect(server.url);
});
afterAll(async () => {
  await client.close();
  await other.close();
  await server.close();
});

const value = async (c: TestClient, sql: string) => (await c.rows(sql))[0].v;
/** The same text twice (the second run is a cache hit), after `change`: the fresh answer. */
async function answersAfter(sql: string, change: () => Promise<void>, c = client) {
  const before = await value(c, sql);
  expect(await value(c, sql)).toEqual(before);
  await change();
  return { before, after: await value(c, sql) };
}

describe('statement cache', () => {
  it('sees a setting changed by SET', async () => {
    const result = await answersAfter("select current_setting('TimeZone') as v", () =>
      client.exec("set TimeZone = 'America/New_York'"),
    );
    expect(result).toEqual({ before: 'Etc/UTC', after: 'America/New_York' });
    await client.exec("set TimeZone = 'Etc/UTC'");
  });

  it('sees a replaced macro, on the same connection and from another client', async () => {
    await client.exec('create or replace macro m() as 1');
    expect(await answersAfter('select m() as v', () => client.exec('create or replace macro m() as 2'))).toEqual({
      before: 1,
      after: 2,
    });
    expect((await answersAfter('select m() as v', () => other.exec('create or replace macro m() as 3'))).after).toBe(3);
  });

  it('sees a replaced view and a changed table schema', async () => {
    await client.exec('create or replace view vw as select 1 as v');
    expect((await answersAfter('select * from vw', () => client.exec('create or replace view vw as select 2 as v'))).after).toBe(2);
    await client.exec('create or replace table tb as select 1 as v');
    const rows = async () => client.rows('select * from tb');
    expect(await rows()).toEqual([{ v: 1 }]);
    await client.exec('alter table tb add column w int default 5');
    expect(await rows()).toEqual([{ v: 1, w: 5 }]);
  });

  it('sees the schema USE picked, and a changed search_path', async () => {
    await client.exec('create schema if not exists other_schema; create or replace table other_schema.ut as select 2 as v');
    await client.exec('create or replace table main.ut as select 1 as v');
    expect(await answersAfter('select v from ut', () => client.exec('use other_schema'))).toEqual({ before: 1, after: 2 });
    await client.exec('use main');
    expect((await answersAfter('select v from ut', () => client.exec("set search_path = 'other_schema'"))).after).toBe(2);
    await client.exec("set search_path = 'main'");
  });

  it('sees a changed variable', async () => {
    await client.exec('set variable x = 1');
    expect((await answersAfter("select getvariable('x') as v", () => client.exec('set variable x = 2'))).after).toBe(2);
  });
});

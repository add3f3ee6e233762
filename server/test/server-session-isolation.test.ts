// One client's session state (USE, SET, temporary objects, prepared statements, variables, open
// transactions) never reaches another client through a pooled DuckDB connection. One pooled
// connection makes every query of both clients run on the same DuckDB connection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { type Reply, TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'duckwire-isolation-test-'));
let server: DuckwireServer;
let a: TestClient;
let b: TestClient;

beforeAll(async () => {
  ({ server } = await startTestServer({ maxConnections: 1, noCache: false, cacheDir }));
  a = await TestClient.connect(server.url);
  b = await TestClient.connect(server.url);
});
afterAll(async () => {
  await a.close();
  await b.close();
  await server.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

const failure = (reply: Reply) => (reply.type === 'error' ? reply.error : undefined);
const one = async (client: TestClient, sql: string) => Object.values((await client.rows(sql))[0])[0];

describe('session state between clients', () => {
  it("keeps one client's USE and temporary tables from another (the reported reproduction)", async () => {
    await a.exec('create schema s3; use s3; create temp table tt as select 42 as secret');
    expect(await one(b, 'select current_schema()')).toBe('main');
    expect(failure(await b.query('json', 'select * from tt'))).toMatch(/tt/);
  });

  it("keeps a client's own session state while no other client used its connection", async () => {
    await a.exec('use s3');
    expect(await one(a, 'select current_schema()')).toBe('s3');
    await a.exec('create temp table mine as select 1 as v');
    expect(await a.rows('select v from mine')).toEqual([{ v: 1 }]);
  });

  it('keeps session settings, variables and prepared statements apart', async () => {
    await a.exec("set TimeZone = 'America/New_York'; set variable secret = 7; prepare p as select 99 as v");
    expect(await one(b, "select current_setting('TimeZone')")).toBe('Etc/UTC');
    expect(await one(b, "select getvariable('secret')")).toBeNull();
    expect(failure(await b.query('json', 'execute p'))).toMatch(/p/);
  });

  it('keeps temporary macros and the random seed apart', async () => {
    await a.exec('create temp macro leak() as 5');
    expect(failure(await b.query('json', 'select leak()'))).toMatch(/leak/);
    await a.rows('select setseed(0.25) as v');
    const seeded = await one(a, 'select random()');
    await a.rows('select setseed(0.25) as v');
    expect(await one(b, 'select random()')).not.toBe(seeded);
  });

  it("keeps PIVOT's temporary enum type from the next client", async () => {
    await a.exec("create or replace table pv as select * from (values (1, 'only_a_sees_this')) v(n, label)");
    expect(await a.rows('pivot pv on label using sum(n)')).toEqual([{ only_a_sees_this: 1 }]);
    expect(await b.rows("select type_name from duckdb_types() where type_name like '__pivot_enum%'")).toEqual([]);
  });

  it('leaves no transaction open for the next client', async () => {
    await a.exec('create table shared(x int)');
    await a.exec('begin; insert into shared values (1)');
    expect(await one(b, 'select count(*)::int from shared')).toBe(0);
    await b.exec('insert into shared values (2)');
    expect(await one(a, 'select count(*)::int from shared')).toBe(1);
  });

  it('never shares a persist result computed with session state, nor serves a shared one to such a client', async () => {
    await a.exec('create temp table pt as select 42 as secret');
    const ask = async (client: TestClient) => {
      const reply = await client.query('json', 'select secret from pt', { persist: true });
      if (reply.type !== 'json') throw new Error(JSON.stringify(reply));
      return JSON.parse(reply.data)[0].secret;
    };
    expect(await ask(a)).toBe(42);
    await b.exec('create temp table pt as select 7 as secret');
    expect(await ask(b)).toBe(7);
    expect(await ask(b)).toBe(7);
    const c = await TestClient.connect(server.url);
    try {
      expect(failure(await c.query('json', 'select secret from pt', { persist: true }))).toMatch(/pt/);
    } finally {
      await c.close();
    }
  });

  it('answers correctly when many clients with their own schemas interleave', async () => {
    const clients = await Promise.all([1, 2, 3, 4].map(() => TestClient.connect(server.url)));
    try {
      await Promise.all(clients.map((c, i) => c.exec(`create schema if not exists s_${i}; create or replace table s_${i}.t as select ${i} as v`)));
      await Promise.all(
        clients.map(async (c, i) => {
          for (let round = 0; round < 5; round++) {
            await c.exec(`use s_${i}`);
            const got = await c.query('json', 'select v from t');
            // Another client may have taken the connection between the two messages: then the
            // USE is gone (no table t in main), never another client's schema.
            if (got.type === 'json') expect(JSON.parse(got.data)).toEqual([{ v: i }]);
            else expect(failure(got)).toMatch(/t/);
          }
        }),
      );
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});

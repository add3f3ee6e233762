import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'duckwire-cache-test-'));
let server: DuckwireServer;
let client: TestClient;

beforeAll(async () => {
  ({ server } = await startTestServer({ noCache: false, cacheDir }));
  client = await TestClient.connect(server.url);
});
afterAll(async () => {
  await client.close();
  await server.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

const RANDOM = 'select random() as r';
const value = async (extra: Record<string, unknown>) => {
  const reply = await client.query('json', RANDOM, extra);
  if (reply.type !== 'json') throw new Error(JSON.stringify(reply));
  return JSON.parse(reply.data)[0].r as number;
};

describe('result cache (persist)', () => {
  it('answers a repeated persist request from the cache, on disk', async () => {
    const first = await value({ persist: true });
    expect(await value({ persist: true })).toBe(first);
    // The entry is written to disk in the background, after the reply: wait for the file.
    const stored = () => readdirSync(cacheDir).some((file) => file.endsWith('.duckwire-cache'));
    for (let tries = 0; tries < 200 && !stored(); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stored()).toBe(true);
  });

  it('never answers a request without persist from the cache', async () => {
    const cached = await value({ persist: true });
    expect(await value({})).not.toBe(cached);
  });

  it('keys by format: json and arrow entries are separate, and arrow results are cached too', async () => {
    const a = await client.query('arrow', RANDOM, { persist: true });
    const b = await client.query('arrow', RANDOM, { persist: true });
    if (a.kind !== 'arrow' || b.kind !== 'arrow') throw new Error('expected arrow');
    expect(b.table.getChild('r')?.get(0)).toBe(a.table.getChild('r')?.get(0));
  });

  it('invalidates every entry after a write through the server', async () => {
    const before = await value({ persist: true });
    await client.exec('create table if not exists w(x int); insert into w values (1)');
    expect(await value({ persist: true })).not.toBe(before);
  });

  it('computes concurrent identical persist requests once', async () => {
    await client.exec('create table if not exists w2(x int)'); // start from an empty cache
    const values = await Promise.all([1, 2, 3, 4, 5, 6].map(() => value({ persist: true })));
    expect(new Set(values).size).toBe(1);
  });

  it('applies limits to cached results too', async () => {
    await value({ persist: true });
    const reply = await client.query('json', 'select * from range(10)', { persist: true, maxRows: 5 });
    expect(reply).toMatchObject({ type: 'error', code: 'result_too_large' });
    const ok = await client.query('json', 'select * from range(10)', { persist: true });
    expect(ok.type).toBe('json');
    const again = await client.query('json', 'select * from range(10)', { persist: true, maxRows: 5 });
    expect(again).toMatchObject({ type: 'error', code: 'result_too_large' });
  });
});

describe('cache hits and the connection pool', () => {
  it('answers a cache hit while every connection is busy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duckwire-cache-pool-'));
    const { server: small } = await startTestServer({ noCache: false, cacheDir: dir, maxConnections: 1 });
    const other = await TestClient.connect(small.url);
    const first = await other.query('json', RANDOM, { persist: true });
    other.send({ type: 'json', sql: 'select sum(range) from range(1000000000000)', queryId: 'hog' });
    while (small.busyConnections < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    const hit = await other.query('json', RANDOM, { persist: true });
    expect(hit).toEqual(expect.objectContaining({ type: 'json', data: (first as { data: string }).data }));
    other.send({ type: 'cancel', queryId: 'hog' });
    expect(await other.terminal('hog')).toMatchObject({ code: 'cancelled' });
    await other.close();
    await small.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('--no-cache', () => {
  it('ignores persist', async () => {
    const { server: uncached } = await startTestServer({ noCache: true });
    const other = await TestClient.connect(uncached.url);
    const read = async () => {
      const reply = await other.query('json', RANDOM, { persist: true });
      return reply.type === 'json' ? JSON.parse(reply.data)[0].r : undefined;
    };
    expect(await read()).not.toBe(await read());
    await other.close();
    await uncached.close();
  });
});

// The plain client against a real server: Arrow, JSON and exec queries, errors, concurrency, cancel, timeouts.
import { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckwireClient, ServerError, connect, jsonSourceTextAvailable } from '../src/node.js';
import { useDuckwire } from './support/server.js';

const duckwire = useDuckwire();
let client: DuckwireClient;
beforeAll(async () => {
  client = await connect(duckwire.url);
});
afterAll(() => client?.close());

describe('queries', () => {
  it('returns Arrow tables of the app’s apache-arrow', async () => {
    const table = await client.query('select 42::integer as answer, $$héllo$$ as text');
    expect(table).toBeInstanceOf(Table);
    expect(table.numRows).toBe(1);
    expect(table.toArray()[0]?.toJSON()).toEqual({ answer: 42, text: 'héllo' });
  });

  it('resolves an arrow query without a result set with an empty table', async () => {
    const table = await client.query('create or replace table q_empty(x int)');
    expect(table).toBeInstanceOf(Table);
    expect(table.numRows).toBe(0);
  });

  const typesSql = `select 9007199254740993::bigint as big, 12::bigint as small, 170141183460469231731687303715884105727::hugeint as huge,
              1.10::decimal(5,2) as dec, date '2024-01-31' as d, timestamp '2024-01-31 13:45:00.123456' as ts,
              [1, 2] as list, {'a': 1, 'b': 'x'} as struct`;
  const typedRow = {
    big: 9007199254740993n,
    small: 12,
    huge: 170141183460469231731687303715884105727n,
    dec: 1.1,
    list: [1, 2],
    struct: { a: 1, b: 'x' },
  };

  it('returns json rows with exact big integers, decimals and temporal values as documented', async () => {
    expect(jsonSourceTextAvailable).toBe(true);
    // A duckwire.v1 connection (the default): exact ISO 8601 text.
    expect(client.protocol).toBe('duckwire.v1');
    expect(await client.json(typesSql)).toEqual([{ ...typedRow, d: '2024-01-31', ts: '2024-01-31T13:45:00.123456' }]);
    // A baseline connection: epoch milliseconds, as the reference server writes them.
    const baseline = await connect(duckwire.url, { v1: false });
    try {
      expect(await baseline.json(typesSql)).toEqual([{ ...typedRow, d: 1706659200000, ts: 1706708700123 }]);
    } finally {
      baseline.close();
    }
  });

  it('chooses the temporal encoding per json query on a v1 connection (capability temporal)', async () => {
    expect(client.supports('temporal')).toBe(true);
    const sql = "select date '2024-01-31' as d, timestamp '2024-01-31 13:45:00.123456' as ts";
    expect(await client.json(sql, { temporal: 'epochMs' })).toEqual([{ d: 1706659200000, ts: 1706708700123 }]);
    expect(await client.json(sql, { temporal: 'iso' })).toEqual([{ d: '2024-01-31', ts: '2024-01-31T13:45:00.123456' }]);
  });

  it('runs exec statements to completion', async () => {
    await client.exec('create or replace table q_exec(x int); insert into q_exec values (1), (2), (3)');
    expect(await client.json('select count(*)::int as n from q_exec')).toEqual([{ n: 3 }]);
  });

  it('rejects failed statements with a ServerError carrying the code', async () => {
    const error = await client.query('select * from no_such_table').catch((e) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe('query_failed');
    expect(error.message).toMatch(/no_such_table/);
    expect(typeof error.queryId).toBe('string');
  });

  it('runs many queries at once over one connection, each resolving with its own result', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.json<{ i: number }>(`select ${i} as i`)),
    );
    expect(results.map((rows) => rows[0]?.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('cancels with an AbortSignal: AbortError, and the connection stays usable', async () => {
    const controller = new AbortController();
    const running = client.query('select count(*) from range(10000000000) a', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const error = await running.catch((e) => e);
    expect(error.name).toBe('AbortError');
    expect(await client.json('select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('times out a query: the server interrupts it and answers code timeout', async () => {
    const error = await client.query('select count(*) from range(10000000000) a', { timeoutMs: 200 }).catch((e) => e);
    // A v1 server enforces timeoutMs itself (the client's QueryTimeoutError is only a backstop).
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe('timeout');
    // The server interrupted it: the pool is free again.
    await expect.poll(() => duckwire.server.busyConnections, { timeout: 10_000 }).toBe(0);
  });

  it('streams a result as record batches', async () => {
    let rows = 0;
    for await (const batch of client.stream('select * from range(5000) t(i)')) rows += batch.numRows;
    expect(rows).toBe(5000);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { type Reply, TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

let server: DuckwireServer;
let client: TestClient;

beforeAll(async () => {
  // One connection: repeated queries meet the statement they prepared before.
  ({ server } = await startTestServer({ maxConnections: 1 }));
  client = await TestClient.connect(server.url, {}, ['duckwire.v1']);
  await client.waitFor((reply) => reply.type === 'hello');
});
afterAll(async () => {
  await client.close();
  await server.close();
});

/** Run a v1 json query with params and return its rows' text. */
async function data(sql: string, params: unknown): Promise<string> {
  const reply = await client.query('json', sql, { params });
  if (reply.type !== 'json') throw new Error(`query failed: ${JSON.stringify(reply)}`);
  return reply.data;
}

async function refusal(sql: string, params: unknown, type: 'json' | 'arrow' | 'exec' = 'json'): Promise<Reply> {
  return client.query(type, sql, { params });
}

describe('v1 params', () => {
  it('announces params in hello', () => {
    const hello = client.replies.find((reply) => reply.type === 'hello');
    expect(hello && hello.type === 'hello' && hello.capabilities).toContain('params');
  });

  it('binds positional ? and $n placeholders from an array of plain values', async () => {
    expect(await data('select ? as a, ? as b, ? as c, ? as d', [1, 'duck', true, null])).toBe(
      '[{"a":1,"b":"duck","c":true,"d":null}]',
    );
    expect(await data('select $2 as a, $1 as b', ['one', 2.5])).toBe('[{"a":2.5,"b":"one"}]');
    expect(await data('select ? as quote', ["it's'; drop table x; --"])).toBe(
      '[{"quote":"it\'s\'; drop table x; --"}]',
    );
  });

  it('binds named $name placeholders from an object, lists from arrays', async () => {
    expect(await data('select $name as n, $tags as t, $n + 1 as m', { name: 'duck', tags: ['a', 'b'], n: 41 })).toBe(
      '[{"n":"duck","t":["a","b"],"m":42}]',
    );
  });

  it('binds typed values JSON cannot carry faithfully, exactly', async () => {
    const rows = await data(
      `select $1 as big, $2 as huge, $3 as ubig, $4 as dec, typeof($4) as dec_type, $5 as d, $6 as t,
              $7 as ts, $8::varchar as tstz, $9 as i, $10 as u, $11 as b, $12 as nan, $13 as v`,
      [
        { $type: 'bigint', value: '9007199254740993' },
        { $type: 'hugeint', value: '-170141183460469231731687303715884105728' },
        { $type: 'ubigint', value: '18446744073709551615' },
        { $type: 'decimal', value: '-12.345', precision: 18, scale: 4 },
        { $type: 'date', value: '2024-02-29' },
        { $type: 'time', value: '13:45:00.123456' },
        { $type: 'timestamp', value: '2024-01-31T13:45:00.123456' },
        { $type: 'timestamptz', value: '2024-01-31T13:45:00.5+02:00' },
        { $type: 'interval', value: { months: 1, days: 2, micros: '3000000' } },
        { $type: 'uuid', value: '3b241101-e2bb-4255-8caf-4136c566a962' },
        { $type: 'blob', value: 'AAEC/w==' },
        { $type: 'double', value: 'NaN' },
        { $type: 'varchar', value: '42' },
      ],
    );
    const [row] = JSON.parse(rows);
    expect(rows).toContain('"big":9007199254740993');
    expect(rows).toContain('"huge":-170141183460469231731687303715884105728');
    expect(rows).toContain('"ubig":18446744073709551615');
    expect(row).toMatchObject({
      dec_type: 'DECIMAL(18,4)',
      d: '2024-02-29',
      t: '13:45:00.123456',
      ts: '2024-01-31T13:45:00.123456',
      u: '3b241101-e2bb-4255-8caf-4136c566a962',
      v: '42',
    });
    expect(rows).toMatch(/"dec":"?-12\.3450"?/);
    const check = await data(
      `select $1 = timestamptz '2024-01-31 11:45:00.5+00' as tz, $2 = interval '1 month 2 days 3 seconds' as i,
              $3 = '\\x00\\x01\\x02\\xFF'::blob as b, isnan($4) as nan, $5 = [date '2024-01-01', date '2024-12-31'] as l`,
      [
        { $type: 'timestamptz', value: '2024-01-31T13:45:00.5+02:00' },
        { $type: 'interval', value: { months: 1, days: 2, micros: 3000000 } },
        { $type: 'blob', value: 'AAEC/w==' },
        { $type: 'double', value: 'NaN' },
        {
          $type: 'list',
          value: [
            { $type: 'date', value: '2024-01-01' },
            { $type: 'date', value: '2024-12-31' },
          ],
        },
      ],
    );
    expect(JSON.parse(check)).toEqual([{ tz: true, i: true, b: true, nan: true, l: true }]);
  });

  it('widens lists of integers and doubles, and of decimals of different scales', async () => {
    expect(await data('select $1 as l, typeof($1) as t', [[1, 2.5, null]])).toBe('[{"l":[1,2.5,null],"t":"DOUBLE[]"}]');
    const rows = JSON.parse(
      await data('select typeof($1) as t, $1[2]::varchar as second', [
        [
          { $type: 'decimal', value: '1.5' },
          { $type: 'decimal', value: '100.25' },
        ],
      ]),
    );
    expect(rows).toEqual([{ t: 'DECIMAL(5,2)[]', second: '100.25' }]);
  });

  it('binds params on arrow and exec queries too', async () => {
    expect(
      await client.query('exec', 'create or replace table p_items(id bigint, day date, note varchar)'),
    ).toMatchObject({ type: 'ok' });
    const insert = await client.query('exec', 'insert into p_items values ($1, $2, $3)', {
      params: [{ $type: 'bigint', value: '9007199254740993' }, { $type: 'date', value: '2024-01-31' }, 'first'],
    });
    expect(insert).toMatchObject({ type: 'ok' });
    const reply = await client.query('arrow', 'select id, note from p_items where day = $day', {
      params: { day: { $type: 'date', value: '2024-01-31' } },
    });
    if (reply.type !== 'arrow') throw new Error(JSON.stringify(reply));
    expect(reply.table.numRows).toBe(1);
    expect(reply.table.getChild('id')?.get(0)).toBe(9007199254740993n);
    expect(reply.table.getChild('note')?.get(0)).toBe('first');
  });

  it('runs earlier statements of multi-statement SQL plainly and binds the last one', async () => {
    expect(await data('create or replace table p_multi as select 41 as x; select x + ? as y from p_multi', [1])).toBe(
      '[{"y":42}]',
    );
    const reply = await refusal('select 1; select ? as y', [1, 2]);
    expect(reply).toMatchObject({ type: 'error', code: 'invalid_params', error: 'expected 1 parameter, got 2' });
    const early = await refusal('select ? as x; select 2 as y', [1]);
    expect(early).toMatchObject({
      type: 'error',
      code: 'invalid_params',
      error: 'only the last statement may have parameters; statement 1 has 1',
    });
  });

  it('reuses a prepared statement without carrying its values to the next query', async () => {
    for (let i = 0; i < 5; i++) expect(await data('select ? * 2 as doubled', [i])).toBe(`[{"doubled":${i * 2}}]`);
    // The same SQL without params: the kept statement must not answer with the last values bound.
    const reply = await client.query('json', 'select ? * 2 as doubled');
    expect(reply).toMatchObject({ type: 'error', code: 'query_failed' });
  });

  it.each([
    ['a missing value', 'select ? as a, ? as b', [1], 'expected 2 parameters, got 1'],
    ['a value too many', 'select ? as a', [1, 2], 'expected 1 parameter, got 2'],
    ['params for SQL without placeholders', 'select 1 as a', [1], 'expected 0 parameters, got 1'],
    ['a missing name', 'select $a as a, $b as b', { a: 1 }, 'missing named parameter $b'],
    ['an unknown name', 'select $a as a', { a: 1, c: 2 }, 'unknown parameter $c'],
    [
      'an array for named placeholders',
      'select $a as a',
      [1],
      'the statement has named parameter $a: send params as an object',
    ],
    [
      'an object for positional placeholders',
      'select ? as a',
      { a: 1 },
      'the statement has positional parameter $1: send params as an array',
    ],
    [
      'an impossible date',
      'select ? as a, ? as b',
      [1, { $type: 'date', value: '2024-02-30' }],
      'parameter 2 ($2): invalid date "2024-02-30"',
    ],
    [
      'a named impossible time',
      'select $t as t',
      { t: { $type: 'time', value: '25:00:00' } },
      'parameter $t: invalid time "25:00:00"',
    ],
    [
      'a BIGINT out of range',
      'select ? as a',
      [{ $type: 'bigint', value: '9223372036854775808' }],
      'parameter 1 ($1): 9223372036854775808 is out of range for BIGINT',
    ],
    [
      'a decimal wider than its scale',
      'select ? as a',
      [{ $type: 'decimal', value: '1.234', scale: 2 }],
      'parameter 1 ($1): decimal "1.234" has more than 2 digits after the point (scale 2)',
    ],
    [
      'a list of mixed types',
      'select ? as a',
      [[1, 'x']],
      "parameter 1 ($1): a list's items must have one type, got BIGINT, VARCHAR",
    ],
  ])('refuses %s with invalid_params naming the parameter', async (_name, sql, params, message) => {
    expect(await refusal(sql, params)).toMatchObject({ type: 'error', code: 'invalid_params', error: message });
  });

  it('refuses a typed value that breaks the schema with invalid_message', async () => {
    for (const value of [
      { $type: 'date', value: 'yesterday' },
      { $type: 'timestamp', value: '2024-01-01T00:00:00Z' },
    ]) {
      expect(await refusal('select ? as a', [value])).toMatchObject({ type: 'error', code: 'invalid_message' });
    }
  });

  it('answers a DuckDB error of a parameterized query with query_failed and its errorType', async () => {
    const reply = await refusal('select ?::integer as a', ['abc']);
    expect(reply).toMatchObject({ type: 'error', code: 'query_failed', errorType: 'Conversion' });
  });

  it('gives errorType to v1 connections only', async () => {
    const v1 = await client.query('json', 'select * from nope');
    expect(v1).toMatchObject({ type: 'error', code: 'query_failed', errorType: 'Catalog' });
    const baseline = await TestClient.connect(server.url);
    const reply = await baseline.query('json', 'select * from nope');
    expect(reply.type).toBe('error');
    expect(Object.keys(reply).sort()).toEqual(['code', 'error', 'kind', 'queryId', 'type']);
    await baseline.close();
  });
});

import { DuckDBInstance } from '@duckdb/node-api';
import { test } from 'vitest';
import { bothWays } from './arrow-helpers.js';

test('probe', async () => {
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  await con.run(`create type mood as enum ('sad','ok','happy')`);
  const sql = `select true::boolean bo, 1::tinyint ti, 1::smallint si, 1::integer i, 1::bigint bi, 1::utinyint uti, 1::usmallint usi, 1::uinteger ui, 1::ubigint ubi,
    1.5::float f, 1.5::double d, 1.5::decimal(4,1) d4, 1.5::decimal(9,2) d9, 1.5::decimal(18,3) d18, 1.5::decimal(38,4) d38, 170141183460469231731687303715884105727::hugeint hi,
    340282366920938463463374607431768211455::uhugeint uhi, 'x'::varchar v, '\\xAA\\xBB'::blob bl, '0101'::bit bt, date '2020-01-02' da, time '12:34:56.789' t,
    '12:34:56.123456789'::time_ns tns, timetz '12:34:56+02' ttz, timestamp '2020-01-02 03:04:05.123456' ts, timestamp_s '2020-01-02 03:04:05' tss,
    timestamp_ms '2020-01-02 03:04:05.123' tsms, timestamp_ns '2020-01-02 03:04:05.123456789' tsns, timestamptz '2020-01-02 03:04:05.123456+00' tstz,
    interval '1 month 2 days 3 microseconds' iv, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid u, 'happy'::mood m, '{"a":1}'::json j,
    [1,2,null] l, [1,2,3]::int[3] arr, {'a': 1, 'b': 'x'} st, map {'k': 1} mp, union_value(num := 2)::union(num int, str varchar) un`;
  const { table, expected, actual } = await bothWays(con, sql);
  for (const f of table.schema.fields) console.log(f.name, String(f.type), f.nullable, [...f.metadata]);
  console.log(JSON.stringify(expected));
  console.log(JSON.stringify(actual));
});

import { it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { encodeJsonRows } from '../../src/json/encode-rows.js';
it('probe', async () => {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  await c.run(`create type mood as enum ('happy','sad')`);
  const sql = `select null as n, 1.10::decimal(5,2) d, -0.5::decimal(4,2) d2, 123456789012345678901234567.89::decimal(38,2) d3, '{"a":1}'::json j, '101'::bit b, 'infinity'::date di, '-infinity'::timestamp ti,
   '2024-01-02 03:04:05.123456'::timestamp ts, '5877642-06-25'::date dmax, '0044-03-15 (BC)'::date dbc, '1 year 2 months -3 days 04:05:06.789'::interval iv, '03:04:05+05:30'::timetz ttz, 0.1::float f, 1 as a, 2 as a, {'x': 1}::variant v,
   '2024-01-02 03:04:05.123456+00'::timestamptz tz, '2024-01-02 03:04:05'::timestamp_s tss, '2024-01-02 03:04:05.123'::timestamp_ms tms, '2024-01-02 03:04:05.123456789'::timestamp_ns tns,
   '03:04:05.5'::time tm, gen_random_uuid() is not null as u1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid u, '\\xAA\\xBB'::blob bl, 'happy'::mood e, [1,2,null] l, [1,2,3]::int[3] arr,
   {'a': 1, 'b': [1]} st, map {'k': 1} m1, map {1: 'x'} m2, union_value(num := 2)::union(num int, s varchar) un, row(1, 'x') r, [row(1,2)] lr, [{"a": [1]}, null] ls, [[1],[2,3],null] ll, 'NaN'::double nan, 'inf'::float finf,
   count(*) over () cnt, 9223372036854775807::bigint bmax, (-9223372036854775808)::bigint bmin, 170141183460469231731687303715884105727::hugeint hmax, 18446744073709551615::ubigint ubmax,
   340282366920938463463374607431768211455::uhugeint uhmax, 1e308::double big, 1.5e-7::double small, 16777217::float f2, 3.4028235e38::float fmax, 'x"\\\n'::varchar esc, '\\x00'::blob zero, '24:00:00'::time t24,
   interval 0 seconds iz, interval '-90 minutes' ineg, '00:00:00.000001'::time tmin, 1::tinyint ti8, 200::utinyint u8`;
  const r = await c.run(sql);
  let out = '';
  for await (const p of encodeJsonRows(r)) out += p;
  console.log(out);
  console.log(JSON.stringify(JSON.parse(out), null, 1).slice(0, 200));
});

import { it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { encodeJsonRows } from '../../src/json/encode-rows.js';
it('perf', async () => {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  for (const sql of [`select i::int a, i*0.5 b, 'name_' || i c from range(1000000) t(i)`, `select i a, i::timestamp + interval (i) second ts, [i, i+1] l, {'x': i} s from range(200000) t(i)`]) {
    const r = await c.stream(sql);
    const t0 = performance.now();
    let n = 0;
    for await (const p of encodeJsonRows(r)) n += p.length;
    console.log(sql.slice(0, 40), (performance.now() - t0).toFixed(0), 'ms', n);
    let t1 = performance.now();
    const rr = await c.runAndReadAll(sql); const s = JSON.stringify(rr.getRowObjectsJson());
    console.log('reference getRowObjectsJson', (performance.now() - t1).toFixed(0), s.length);
  }
}, 60000);

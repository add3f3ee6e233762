import { DuckDBInstance } from '@duckdb/node-api';
const con = await (await DuckDBInstance.create(':memory:')).connect();
for (const at of [5, 3000, 30000, 150000]) {
  let rows = 0, how = 'end';
  try {
    const r = await con.stream(`select case when i = ${at} then error('boom') else i end v from range(300000) t(i)`);
    for (;;) { const c = await r.fetchChunk(); if (!c) { how = 'null'; break; } if (c.rowCount === 0) { how = 'zero'; break; } rows += c.rowCount; }
  } catch (e) { how = 'ERR ' + e.message; }
  console.log(at, rows, how);
}
// ordered query: error raised in pipeline before first chunk
try { const r = await con.stream(`select case when i = 150000 then error('boom') else i end v from range(300000) t(i) order by v`); const c = await r.fetchChunk(); console.log('ordered first chunk', c?.rowCount); } catch (e) { console.log('ordered ERR', e.message); }

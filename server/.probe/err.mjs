import { DuckDBInstance } from '@duckdb/node-api';
const con = await (await DuckDBInstance.create(':memory:')).connect();
const r = await con.stream(`select case when i = 150000 then error('boom') else i end v from range(300000) t(i)`);
let n = 0, rows = 0;
try {
  for (;;) { const c = await r.fetchChunk(); if (!c) { console.log('null chunk'); break; } if (c.rowCount === 0) { console.log('zero chunk'); break; } n++; rows += c.rowCount; }
} catch (e) { console.log('ERR', e.message); }
console.log(n, rows);
try { const rr = await con.runAndReadAll(`select case when i = 150000 then error('boom') else i end v from range(300000) t(i)`); console.log('rows', rr.currentRowCount); } catch (e) { console.log('ERR2', e.message); }
const r3 = await con.stream(`select case when i = 150000 then error('boom') else i end v from range(300000) t(i)`);
try { const all = await r3.fetchAllChunks(); console.log('all', all.length) } catch (e) { console.log('ERR3', e.message); }

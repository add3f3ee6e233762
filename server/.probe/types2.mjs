import { DuckDBInstance } from '@duckdb/node-api';
const con = await (await DuckDBInstance.create(':memory:')).connect();
for (const q of [`select 1::VARIANT v`, `select 'POINT(1 2)'::GEOMETRY g`, `select 12345678901234567890123456789::BIGNUM b`, `select current_setting('TimeZone') tz`]) {
  try { const r = await con.runAndReadAll(q); console.log(q, r.columnTypes().map(String), r.getRowsJS()); } catch (e) { console.log(q, 'ERR', e.message); }
}

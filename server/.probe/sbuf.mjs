import { DuckDBInstance } from '@duckdb/node-api';
import { encodeArrowStream } from '../dist/arrow/encode-result.js';
const con = await (await DuckDBInstance.create(':memory:')).connect();
const sql = 'select i::INTEGER a, i::DOUBLE b, i::BIGINT c from range(10000000) t(i)';
console.log((await con.runAndReadAll(`select current_setting('streaming_buffer_size') s, current_setting('threads') t`)).getRowsJS());
async function t(label, fn) { const s = performance.now(); const r = await fn(); return performance.now() - s; }
for (const size of ['976.5 KiB', '16MB', '64MB', '256MB']) {
  await con.run(`SET streaming_buffer_size = '${size}'`);
  const res = { read: [], pull: [], enc: [] };
  for (let k = 0; k < 3; k++) {
    res.read.push(await t('r', async () => (await con.runAndReadAll(sql)).currentRowCount));
    res.pull.push(await t('p', async () => { const r = await con.stream(sql); for (;;) { const c = await r.fetchChunk(); if (!c || c.rowCount === 0) break; } }));
    res.enc.push(await t('e', async () => { const r = await con.stream(sql); for await (const p of encodeArrowStream(r)) {} }));
  }
  const med = (a) => a.sort((x, y) => x - y)[1].toFixed(0);
  console.log(size, 'readAll', med(res.read), 'stream+fetch', med(res.pull), 'stream+encode', med(res.enc));
}

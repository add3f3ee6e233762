import { DuckDBInstance } from '@duckdb/node-api';
import { encodeArrowStream } from '../dist/arrow/encode-result.js';
const con = await (await DuckDBInstance.create(':memory:')).connect();
const sql = process.argv[2] ?? 'select i::INTEGER a, i::DOUBLE b, i::BIGINT c from range(10000000) t(i)';
async function t(label, fn) { const s = performance.now(); const r = await fn(); console.log(label, (performance.now() - s).toFixed(0), 'ms', r ?? ''); }
for (let k = 0; k < 2; k++) {
await t('runAndReadAll', async () => (await con.runAndReadAll(sql)).currentRowCount);
await t('run + fetch loop', async () => { const r = await con.run(sql); let n = 0; for (;;) { const c = await r.fetchChunk(); if (!c || c.rowCount === 0) break; n += c.rowCount; } return n; });
await t('run + encode', async () => { const r = await con.run(sql); let b = 0; for await (const p of encodeArrowStream(r)) b += p.byteLength; return b; });
await t('stream + fetch loop', async () => { const r = await con.stream(sql); let n = 0; for (;;) { const c = await r.fetchChunk(); if (!c || c.rowCount === 0) break; n += c.rowCount; } return n; });
await t('stream + encode', async () => { const r = await con.stream(sql); let b = 0; for await (const p of encodeArrowStream(r)) b += p.byteLength; return b; });
}

import { DuckDBInstance } from '@duckdb/node-api';
import { encodeArrowStream } from '../dist/arrow/encode-result.js';
const con = await (await DuckDBInstance.create(':memory:')).connect();
const sql = process.argv[2] ?? 'select i::INTEGER a, i::DOUBLE b, i::BIGINT c from range(10000000) t(i)';
for (let k = 0; k < 3; k++) {
  const r = await (process.env.MODE === "stream" ? con.stream(sql) : con.run(sql));
  const s = performance.now(); let b = 0; for await (const p of encodeArrowStream(r)) b += p.byteLength;
  console.log('run+encode', (performance.now() - s).toFixed(0));
}

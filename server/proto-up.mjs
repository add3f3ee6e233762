import { DuckDBInstance, DuckDBDataChunk, INTEGER, DOUBLE, VARCHAR } from '@duckdb/node-api';
import { tableFromArrays, tableToIPC, tableFromIPC, vectorFromArray, Utf8, Int32, Float64, makeTable } from 'apache-arrow';
const N = 1_000_000;
const ints = new Int32Array(N), dbl = new Float64Array(N), strs = new Array(N);
for (let i=0;i<N;i++){ints[i]=i; dbl[i]=i*0.5; strs[i]='name_'+i;}
let t0 = performance.now();
const tbl = tableFromArrays({ a: ints, b: dbl, c: vectorFromArray(strs, new Utf8()) });
const ipc = tableToIPC(tbl, 'stream');
console.log('build ipc', performance.now()-t0, ipc.byteLength);
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
t0 = performance.now();
const t = tableFromIPC(ipc);
console.log('decode', performance.now()-t0, t.batches.length);
await c.run('BEGIN');
await c.run('CREATE OR REPLACE TABLE t (a INTEGER, b DOUBLE, c VARCHAR)');
const app = await c.createAppender('t');
const types = [INTEGER, DOUBLE, VARCHAR];
t0 = performance.now();
for (const batch of t.batches) {
  const cols = [0,1,2].map(i => batch.getChildAt(i));
  const av = cols[0].data[0].values, bv = cols[1].data[0].values;
  for (let off = 0; off < batch.numRows; off += 2048) {
    const n = Math.min(2048, batch.numRows - off);
    const chunk = DuckDBDataChunk.create(types, n);
    const v0 = chunk.getColumnVector(0), v1 = chunk.getColumnVector(1), v2 = chunk.getColumnVector(2);
    for (let i=0;i<n;i++){ v0.setItem(i, av[off+i]); v1.setItem(i, bv[off+i]); v2.setItem(i, cols[2].get(off+i)); }
    v0.flush(); v1.flush(); v2.flush();
    app.appendDataChunk(chunk);
  }
}
app.closeSync();
console.log('append', performance.now()-t0);
await c.run('ROLLBACK');
try { const r = await c.runAndReadAll('select count(*) from t'); console.log(r.getRows()); } catch (e) { console.log('after rollback', e.message); }

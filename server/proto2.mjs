import { DuckDBInstance, DuckDBDataChunk, DuckDBTimeNSValue, listValue, arrayValue, structValue, mapValue, DuckDBIntervalValue } from '@duckdb/node-api';
import { tableFromArrays, tableToIPC, tableFromIPC, RecordBatchReader } from 'apache-arrow';
const t = tableFromArrays({ a: Int32Array.from([1,2,3]), s: ['x','y','z'] });
const ipc = tableToIPC(t, 'stream');
for (const [label, bytes] of [['garbage', new Uint8Array([1,2,3,4,5,6,7,8,9])], ['empty', new Uint8Array(0)], ['truncated', ipc.slice(0, ipc.length - 20)], ['truncated-more', ipc.slice(0, ipc.length - 60)], ['schema-only', ipc.slice(0, 200)], ['noeos', ipc.slice(0, ipc.length-8)]]) {
  try { const r = tableFromIPC(bytes); console.log(label, 'ok rows', r.numRows, 'cols', r.numCols); } catch (e) { console.log(label, 'throws', e.message); }
}
console.log(ipc.length, t.schema.fields.map(f => String(f.type)));
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
await c.run('create table x (t TIME_NS, l INTEGER[3], m MAP(VARCHAR, INTEGER), s STRUCT("a b" INTEGER, c VARCHAR[]), i INTERVAL)');
const app = await c.createAppender('x');
const types = [0,1,2,3,4].map(i => app.columnType(i));
console.log(types.map(String));
const chunk = DuckDBDataChunk.create(types, 2);
const vals = [[new DuckDBTimeNSValue(123456789n), null], [arrayValue([1,2,3]), null], [mapValue([{key:'k', value: 1}]), null], [structValue({'a b': 1, c: listValue(['q', null])}), null], [new DuckDBIntervalValue(1, 2, 3n), null]];
for (let c2 = 0; c2 < 5; c2++) { const v = chunk.getColumnVector(c2); for (let i=0;i<2;i++) v.setItem(i, vals[c2][i]); v.flush(); }
app.appendDataChunk(chunk); app.closeSync();
console.log((await c.runAndReadAll('select * from x')).getRowsJson());

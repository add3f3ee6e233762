import { DuckDBInstance } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
const r = await con.stream(`select NULL as n, '{"a":1}'::JSON as j, 'x'::VARCHAR as v, TIMETZ '12:34:56+02' as ttz, current_setting('TimeZone') tz, 1::UHUGEINT u, 3::bit::BIT b, uuid() id`);
for (let i = 0; i < r.columnCount; i++) { const t = r.columnType(i); console.log(r.columnName(i), t.typeId, t.toString(), t.alias); }
const c = await r.fetchChunk();
console.log('rows', c.rowCount);
const v = duckdb.data_chunk_get_vector(c.chunk, 3);
const d1 = duckdb.vector_get_data(v, 8);
const d2 = duckdb.vector_get_data(v, 8);
console.log('same buffer?', d1.buffer === d2.buffer, d1.byteOffset, d1.buffer.byteLength, new BigInt64Array(d1.buffer, d1.byteOffset, 1)[0].toString(16));
console.log(duckdb.vector_get_validity(v, 8));
console.log(await (await con.runAndReadAll(`select TIMETZ '12:34:56+02' as ttz`)).getRowsJS());

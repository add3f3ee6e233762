import { DuckDBInstance } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
const con = await (await DuckDBInstance.create(':memory:')).connect();
const qs = [
  `select [1,2,3] l from range(3000)`,
  `select l from (select [1,2,3] l) cross join range(3000)`,
  `select l from (select [i, i+1] l from range(10) t(i)) cross join range(300)`,
  `select l[2:3] from (select [i, i+1, i+2, i+3] l from range(3000) t(i))`,
  `select list_reverse(l) from (select [i, i+1] l from range(3000) t(i))`,
  `select v from (select i, [i, i] v from range(6000) t(i)) where i % 3 <> 0`,
  `create table tl as select [i, i+1] l, i from range(6000) t(i)`,
  `select l from tl where i % 3 <> 0`,
  `select l from tl order by i desc`,
];
for (const q of qs) {
  if (q.startsWith('create')) { await con.run(q); continue; }
  const r = await con.stream(q);
  const c = await r.fetchChunk();
  const v = duckdb.data_chunk_get_vector(c.chunk, 0);
  const e = new BigUint64Array(duckdb.vector_get_data(v, 16 * 6).buffer);
  console.log(q, '| rows', c.rowCount, 'childsize', duckdb.list_vector_get_size(v), '| entries', [...e].join(','));
}

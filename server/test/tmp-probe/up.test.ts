import { it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import * as A from 'apache-arrow';
import { loadArrowIntoTable } from '../../src/upload/load-arrow.js';
it('probe', async () => {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  const t = new A.Table({
    i: A.vectorFromArray([1, null, 3], new A.Int32()),
    s: A.vectorFromArray(['a', null, 'é🦆']),
    l: A.vectorFromArray([[1, 2], null, []], new A.List(new A.Field('item', new A.Int32(), true))),
    st: A.vectorFromArray([{ a: 1, b: 'x' }, null, { a: null, b: 'z' }], new A.Struct([new A.Field('a', new A.Int32(), true), new A.Field('b', new A.Utf8(), true)])),
    m: A.vectorFromArray([new Map([['k', 1]]), null, new Map()], new A.Map_(new A.Field('entries', new A.Struct([new A.Field('key', new A.Utf8(), false), new A.Field('value', new A.Int32(), true)])))),
    ts: A.makeVector(A.makeData({ type: new A.TimestampMillisecond(), length: 3, nullCount: 1, nullBitmap: Uint8Array.from([0b101]), data: BigInt64Array.from([1704164645123n, 0n, 0n]) })),
    tz: A.makeVector(A.makeData({ type: new A.TimestampMicrosecond('UTC'), length: 3, nullCount: 0, data: BigInt64Array.from([1704164645123456n, -1n, 0n]) })),
  });
  console.log(t.schema.fields.map(f => String(f.type)));
  await loadArrowIntoTable(c, 't', A.tableToIPC(t, 'stream'));
  const r = await c.runAndReadAll('select * from t');
  console.log(r.columnTypes().map(String), r.getRowsJson());
});

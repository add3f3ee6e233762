import { encodeFrame } from '@duckwire/protocol';
import * as A from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

describe('a single-message upload whose payload starts at any offset', () => {
  let server: DuckwireServer;
  let client: TestClient;
  beforeAll(async () => {
    ({ server } = await startTestServer());
    client = await TestClient.connect(server.url);
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  const rows = 5000;
  const nullable = <T>(i: number, value: T) => (i % 7 === 3 ? null : value);
  const table = new A.Table({
    i32: A.vectorFromArray(
      Array.from({ length: rows }, (_, i) => nullable(i, i - 2500)),
      new A.Int32(),
    ),
    i64: A.vectorFromArray(
      Array.from({ length: rows }, (_, i) => BigInt(i) * 3_000_000_000n),
      new A.Int64(),
    ),
    f64: A.vectorFromArray(
      Array.from({ length: rows }, (_, i) => nullable(i, i / 8)),
      new A.Float64(),
    ),
    flag: A.vectorFromArray(
      Array.from({ length: rows }, (_, i) => nullable(i, i % 3 === 0)),
      new A.Bool(),
    ),
    text: A.vectorFromArray(
      Array.from({ length: rows }, (_, i) => nullable(i, `é${i}`.padEnd(1 + (i % 30), 'x'))),
      new A.Utf8(),
    ),
    day: A.vectorFromArray(
      Array.from({ length: rows }, (_, i) => nullable(i, i * 86_400_000)),
      new A.DateDay(),
    ),
    ts: A.vectorFromArray(
      Array.from({ length: rows }, (_, i) => i * 1000),
      new A.TimestampMicrosecond(),
    ),
  });
  const ipc = A.tableToIPC(table, 'stream');
  const expected = table.toArray().map((row) => row.toJSON());
  const check = `select count(*)::INTEGER as n, count(i32)::INTEGER as ni, sum(i32)::INTEGER as si, sum(i64 // 1000000)::BIGINT as sl,
    sum(f64) as sf, count_if(flag)::INTEGER as tf, count(flag)::INTEGER as nf, sum(length(text))::INTEGER as lt,
    count(text)::INTEGER as nt, max(day)::VARCHAR as md, count(day)::INTEGER as nd, max(ts)::VARCHAR as mt from up`;
  const want = {
    n: rows,
    ni: expected.filter((r) => r.i32 !== null).length,
    si: expected.reduce((s, r) => s + (r.i32 ?? 0), 0),
    sl: String(expected.reduce((s, r) => s + r.i64 / 1_000_000n, 0n)),
    sf: expected.reduce((s, r) => s + (r.f64 ?? 0), 0),
    tf: expected.filter((r) => r.flag === true).length,
    nf: expected.filter((r) => r.flag !== null).length,
    lt: expected.reduce((s, r) => s + (r.text === null ? 0 : [...r.text].length), 0),
    nt: expected.filter((r) => r.text !== null).length,
    md: '1983-09-09',
    nd: expected.filter((r) => r.day !== null).length,
    mt: '1970-01-01 01:23:19',
  };

  // The payload follows a header of 4 + its JSON length bytes: query ids of 1 to 8 characters put
  // it at every offset modulo 8.
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'stores every column type unchanged with a %i-character query id',
    async (length) => {
      const queryId = 'q'.repeat(length);
      client.sendBinary(encodeFrame({ type: 'uploadArrow', queryId, tableName: 'up' }, ipc));
      expect(await client.terminal(queryId)).toMatchObject({ type: 'uploadAck', queryId });
      const [got] = await client.rows(check);
      expect({ ...got, sl: String(got!.sl) }).toEqual(want);
      const sample = await client.rows('select i32, text, flag from up where rowid in (0, 3, 29, 4999) order by rowid');
      expect(sample).toEqual(
        [0, 3, 29, 4999].map((i) => ({ i32: expected[i]!.i32, text: expected[i]!.text, flag: expected[i]!.flag })),
      );
    },
  );
});

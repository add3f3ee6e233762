import * as A from 'apache-arrow';
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidTableNameError, UploadError } from '../src/errors.js';
import { checkNames } from '../src/upload/arrow-columns.js';
import { loadArrowIntoTable } from '../src/upload/load-arrow.js';
import { useDuckDB } from './support/duckdb-fixture.js';

const db = useDuckDB();

beforeEach(async () => {
  // every test starts outside any transaction: a leftover one would make BEGIN fail here
  await db.connection.run('BEGIN TRANSACTION');
  await db.connection.run('ROLLBACK');
});

type Fixed = Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Uint32Array;

/**
 * A vector of a fixed-width type from its raw values; `nulls` lists the NULL rows. `length`
 * defaults to one row per value (give it for types with several values per row).
 */
function raw<T extends A.DataType>(
  type: T,
  values: Fixed | Float32Array | Float64Array | BigUint64Array | Uint32Array,
  nulls: number[] = [],
  length = values.length,
) {
  const bitmap = new Uint8Array(Math.ceil(length / 8)).fill(0xff);
  for (const row of nulls) bitmap[row >> 3]! &= ~(1 << (row & 7));
  return A.makeVector(
    A.makeData({
      type,
      length,
      nullCount: nulls.length,
      nullBitmap: nulls.length ? bitmap : undefined,
      data: values,
    } as never),
  );
}

function ipcOf(columns: Record<string, A.Vector>): Uint8Array {
  return A.tableToIPC(new A.Table(columns), 'stream');
}

async function rows(sql: string): Promise<unknown[][]> {
  return (await db.connection.runAndReadAll(sql)).getRowsJson() as unknown[][];
}

async function columnTypes(table: string): Promise<string[]> {
  const reader = await db.connection.runAndReadAll(`select * from ${table} limit 0`);
  return reader.columnTypes().map(String);
}

describe('loadArrowIntoTable: types', () => {
  it('round-trips integers, floats, booleans and text, NULLs included', async () => {
    await loadArrowIntoTable(
      db.connection,
      'scalars',
      ipcOf({
        i8: raw(new A.Int8(), Int8Array.from([-128, 0, 127]), [1]),
        i16: raw(new A.Int16(), Int16Array.from([-32768, 0, 32767]), [1]),
        i32: raw(new A.Int32(), Int32Array.from([-2147483648, 0, 2147483647]), [1]),
        i64: raw(new A.Int64(), BigInt64Array.from([-(2n ** 63n), 0n, 2n ** 63n - 1n]), [1]),
        u8: raw(new A.Uint8(), Uint8Array.from([0, 0, 255]), [1]),
        u16: raw(new A.Uint16(), Uint16Array.from([0, 0, 65535]), [1]),
        u32: raw(new A.Uint32(), Uint32Array.from([0, 0, 4294967295]), [1]),
        u64: raw(new A.Uint64(), BigUint64Array.from([0n, 0n, 2n ** 64n - 1n]), [1]),
        f16: raw(new A.Float16(), Uint16Array.from([0x3c00, 0, 0xc000]), [1]),
        f32: raw(new A.Float32(), Float32Array.from([0.5, 0, -1.25]), [1]),
        f64: raw(new A.Float64(), Float64Array.from([0.1, 0, Number.NaN]), [1]),
        b: A.vectorFromArray([true, null, false], new A.Bool()),
        s: A.vectorFromArray(['a', null, 'é 🦆 "q"'], new A.Utf8()),
        ls: A.vectorFromArray(['long', null, 'x'.repeat(100)], new A.LargeUtf8()),
        d: A.vectorFromArray(['red', null, 'red']),
        bin: A.vectorFromArray([Uint8Array.from([0, 255]), null, new Uint8Array(0)], new A.Binary()),
        fsb: raw(new A.FixedSizeBinary(2), Uint8Array.from([1, 2, 0, 0, 3, 4]), [1], 3),
      }),
    );
    expect(await columnTypes('scalars')).toEqual([
      'TINYINT',
      'SMALLINT',
      'INTEGER',
      'BIGINT',
      'UTINYINT',
      'USMALLINT',
      'UINTEGER',
      'UBIGINT',
      'FLOAT',
      'FLOAT',
      'DOUBLE',
      'BOOLEAN',
      'VARCHAR',
      'VARCHAR',
      'VARCHAR',
      'BLOB',
      'BLOB',
    ]);
    expect(await rows('select * exclude (f64), isnan(f64) from scalars')).toEqual([
      [
        -128,
        -32768,
        -2147483648,
        '-9223372036854775808',
        0,
        0,
        0,
        '0',
        1,
        0.5,
        true,
        'a',
        'long',
        'red',
        '\\x00\\xFF',
        '\\x01\\x02',
        false,
      ],
      [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
      [
        127,
        32767,
        2147483647,
        '9223372036854775807',
        255,
        65535,
        4294967295,
        '18446744073709551615',
        -2,
        -1.25,
        false,
        'é 🦆 "q"',
        'x'.repeat(100),
        'red',
        '',
        '\\x03\\x04',
        true,
      ],
    ]);
  });

  it('round-trips dates, times, timestamps of every unit and time zones, intervals and durations', async () => {
    await loadArrowIntoTable(
      db.connection,
      'temporal',
      ipcOf({
        dd: raw(new A.DateDay(), Int32Array.from([19724, 0, -719528])),
        dms: raw(new A.DateMillisecond(), BigInt64Array.from([1704153600000n, 0n, -86400000n])),
        ts_s: raw(new A.TimestampSecond(), BigInt64Array.from([1704164645n, 0n, -1n])),
        ts_ms: raw(new A.TimestampMillisecond(), BigInt64Array.from([1704164645123n, 0n, -1n])),
        ts_us: raw(new A.TimestampMicrosecond(), BigInt64Array.from([1704164645123456n, 0n, -1n])),
        ts_ns: raw(new A.TimestampNanosecond(), BigInt64Array.from([1704164645123456789n, 0n, -1n])),
        tz_ms: raw(new A.TimestampMillisecond('Europe/Paris'), BigInt64Array.from([1704164645123n, 0n, -1n])),
        tz_ns: raw(new A.TimestampNanosecond('UTC'), BigInt64Array.from([1704164645123456789n, 0n, -1n])),
        t_s: raw(new A.TimeSecond(), Int32Array.from([11045, 0, 86399])),
        t_ms: raw(new A.TimeMillisecond(), Int32Array.from([11045123, 0, 86399999])),
        t_us: raw(new A.TimeMicrosecond(), BigInt64Array.from([11045123456n, 0n, 86399999999n])),
        t_ns: raw(new A.TimeNanosecond(), BigInt64Array.from([11045123456789n, 0n, 86399999999999n])),
        iv_ym: raw(new A.IntervalYearMonth(), Int32Array.from([14, 0, -1])),
        iv_dt: raw(new A.IntervalDayTime(), Int32Array.from([3, 1500, 0, 0, -1, -1]), [], 3),
        iv_mdn: raw(
          new A.IntervalMonthDayNano(),
          Int32Array.from([1, 2, 3000, 0, 0, 0, 0, 0, -1, -1, -1000, -1]),
          [],
          3,
        ),
        dur_ms: raw(new A.DurationMillisecond(), BigInt64Array.from([90061500n, 0n, -1n])),
      }),
    );
    expect(await columnTypes('temporal')).toEqual([
      'DATE',
      'DATE',
      'TIMESTAMP_S',
      'TIMESTAMP_MS',
      'TIMESTAMP',
      'TIMESTAMP_NS',
      'TIMESTAMP WITH TIME ZONE',
      'TIMESTAMP WITH TIME ZONE',
      'TIME',
      'TIME',
      'TIME',
      'TIME_NS',
      'INTERVAL',
      'INTERVAL',
      'INTERVAL',
      'INTERVAL',
    ]);
    await db.connection.run("set timezone = 'UTC'");
    const text = await rows('select columns(*)::varchar from temporal');
    expect(text).toEqual([
      [
        '2024-01-02',
        '2024-01-02',
        '2024-01-02 03:04:05',
        '2024-01-02 03:04:05.123',
        '2024-01-02 03:04:05.123456',
        '2024-01-02 03:04:05.123456789',
        '2024-01-02 03:04:05.123+00',
        '2024-01-02 03:04:05.123456+00',
        '03:04:05',
        '03:04:05.123',
        '03:04:05.123456',
        '03:04:05.123456789',
        '1 year 2 months',
        '3 days 00:00:01.5',
        '1 month 2 days 00:00:00.000003',
        '25:01:01.5',
      ],
      [
        '1970-01-01',
        '1970-01-01',
        '1970-01-01 00:00:00',
        '1970-01-01 00:00:00',
        '1970-01-01 00:00:00',
        '1970-01-01 00:00:00',
        '1970-01-01 00:00:00+00',
        '1970-01-01 00:00:00+00',
        '00:00:00',
        '00:00:00',
        '00:00:00',
        '00:00:00',
        '00:00:00',
        '00:00:00',
        '00:00:00',
        '00:00:00',
      ],
      [
        '0000-01-01 (BC)'.replace('0000', '0001'),
        '1969-12-31',
        '1969-12-31 23:59:59',
        '1969-12-31 23:59:59.999',
        '1969-12-31 23:59:59.999999',
        '1969-12-31 23:59:59.999999999',
        '1969-12-31 23:59:59.999+00',
        '1969-12-31 23:59:59.999999+00',
        '23:59:59',
        '23:59:59.999',
        '23:59:59.999999',
        '23:59:59.999999999',
        '-1 month',
        '-1 day -00:00:00.001',
        '-1 month -1 day -00:00:00.000001',
        '-00:00:00.001',
      ],
    ]);
  });

  it('round-trips decimals exactly', async () => {
    // 128-bit little-endian words: 12345, -1, 10^20 + 7, NULL
    const big = 10n ** 20n + 7n;
    const words = (v: bigint) => {
      const u = BigInt.asUintN(128, v);
      return [0, 1, 2, 3].map((k) => Number((u >> BigInt(32 * k)) & 0xffffffffn));
    };
    const values = Uint32Array.from([...words(12345n), ...words(-1n), ...words(big), ...words(0n)]);
    await loadArrowIntoTable(db.connection, 'decimals', ipcOf({ d: raw(new A.Decimal(2, 38, 128), values, [3], 4) }));
    expect(await columnTypes('decimals')).toEqual(['DECIMAL(38,2)']);
    expect(await rows('select d::varchar from decimals')).toEqual([
      ['123.45'],
      ['-0.01'],
      ['1000000000000000000.07'],
      [null],
    ]);
  });

  it('round-trips lists, fixed-size lists, structs and maps with NULLs at every level', async () => {
    const int = () => new A.Field('item', new A.Int32(), true);
    await loadArrowIntoTable(
      db.connection,
      'nested',
      ipcOf({
        l: A.vectorFromArray([[1, null], null, []], new A.List(int())),
        ll: A.vectorFromArray([[[1], []], null, [null]], new A.List(new A.Field('item', new A.List(int()), true))),
        fl: A.vectorFromArray([[1, 2], null, [3, null]], new A.FixedSizeList(2, int())),
        st: A.vectorFromArray(
          [{ a: 1, 'b c': ['x'] }, null, { a: null, 'b c': null }],
          new A.Struct([
            new A.Field('a', new A.Int32(), true),
            new A.Field('b c', new A.List(new A.Field('item', new A.Utf8(), true)), true),
          ]),
        ),
        m: A.vectorFromArray(
          [
            new Map([
              ['k', 1],
              ['j', null],
            ]),
            null,
            new Map(),
          ],
          new A.Map_<A.Utf8, A.Int32>(
            new A.Field(
              'entries',
              new A.Struct([new A.Field('key', new A.Utf8(), false), new A.Field('value', new A.Int32(), true)]),
            ),
          ),
        ),
      }),
    );
    expect(await columnTypes('nested')).toEqual([
      'INTEGER[]',
      'INTEGER[][]',
      'INTEGER[2]',
      'STRUCT("a" INTEGER, "b c" VARCHAR[])',
      'MAP(VARCHAR, INTEGER)',
    ]);
    expect(await rows('select columns(*)::varchar from nested')).toEqual([
      ['[1, NULL]', '[[1], []]', '[1, 2]', "{'a': 1, 'b c': [x]}", '{k=1, j=NULL}'],
      [null, null, null, null, null],
      ['[]', '[NULL]', '[3, NULL]', "{'a': NULL, 'b c': NULL}", '{}'],
    ]);
  });

  it('stores an all-NULL (Null type) column as INTEGER', async () => {
    await loadArrowIntoTable(db.connection, 'nulls', ipcOf({ n: A.vectorFromArray([null, null], new A.Null()) }));
    expect(await columnTypes('nulls')).toEqual(['INTEGER']);
    expect(await rows('select n from nulls')).toEqual([[null], [null]]);
  });

  it('loads many batches and many chunks', async () => {
    const batches = [0, 1, 2].map((b) => {
      const n = 2500 + b;
      const ids = Int32Array.from({ length: n }, (_, i) => b * 10_000 + i);
      const names = A.vectorFromArray(
        Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `n${i}`)),
        new A.Utf8(),
      );
      return new A.RecordBatch({ id: raw(new A.Int32(), ids).data[0]!, name: names.data[0]! });
    });
    const ipc = A.tableToIPC(new A.Table(batches), 'stream');
    await loadArrowIntoTable(db.connection, 'many', ipc);
    let sum = 0;
    let named = 0;
    for (const batch of batches) {
      for (let i = 0; i < batch.numRows; i++) {
        sum += batch.getChildAt(0)!.get(i) as number;
        if (batch.getChildAt(1)!.get(i) !== null) named++;
      }
    }
    expect(await rows('select count(*)::int, count(name)::int, sum(id)::bigint::varchar from many')).toEqual([
      [7503, named, String(sum)],
    ]);
  });

  it('creates an empty table from a stream without rows', async () => {
    await loadArrowIntoTable(db.connection, 'empty', ipcOf({ a: raw(new A.Int32(), new Int32Array(0)) }));
    expect(await columnTypes('empty')).toEqual(['INTEGER']);
    expect(await rows('select count(*)::int from empty')).toEqual([[0]]);
  });

  it('quotes unusual column names', async () => {
    await loadArrowIntoTable(
      db.connection,
      'names',
      ipcOf({ 'a"b': raw(new A.Int8(), Int8Array.from([1])), select: raw(new A.Int8(), Int8Array.from([2])) }),
    );
    expect(await rows('select "a""b", "select" from names')).toEqual([[1, 2]]);
  });
});

describe('loadArrowIntoTable: names', () => {
  const small = () => ipcOf({ x: raw(new A.Int32(), Int32Array.from([1, 2])) });

  it('accepts a quoted three-part name', async () => {
    await loadArrowIntoTable(db.connection, '"memory"."main"."my table"', small());
    expect(await rows('select sum(x)::int from memory.main."my table"')).toEqual([[3]]);
  });

  it('accepts a quoted one-part name', async () => {
    await loadArrowIntoTable(db.connection, '"My Table"', small());
    expect(await rows('select count(*)::int from "My Table"')).toEqual([[2]]);
  });

  it('accepts a schema-qualified name', async () => {
    await db.connection.run('create schema if not exists s');
    await loadArrowIntoTable(db.connection, 's.t', small());
    expect(await rows('select count(*)::int from s.t')).toEqual([[2]]);
    expect(
      await rows("select count(*)::int from duckdb_tables() where schema_name = 's' and table_name = 't'"),
    ).toEqual([[1]]);
  });

  it('accepts catalog.table for an attached database, like CREATE TABLE does', async () => {
    await db.connection.run("attach ':memory:' as other");
    await loadArrowIntoTable(db.connection, 'other.t2', small());
    expect(await rows('select count(*)::int from other.main.t2')).toEqual([[2]]);
  });

  it('refuses a schema that does not exist, clearly', async () => {
    const attempt = loadArrowIntoTable(db.connection, 'nope.t', small());
    await expect(attempt).rejects.toThrow(UploadError);
    await expect(loadArrowIntoTable(db.connection, 'nope.t', small())).rejects.toThrow(
      /cannot create table "nope"\."t".*nope/s,
    );
  });

  it('refuses SQL-looking names, or treats them as one identifier when quoted', async () => {
    await db.connection.run('create or replace table x as select 42 as v');
    await expect(loadArrowIntoTable(db.connection, 't; drop table x', small())).rejects.toThrow(InvalidTableNameError);
    await expect(loadArrowIntoTable(db.connection, 't"; drop table x; --', small())).rejects.toThrow(
      InvalidTableNameError,
    );
    await loadArrowIntoTable(db.connection, '"t; drop table x"', small());
    expect(await rows('select v from x')).toEqual([[42]]);
    expect(await rows('select count(*)::int from "t; drop table x"')).toEqual([[2]]);
  });

  it('refuses invalid names before reading the payload', async () => {
    await expect(loadArrowIntoTable(db.connection, 'a.b.c.d', new Uint8Array([1, 2, 3]))).rejects.toThrow(
      InvalidTableNameError,
    );
  });
});

describe('loadArrowIntoTable: replace and failures', () => {
  beforeEach(async () => {
    await db.connection.run("create or replace table keep as select 1 as old_col, 'old' as old_text");
  });

  const unchanged = async () => {
    expect(await rows('select * from keep')).toEqual([[1, 'old']]);
  };

  it('replaces the table entirely: new columns, new rows only', async () => {
    await loadArrowIntoTable(db.connection, 'keep', ipcOf({ fresh: raw(new A.Int16(), Int16Array.from([7, 8])) }));
    expect(await columnTypes('keep')).toEqual(['SMALLINT']);
    expect(await rows('select * from keep')).toEqual([[7], [8]]);
  });

  it.each([
    ['garbage', Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9])],
    ['no bytes', new Uint8Array(0)],
    [
      'a truncated stream',
      (() => {
        const ipc = ipcOf({ a: raw(new A.Int32(), Int32Array.from([1, 2, 3])) });
        return ipc.slice(0, ipc.length - 20);
      })(),
    ],
  ])('refuses %s as not a readable Arrow IPC stream, keeping the old table', async (_label, bytes) => {
    await expect(loadArrowIntoTable(db.connection, 'keep', bytes)).rejects.toThrow(/not a readable Arrow IPC stream/);
    await expect(loadArrowIntoTable(db.connection, 'keep', bytes)).rejects.toThrow(UploadError);
    await unchanged();
  });

  it('refuses an unsupported type, naming the column and type, keeping the old table', async () => {
    const union = A.makeVector(
      A.makeData({
        type: new A.SparseUnion([0], [new A.Field('i', new A.Int32(), true)]),
        length: 1,
        nullCount: 0,
        typeIds: Int8Array.from([0]),
        children: [A.makeData({ type: new A.Int32(), length: 1, nullCount: 0, data: Int32Array.from([1]) })],
      }),
    );
    const ipc = ipcOf({ ok: raw(new A.Int32(), Int32Array.from([1])), u: union });
    await expect(loadArrowIntoTable(db.connection, 'keep', ipc)).rejects.toThrow(/column "u" has Arrow type Union/);
    await unchanged();
  });

  it('refuses decimals DuckDB cannot hold', async () => {
    const ipc = ipcOf({ d: raw(new A.Decimal(0, 60, 256), new Uint32Array(8), [], 1) });
    await expect(loadArrowIntoTable(db.connection, 'keep', ipc)).rejects.toThrow(/column "d" has Arrow type Decimal/);
    await unchanged();
  });

  it('refuses column names that clash case-insensitively', async () => {
    const one = () => raw(new A.Int8(), Int8Array.from([1]));
    await expect(loadArrowIntoTable(db.connection, 'keep', ipcOf({ a: one(), A: one() }))).rejects.toThrow(/clash/);
    await unchanged();
  });

  it('refuses empty names and names with NUL (apache-arrow cannot even write them)', () => {
    expect(() => checkNames(['a', ''], 'column names')).toThrow(/member 2 has an empty name/);
    expect(() => checkNames(['a\u0000b'], 'column names')).toThrow(/contains NUL/);
    expect(() => checkNames(['a', 'B', 'c'], 'column names')).not.toThrow();
  });

  it('rolls back a failure that happens after the table was replaced', async () => {
    // a dictionary column whose index points past its dictionary fails while rows are appended
    const dictionary = A.vectorFromArray(['a', 'b'], new A.Utf8());
    const type = new A.Dictionary(new A.Utf8(), new A.Int32());
    const rowsData = Int32Array.from({ length: 5000 }, (_, i) => (i === 4500 ? 7 : i % 2));
    const bad = A.makeVector(A.makeData({ type, length: 5000, nullCount: 0, data: rowsData, dictionary }));
    const ipc = ipcOf({ d: bad });
    await expect(loadArrowIntoTable(db.connection, 'keep', ipc)).rejects.toThrow(/dictionary index 7 is out of range/);
    await unchanged();
  });

  it('refuses a view of the same name without touching it', async () => {
    await db.connection.run('create or replace view v_keep as select 1 as a');
    await expect(
      loadArrowIntoTable(db.connection, 'v_keep', ipcOf({ a: raw(new A.Int8(), Int8Array.from([1])) })),
    ).rejects.toThrow(UploadError);
    expect(await rows('select * from v_keep')).toEqual([[1]]);
  });
});

describe('loadArrowIntoTable: abort', () => {
  const big = () =>
    ipcOf({
      x: raw(
        new A.Int32(),
        Int32Array.from({ length: 200_000 }, (_, i) => i),
      ),
    });

  it('rejects with the reason of an already aborted signal, touching nothing', async () => {
    await db.connection.run('create or replace table ab as select 1 as a');
    const controller = new AbortController();
    const reason = new Error('stop now');
    controller.abort(reason);
    await expect(loadArrowIntoTable(db.connection, 'ab', big(), { signal: controller.signal })).rejects.toBe(reason);
    expect(await rows('select * from ab')).toEqual([[1]]);
  });

  it('rolls back when aborted while loading', async () => {
    await db.connection.run('create or replace table ab as select 1 as a');
    const controller = new AbortController();
    const reason = new Error('cancelled mid-load');
    const loading = loadArrowIntoTable(db.connection, 'ab', big(), { signal: controller.signal });
    setImmediate(() => controller.abort(reason));
    await expect(loading).rejects.toBe(reason);
    expect(await rows('select * from ab')).toEqual([[1]]);
  });
});

describe('loadArrowIntoTable: the rows reach the table through a table function', () => {
  it('keeps the order of the rows across record batches and chunks', async () => {
    const batches = [0, 1, 2].map(
      (b) =>
        new A.RecordBatch({
          x: A.makeData({
            type: new A.Int32(),
            length: 5000,
            data: Int32Array.from({ length: 5000 }, (_, i) => b * 5000 + i),
          }),
        }),
    );
    await loadArrowIntoTable(db.connection, 'ordered', A.tableToIPC(new A.Table(batches), 'stream'));
    expect(await rows('select count(*)::INTEGER, count(*) filter (where x <> rowid)::INTEGER from ordered')).toEqual([
      [15000, 0],
    ]);
  });

  it('serves an upload to its own INSERT only: other SQL cannot read the scan', async () => {
    await loadArrowIntoTable(db.connection, 'tiny', ipcOf({ x: raw(new A.Int32(), Int32Array.of(1)) }));
    await expect(db.connection.run("select * from __duckwire_arrow_scan('anything')")).rejects.toThrow(
      /no such upload/,
    );
  });
});

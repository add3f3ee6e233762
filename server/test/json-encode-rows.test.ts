import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultTooLargeError, UnsupportedTypeError } from '../src/errors.js';
import { encodeJsonRows, type JsonEncodeOptions } from '../src/json/encode-rows.js';

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  await connection.run(`create type mood as enum ('happy', 'sad')`);
});

afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

async function pieces(sql: string, options?: JsonEncodeOptions): Promise<string[]> {
  const result = await connection.stream(sql);
  const out: string[] = [];
  for await (const piece of encodeJsonRows(result, options)) out.push(piece);
  return out;
}

async function encode(sql: string, options?: JsonEncodeOptions): Promise<string> {
  return (await pieces(sql, options)).join('');
}

/** The JSON text of column `v` of a one-row, one-column result. */
async function valueText(expression: string): Promise<string> {
  const text = await encode(`select ${expression} as v`);
  expect(text.startsWith('[{"v":')).toBe(true);
  expect(text.endsWith('}]')).toBe(true);
  expect(() => JSON.parse(text)).not.toThrow();
  return text.slice('[{"v":'.length, -'}]'.length);
}

describe('encodeJsonRows: scalar types', () => {
  it.each([
    // integers of every width, written with all digits
    ['127::tinyint', '127'],
    ['(-128)::tinyint', '-128'],
    ['32767::smallint', '32767'],
    ['(-2147483648)::integer', '-2147483648'],
    ['9223372036854775807::bigint', '9223372036854775807'],
    ['(-9223372036854775808)::bigint', '-9223372036854775808'],
    ['255::utinyint', '255'],
    ['65535::usmallint', '65535'],
    ['4294967295::uinteger', '4294967295'],
    ['18446744073709551615::ubigint', '18446744073709551615'],
    ['170141183460469231731687303715884105727::hugeint', '170141183460469231731687303715884105727'],
    ['(-170141183460469231731687303715884105728)::hugeint', '-170141183460469231731687303715884105728'],
    ['340282366920938463463374607431768211455::uhugeint', '340282366920938463463374607431768211455'],
    ['9007199254740993::bigint', '9007199254740993'],
    ['123456789012345678901234567890::bignum', '123456789012345678901234567890'],
    // decimals: exact decimal text
    ['1.10::decimal(5,2)', '1.10'],
    ['(-0.5)::decimal(4,2)', '-0.50'],
    ['0::decimal(4,2)', '0.00'],
    ['12::decimal(4,0)', '12'],
    ['123456789012345678.123456789012345678::decimal(36,18)', '123456789012345678.123456789012345678'],
    ['(-99999999999999999999999999999999999.999)::decimal(38,3)', '-99999999999999999999999999999999999.999'],
    // floating point: shortest round trip, non-finite → null
    ['0.1::double', '0.1'],
    ['1e308::double', '1e+308'],
    ['5e-324::double', '5e-324'],
    ['(-2.5)::double', '-2.5'],
    ["'NaN'::double", 'null'],
    ["'Infinity'::double", 'null'],
    ["'-Infinity'::double", 'null'],
    ['0.1::float', '0.1'],
    ['3.4028235e38::float', '3.4028235e+38'],
    ['1.17549435e-38::float', '1.1754944e-38'],
    ['16777216::float', '16777216'],
    ["'NaN'::float", 'null'],
    ["'-Infinity'::float", 'null'],
    // booleans and text
    ['true', 'true'],
    ['false', 'false'],
    ["'héllo'", '"héllo"'],
    ["''", '""'],
    [
      `'quote " backslash \\ tab ' || chr(9) || ' nl ' || chr(10) || ' nul ' || chr(0)`,
      '"quote \\" backslash \\\\ tab \\t nl \\n nul \\u0000"',
    ],
    ["'🦆'", '"🦆"'],
    [`'{"a": [1, 2]}'::json`, '"{\\"a\\": [1, 2]}"'],
    ["'happy'::mood", '"happy"'],
    ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", '"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"'],
    ["'\\xAA\\xBB\\xCC'::blob", '"qrvM"'],
    ["''::blob", '""'],
    ["'10110'::bit", '"10110"'],
    // dates and times
    ["'2024-01-02'::date", '"2024-01-02"'],
    ["'1970-01-01'::date", '"1970-01-01"'],
    ["'0001-01-01'::date", '"0001-01-01"'],
    ["'0044-03-15 (BC)'::date", '"-000043-03-15"'],
    ["'5877642-06-25'::date", '"+5877642-06-25"'],
    ["'infinity'::date", '"infinity"'],
    ["'-infinity'::date", '"-infinity"'],
    ["'2024-01-02 03:04:05.123456'::timestamp", '"2024-01-02T03:04:05.123456"'],
    ["'2024-01-02 03:04:05'::timestamp", '"2024-01-02T03:04:05.000000"'],
    ["'1969-12-31 23:59:59.999999'::timestamp", '"1969-12-31T23:59:59.999999"'],
    ["'infinity'::timestamp", '"infinity"'],
    ["'-infinity'::timestamp", '"-infinity"'],
    ["'2024-01-02 03:04:05'::timestamp_s", '"2024-01-02T03:04:05"'],
    ["'2024-01-02 03:04:05.123'::timestamp_ms", '"2024-01-02T03:04:05.123"'],
    ["'2024-01-02 03:04:05.123456789'::timestamp_ns", '"2024-01-02T03:04:05.123456789"'],
    ["'1900-01-02 03:04:05.000000001'::timestamp_ns", '"1900-01-02T03:04:05.000000001"'],
    ["'2024-01-02 03:04:05.123456+00'::timestamptz", '"2024-01-02T03:04:05.123456Z"'],
    ["'2024-01-02 03:04:05.123456+02'::timestamptz", '"2024-01-02T01:04:05.123456Z"'],
    ["'infinity'::timestamptz", '"infinity"'],
    ["'03:04:05.123456'::time", '"03:04:05.123456"'],
    ["'00:00:00'::time", '"00:00:00.000000"'],
    ["'24:00:00'::time", '"24:00:00.000000"'],
    ["'03:04:05.123456+05:30'::timetz", '"03:04:05.123456+05:30"'],
    ["'03:04:05-08'::timetz", '"03:04:05.000000-08:00"'],
    ["'03:04:05+00'::timetz", '"03:04:05.000000+00:00"'],
    // intervals: ISO-8601 durations
    ["interval '1 year 2 months 3 days 04:05:06.789'", '"P1Y2M3DT4H5M6.789S"'],
    ['interval 0 second', '"PT0S"'],
    ["interval '-90 minutes'", '"PT-1H-30M"'],
    ["interval '1 month -1 day'", '"P1M-1D"'],
    ["interval '0.000001 seconds'", '"PT0.000001S"'],
    ["interval '-14 months'", '"P-1Y-2M"'],
    // NULL of no particular type
    ['null', 'null'],
  ])('%s → %s', async (expression, expected) => {
    expect(await valueText(expression)).toBe(expected);
  });

  it.each([
    'tinyint',
    'bigint',
    'ubigint',
    'hugeint',
    'uhugeint',
    'decimal(20,3)',
    'float',
    'double',
    'boolean',
    'varchar',
    'json',
    'mood',
    'uuid',
    'blob',
    'bit',
    'date',
    'timestamp',
    'timestamp_s',
    'timestamp_ms',
    'timestamp_ns',
    'timestamptz',
    'time',
    'timetz',
    'interval',
    'integer[]',
    'integer[2]',
    'struct(a integer)',
    'map(varchar, integer)',
    'map(integer, integer)',
    'union(a integer, b varchar)',
  ])('NULL::%s → null', async (type) => {
    expect(await valueText(`null::${type}`)).toBe('null');
  });
});

describe('encodeJsonRows: nested types', () => {
  it.each([
    ['[1, 2, null]', '[1,2,null]'],
    ['[]::integer[]', '[]'],
    ["['a', null, 'c']", '["a",null,"c"]'],
    ['[[1], [], null, [2, 3]]', '[[1],[],null,[2,3]]'],
    ['[9223372036854775807]::bigint[]', '[9223372036854775807]'],
    ['array_value(1, 2, 3)', '[1,2,3]'],
    ['[1.5, null]::decimal(4,2)[2]', '[1.50,null]'],
    ["{'a': 1, 'b': 'x', 'c': null}", '{"a":1,"b":"x","c":null}'],
    ["{'a': {'b': [1, 2]}, 'e': [{'f': true}]}", '{"a":{"b":[1,2]},"e":[{"f":true}]}'],
    ["{'we\"ird key': 1}", '{"we\\"ird key":1}'],
    ["[{'x': 1}, null, {'x': null}]", '[{"x":1},null,{"x":null}]'],
    ["row(1, 'x')", '[1,"x"]'],
    ['[row(1, 2), null]', '[[1,2],null]'],
    ["map {'k1': 1, 'k2': null}", '{"k1":1,"k2":null}'],
    ["map {'happy'::mood: 1}", '{"happy":1}'],
    ["map {1: 'x', 2: 'y'}", '[{"key":1,"value":"x"},{"key":2,"value":"y"}]'],
    ["map {[1]: {'a': 2}}", '[{"key":[1],"value":{"a":2}}]'],
    ['map([], [])::map(varchar, integer)', '{}'],
    ['union_value(num := 2)::union(num integer, s varchar)', '2'],
    ["union_value(s := 'x')::union(num integer, s varchar)", '"x"'],
    ["[union_value(s := 'x')::union(num integer, s varchar), null]", '["x",null]'],
    [
      "{'d': '2024-01-02'::date, 't': '2024-01-02 03:04:05'::timestamp}",
      '{"d":"2024-01-02","t":"2024-01-02T03:04:05.000000"}',
    ],
    ["['\\xFF'::blob]", '["/w=="]'],
    ['[0.1::float, 0.25::float]', '[0.1,0.25]'],
  ])('%s → %s', async (expression, expected) => {
    expect(await valueText(expression)).toBe(expected);
  });

  it('refuses an unnamed STRUCT inside a MAP, naming the column', async () => {
    await expect(encode('select map {1: row(1, 2)} as m')).rejects.toThrow(UnsupportedTypeError);
    await expect(encode('select map {1: row(1, 2)} as m')).rejects.toThrow(/"m\.value"/);
  });

  it('encodes a table of mixed columns, NULLs at every level', async () => {
    await connection.run(`
      create or replace table mixed as select * from (values
        (1, 'a', [1, 2], {'p': 1.5::double, 'q': [true]}),
        (null, null, null, null),
        (3, 'c', [null], {'p': null, 'q': null})
      ) t(i, s, l, st)`);
    const text = await encode('select * from mixed order by i nulls last');
    expect(text).toBe(
      '[{"i":1,"s":"a","l":[1,2],"st":{"p":1.5,"q":[true]}},' +
        '{"i":3,"s":"c","l":[null],"st":{"p":null,"q":null}},' +
        '{"i":null,"s":null,"l":null,"st":null}]',
    );
  });
});

describe('encodeJsonRows: result shape', () => {
  it('writes an empty result as []', async () => {
    expect(await pieces('select 1 as x where false')).toEqual(['[]']);
  });

  it('writes count(*) as a JSON number', async () => {
    const text = await encode('select count(*) as n from range(100000)');
    expect(text).toBe('[{"n":100000}]');
    expect(JSON.parse(text)[0].n).toBe(100000);
  });

  it('writes integers beyond 2^53 with all digits', async () => {
    const text = await encode(
      'select 9223372036854775807::bigint as a, (-9223372036854775808)::bigint as b, ' +
        '170141183460469231731687303715884105727::hugeint as c, 18446744073709551615::ubigint as d',
    );
    const match = /^\[\{"a":(-?\d+),"b":(-?\d+),"c":(-?\d+),"d":(-?\d+)\}\]$/.exec(text);
    expect(match).not.toBeNull();
    expect(match!.slice(1).map(BigInt)).toEqual([2n ** 63n - 1n, -(2n ** 63n), 2n ** 127n - 1n, 2n ** 64n - 1n]);
  });

  it('gives duplicate column names _1, _2 suffixes', async () => {
    expect(await encode('select 1 as a, 2 as a, 3 as a')).toBe('[{"a":1,"a_1":2,"a_2":3}]');
  });

  it('never renames a column whose name is unique, skipping suffixes that are taken', async () => {
    expect(await encode('select 1 as a, 2 as a, 3 as a_1, 4 as a')).toBe('[{"a":1,"a_2":2,"a_1":3,"a_3":4}]');
  });

  it('escapes column names', async () => {
    expect(await encode('select 1 as "we""ird\\name"')).toBe('[{"we\\"ird\\\\name":1}]');
  });

  it('streams a multi-chunk result in several pieces that join into the whole array', async () => {
    const parts = await pieces("select i, i * 2 as j, 'r' || i as s from range(5000) t(i) order by i");
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]!.startsWith('[{')).toBe(true);
    expect(parts.at(-1)).toBe(']');
    const rows = JSON.parse(parts.join('')) as { i: number; j: number; s: string }[];
    expect(rows).toHaveLength(5000);
    rows.forEach((row, i) => {
      expect(row).toEqual({ i, j: i * 2, s: `r${i}` });
    });
  });

  it('works on a materialized result too', async () => {
    const result = await connection.run('select i from range(3000) t(i)');
    let text = '';
    for await (const piece of encodeJsonRows(result)) text += piece;
    expect(JSON.parse(text)).toHaveLength(3000);
  });
});

describe('encodeJsonRows: limits and errors', () => {
  it('allows exactly maxRows rows', async () => {
    expect(JSON.parse(await encode('select * from range(3000)', { maxRows: 3000 }))).toHaveLength(3000);
  });

  it('throws ResultTooLargeError beyond maxRows', async () => {
    await expect(encode('select * from range(3001)', { maxRows: 3000 })).rejects.toThrow(ResultTooLargeError);
    await expect(encode('select * from range(2)', { maxRows: 1 })).rejects.toThrow(/more than the limit of 1 rows/);
  });

  it('throws ResultTooLargeError beyond maxBytes (UTF-8 bytes)', async () => {
    const text = await encode("select 'é' as s");
    const bytes = Buffer.byteLength(text);
    expect(await encode("select 'é' as s", { maxBytes: bytes })).toBe(text);
    await expect(encode("select 'é' as s", { maxBytes: bytes - 1 })).rejects.toThrow(ResultTooLargeError);
    await expect(encode('select 1 where false', { maxBytes: 1 })).rejects.toThrow(ResultTooLargeError);
    await expect(encode('select * from range(100000)', { maxBytes: 10_000 })).rejects.toThrow(/10000 bytes/);
  });

  it('passes on errors raised while fetching', async () => {
    await expect(
      encode("select case when i = 4000 then error('boom at 4000') else i end as x from range(5000) t(i)"),
    ).rejects.toThrow(/boom at 4000/);
    // the connection stays usable
    expect(await encode('select 1 as ok')).toBe('[{"ok":1}]');
  });

  it('can be abandoned early, leaving the connection usable', async () => {
    const result = await connection.stream('select * from range(100000)');
    for await (const piece of encodeJsonRows(result)) {
      expect(piece.startsWith('[')).toBe(true);
      break;
    }
    expect(await encode('select 2 as ok')).toBe('[{"ok":2}]');
  });
});

describe('encodeJsonRows: values read straight from vector memory', () => {
  it.each([
    // BIGINT / UBIGINT around 2^53, where the arithmetic path hands over to bigints
    ['9007199254740991::bigint', '9007199254740991'],
    ['(-9007199254740991)::bigint', '-9007199254740991'],
    ['9007199254740992::bigint', '9007199254740992'],
    ['(-9007199254740993)::bigint', '-9007199254740993'],
    ['4294967296::bigint', '4294967296'],
    ['(-4294967297)::bigint', '-4294967297'],
    ['9007199254740993::ubigint', '9007199254740993'],
    // DOUBLE: integral values up to 2^53 as digits, larger ones the way String() writes them
    ['(-0.0)::double', '0'],
    ['9007199254740992::double', '9007199254740992'],
    ['18014398509481984::double', '18014398509481984'],
    ['1e21::double', '1e+21'],
    ['123456789.5::double', '123456789.5'],
    // TIMESTAMP at the edges of the ±2^53 µs fast path, and beyond it
    ["'2255-06-05 23:47:34.740991'::timestamp", '"2255-06-05T23:47:34.740991"'],
    ["'2255-06-05 23:47:34.740992'::timestamp", '"2255-06-05T23:47:34.740992"'],
    ["'1684-12-31 23:59:59.999999'::timestamp", '"1684-12-31T23:59:59.999999"'],
    ["'1685-01-01 00:00:00'::timestamp", '"1685-01-01T00:00:00.000000"'],
    ["'1969-12-31 23:59:59.999999'::timestamp", '"1969-12-31T23:59:59.999999"'],
    ["'1960-02-29 12:00:00.5'::timestamp_ms", '"1960-02-29T12:00:00.500"'],
    ["'1960-02-29 12:00:01'::timestamp_s", '"1960-02-29T12:00:01"'],
    ["'1969-12-31 23:59:59.999999+00'::timestamptz", '"1969-12-31T23:59:59.999999Z"'],
    ["'24:00:00'::time", '"24:00:00.000000"'],
    // VARCHAR: inlined (≤ 12 bytes) and heap strings, escapes, non-ASCII
    ["'exactly12chr'", '"exactly12chr"'],
    ["'thirteen_char'", '"thirteen_char"'],
    ["'long string with \"quotes\" and \\ backslash'", '"long string with \\"quotes\\" and \\\\ backslash"'],
    ["chr(1) || chr(8) || chr(9) || chr(10) || chr(12) || chr(13) || chr(31) || chr(127)", '"\\u0001\\b\\t\\n\\f\\r\\u001f\u007f"'],
    ["chr(0) || 'after a NUL, long enough'", '"\\u0000after a NUL, long enough"'],
    ["'日本語のテキストです'", '"日本語のテキストです"'],
  ])('%s → %s', async (expression, expected) => {
    expect(await valueText(expression)).toBe(expected);
  });

  it('writes many strings, inlined and not, NULLs among them, exactly as JSON.stringify does', async () => {
    const sql = `select case when i % 7 = 0 then null else repeat(chr((65 + i % 50)::integer), (i % 40)::integer) || 'é"\\' || i end as s
      from range(5000) t(i) order by i`;
    const rows = JSON.parse(await encode(sql)) as { s: string | null }[];
    const expected = (await connection.runAndReadAll(sql)).getRowObjects();
    expect(rows).toEqual(expected);
  });
});

describe('encodeJsonRows: embedded mode', () => {
  const sql = `select i, 'a"b\\c' || i as s, chr(10) || 'é' as t, i / 3 as d, timestamp '2024-01-01' + to_seconds(i) as ts,
      [i, null] as l, {'x"': 'y\\'} as st, i % 2 = 0 as b from range(3000) t(i)`;

  it('gives each piece as JSON.stringify(plainPiece).slice(1, -1)', async () => {
    const plain = await pieces(sql);
    const embedded = await pieces(sql, { mode: 'embedded' });
    expect(embedded).toEqual(plain.map((piece) => JSON.stringify(piece).slice(1, -1)));
    expect(await pieces('select 1 where false', { mode: 'embedded' })).toEqual(['[]']);
  });

  it('counts maxBytes on the plain text', async () => {
    const bytes = Buffer.byteLength((await pieces(sql)).join(''));
    expect((await pieces(sql, { mode: 'embedded', maxBytes: bytes })).length).toBeGreaterThan(1);
    await expect(pieces(sql, { mode: 'embedded', maxBytes: bytes - 1 })).rejects.toThrow(ResultTooLargeError);
  });
});

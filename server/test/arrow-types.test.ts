// Type-faithfulness of the Arrow encoder: every DuckDB type, with NULLs, across chunk
// boundaries, decoded by apache-arrow and compared with what DuckDB returns for the same query.
import { describe, expect, test } from 'vitest';
import { bothWays } from './arrow-helpers.js';
import { useDuckDB } from './support/duckdb-fixture.js';

const db = useDuckDB(async (connection) => {
  await connection.run(`create type mood as enum ('sad', 'ok', 'happy')`);
});

/**
 * Scalar types: [DuckDB type, expression of i (BIGINT row number), extreme literals, Arrow type
 * as apache-arrow prints it].
 */
const scalarCases: ReadonlyArray<readonly [string, string, readonly string[], string]> = [
  ['BOOLEAN', 'i % 3 = 0', ['true', 'false'], 'Bool'],
  ['TINYINT', '(i % 256) - 128', ['-128', '127'], 'Int8'],
  ['SMALLINT', '(i * 7 % 65536) - 32768', ['-32768', '32767'], 'Int16'],
  ['INTEGER', 'i * 104729 - 1000000', ['-2147483648', '2147483647'], 'Int32'],
  ['BIGINT', 'i * 9007199254740 - 4', ['-9223372036854775808', '9223372036854775807'], 'Int64'],
  ['UTINYINT', 'i % 256', ['0', '255'], 'Uint8'],
  ['USMALLINT', 'i * 7 % 65536', ['0', '65535'], 'Uint16'],
  ['UINTEGER', 'i * 104729', ['0', '4294967295'], 'Uint32'],
  ['UBIGINT', 'i * 9007199254740', ['0', '18446744073709551615'], 'Uint64'],
  ['FLOAT', 'i / 3', ["'nan'", "'inf'", "'-inf'", '-0.0', '3.4e38'], 'Float32'],
  ['DOUBLE', 'i / 7', ["'nan'", "'-inf'", '1.7976931348623157e308', '5e-324'], 'Float64'],
  ['DECIMAL(4,1)', '(i % 19999 - 9999) / 10', ['-999.9', '999.9'], 'Decimal[4e+1]'],
  ['DECIMAL(9,3)', 'i * 1.001 - 1000', ['-999999.999', '999999.999'], 'Decimal[9e+3]'],
  ['DECIMAL(18,6)', 'i * 12345.678901 - 1', ['-999999999999.999999', '999999999999.999999'], 'Decimal[18e+6]'],
  ['DECIMAL(38,10)', 'i * 123456789.0123456789 - 5', ['-9999999999999999999999999999.9999999999'], 'Decimal[38e+10]'],
  [
    'HUGEINT',
    'i::HUGEINT * 1000000000000000000000 - 7',
    ['-170141183460469231731687303715884105728', '170141183460469231731687303715884105727'],
    'Decimal[38e0]',
  ],
  [
    'UHUGEINT',
    'i::UHUGEINT * 1000000000000000000000',
    ['0', '340282366920938463463374607431768211455'],
    'FixedSizeBinary[16]',
  ],
  [
    'VARCHAR',
    `case i % 4 when 0 then '' when 1 then 'short' || i when 2 then 'a somewhat longer string ' || i else 'ünïcødé ✓ ' || i end`,
    [`'exactly12byt'`, `'thirteen byte'`],
    'Utf8',
  ],
  ['BLOB', `('\\x00\\xFF' || repeat('b', (i % 20)::int))::BLOB`, [`''::BLOB`, `'\\x00'::BLOB`], 'Binary'],
  ['BIT', `bitstring(bin(i % 255 + 1), 8 + (i % 40)::int)`, [`'1'::BIT`, `'010101010101010101010101'::BIT`], 'Binary'],
  [
    'DATE',
    `DATE '1970-01-01' + (i * 37 - 20000)::int`,
    [`'5877642-06-25 (BC)'::DATE`, `'5881580-07-10'::DATE`, `'infinity'::DATE`],
    'Date32<DAY>',
  ],
  [
    'TIME',
    `TIME '00:00:00' + to_microseconds(i * 1234567)`,
    [`'00:00:00'::TIME`, `'24:00:00'::TIME`],
    'Time64<MICROSECOND>',
  ],
  [
    'TIME_NS',
    `('00:00:01.' || lpad((i * 7919 % 1000000000)::VARCHAR, 9, '0'))::TIME_NS`,
    [`'23:59:59.999999999'::TIME_NS`],
    'Time64<NANOSECOND>',
  ],
  [
    'TIMETZ',
    `('12:34:56.' || lpad(i::VARCHAR, 6, '0') || '+0' || (i % 10))::TIMETZ`,
    [`'00:00:00-15:59'::TIMETZ`, `'23:59:59.999999+15:59'::TIMETZ`],
    'Time64<MICROSECOND>',
  ],
  [
    'TIMESTAMP',
    `TIMESTAMP '2000-01-01' + to_microseconds(i * 86400001234)`,
    [`'infinity'::TIMESTAMP`, `'-infinity'::TIMESTAMP`, `'290309-12-22 (BC) 00:00:00'::TIMESTAMP`],
    'Timestamp<MICROSECOND>',
  ],
  [
    'TIMESTAMP_S',
    `(TIMESTAMP '2000-01-01' + to_seconds(i * 86401))::TIMESTAMP_S`,
    [`'1677-09-22'::TIMESTAMP_S`],
    'Timestamp<SECOND>',
  ],
  [
    'TIMESTAMP_MS',
    `(TIMESTAMP '2000-01-01' + to_milliseconds(i * 86400001))::TIMESTAMP_MS`,
    [`'1960-01-01 00:00:00.001'::TIMESTAMP_MS`],
    'Timestamp<MILLISECOND>',
  ],
  [
    'TIMESTAMP_NS',
    `('2000-01-01 00:00:00.' || lpad((i * 7919 % 1000000000)::VARCHAR, 9, '0'))::TIMESTAMP_NS`,
    [`'1677-09-22 00:00:00'::TIMESTAMP_NS`],
    'Timestamp<NANOSECOND>',
  ],
  [
    'TIMESTAMPTZ',
    `TIMESTAMPTZ '2000-01-01 00:00:00+00' + to_microseconds(i * 86400001234)`,
    [`'infinity'::TIMESTAMPTZ`],
    'Timestamp<MICROSECOND, UTC>',
  ],
  [
    'INTERVAL',
    `to_months((i % 25)::int) + to_days((i % 40 - 20)::int) + to_microseconds(i * 1234567)`,
    [`INTERVAL '-100 years'`, `INTERVAL '1 microsecond'`],
    'Interval<MONTH_DAY_NANO>',
  ],
  [
    'UUID',
    `md5(i::VARCHAR)::UUID`,
    [
      `'00000000-0000-0000-0000-000000000000'::UUID`,
      `'ffffffff-ffff-ffff-ffff-ffffffffffff'::UUID`,
      `'7fffffff-ffff-ffff-8000-000000000000'::UUID`,
    ],
    'Utf8',
  ],
  ['mood', `(['sad', 'ok', 'happy'])[1 + i % 3]::mood`, [`'happy'::mood`], 'Dictionary<Uint8, Utf8>'],
  ['JSON', `json_object('i', i, 's', 'x' || i)`, [`'[1, {"a": null}]'::JSON`], 'Utf8'],
];

describe.each(scalarCases)('%s', (duckType, expression, extremes, arrowType) => {
  test('values and NULLs across chunks (2500 rows, NULL every 7th from row 3)', async () => {
    const sql = `select case when i % 7 = 3 then null else (${expression})::${duckType} end as v
      from range(2500) t(i)`;
    const { table, expected, actual } = await bothWays(db.connection, sql);
    expect(String(table.schema.fields[0].type)).toBe(arrowType);
    expect(table.schema.fields[0].nullable).toBe(true);
    expect(table.numRows).toBe(2500);
    expect(actual).toEqual(expected);
    expect(actual.filter((row) => row[0] === null)).toHaveLength(357);
  });

  test('extreme values', async () => {
    const values = extremes.map((v) => `((${v})::${duckType})`).join(', ');
    const sql = `select * from (values ${values}, (NULL::${duckType})) t(v)`;
    const { expected, actual } = await bothWays(db.connection, sql);
    expect(actual).toEqual(expected);
  });
});

test('many columns of different types in one result keep their order and values', async () => {
  const sql = `select i::INTEGER a, 'x' || i b, i % 2 = 0 c, i / 3 d, NULL::INTEGER e, [i, NULL] f
    from range(3000) t(i)`;
  const { table, expected, actual } = await bothWays(db.connection, sql);
  expect(table.schema.fields.map((f) => f.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  expect(actual).toEqual(expected);
});

test('a NULL literal column is sent as DuckDB types it (INTEGER)', async () => {
  const { table, expected, actual } = await bothWays(db.connection, 'select NULL as n from range(3)');
  expect(String(table.schema.fields[0].type)).toBe('Int32');
  expect(actual).toEqual(expected);
  expect(actual).toEqual([[null], [null], [null]]);
});

test('UHUGEINT carries DuckDB opaque extension metadata', async () => {
  const { table } = await bothWays(db.connection, 'select 1::UHUGEINT u');
  const metadata = table.schema.fields[0].metadata;
  expect(metadata.get('ARROW:extension:name')).toBe('arrow.opaque');
  expect(JSON.parse(metadata.get('ARROW:extension:metadata') ?? '')).toEqual({
    type_name: 'uhugeint',
    vendor_name: 'DuckDB',
  });
});

test('TIMESTAMPTZ carries the time zone given in the options; values are unchanged', async () => {
  const sql = `select TIMESTAMPTZ '2020-06-01 12:00:00+02' t`;
  const { table, expected, actual } = await bothWays(db.connection, sql, { timeZone: 'Europe/Paris' });
  expect(String(table.schema.fields[0].type)).toBe('Timestamp<MICROSECOND, Europe/Paris>');
  expect(actual).toEqual(expected);
});

test('ENUM index width follows the dictionary size (UINT16 for > 255 values)', async () => {
  await db.connection.run(`create type big_enum as enum (select 'v' || i from range(300) t(i))`);
  const sql = `select case when i % 5 = 0 then null else ('v' || (i % 300))::big_enum end e from range(2100) t(i)`;
  const { table, expected, actual } = await bothWays(db.connection, sql);
  expect(String(table.schema.fields[0].type)).toBe('Dictionary<Uint16, Utf8>');
  expect(actual).toEqual(expected);
});

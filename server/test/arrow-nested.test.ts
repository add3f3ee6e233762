// Nested types: LIST, ARRAY, STRUCT, MAP, UNION and their combinations, with NULLs at every
// level, decoded by apache-arrow and compared with DuckDB's own values.
import { expect, test } from 'vitest';
import { bothWays } from './arrow-helpers.js';
import { useDuckDB } from './support/duckdb-fixture.js';

const db = useDuckDB(async (connection) => {
  await connection.run(`create type mood as enum ('sad', 'ok', 'happy')`);
});

/** `expr` of row number i, NULL when i % 11 = 5; over 2500 rows (two chunks). */
const column = (expr: string, rows = 2500, cast = ''): string =>
  `select (case when i % 11 = 5 then null else ${expr} end)${cast} as v from range(${rows}) t(i)`;

/** An element that is NULL when i % 5 = 1. */
const nullable = (expr: string, k = 5): string => `case when (i + ${k}) % 5 = 1 then null else ${expr} end`;

const cases: ReadonlyArray<readonly [string, string, string]> = [
  [
    'LIST(INTEGER) with NULL lists, empty lists and NULL elements',
    column(`case when i % 7 = 0 then []::INTEGER[] else [i::INTEGER, ${nullable('i::INTEGER * 2')}, 3] end`),
    'List<Int32>',
  ],
  [
    'LIST(VARCHAR) with inline and long strings',
    column(`[${nullable(`'s' || i`)}, repeat('long-' || i, 1 + i % 4), '']`),
    'List<Utf8>',
  ],
  ['LIST(LIST(BIGINT))', column(`[[i, ${nullable('i + 1')}], NULL, [], [i * 3]]`), 'List<List<Int64>>'],
  [
    'LIST(STRUCT)',
    column(`[{'a': i, 'b': ${nullable(`'x' || i`)}}, NULL, {'a': NULL, 'b': 'y'}]`),
    'List<Struct<{a:Int64, b:Utf8}>>',
  ],
  [
    'STRUCT with NULL fields, nested LIST and STRUCT',
    column(`{'n': ${nullable('i::INTEGER')}, 's': 'v' || i, 'l': [i, NULL], 'inner': {'d': i / 2, 'b': i % 2 = 0}}`),
    'Struct<{n:Int32, s:Utf8, l:List<Int64>, inner:Struct<{d:Float64, b:Bool}>}>',
  ],
  [
    'MAP(VARCHAR, INTEGER) with NULL values and empty maps',
    column(
      `case when i % 9 = 0 then map([]::VARCHAR[], []::INTEGER[]) else map(['k' || i, 'z'], [i::INTEGER, ${nullable('7')}]) end`,
    ),
    'Map<{key:Utf8, value:Int32}>',
  ],
  [
    'MAP(INTEGER, LIST(VARCHAR))',
    column(`map([i::INTEGER, i::INTEGER + 1], [['a' || i, NULL], NULL])`),
    'Map<{key:Int32, value:List<Utf8>}>',
  ],
  [
    'ARRAY(INTEGER, 3) with NULL elements',
    column(`[i, ${nullable('i + 1')}, i + 2]`, 2500, '::INTEGER[3]'),
    'FixedSizeList[3]<Int32>',
  ],
  [
    'ARRAY(VARCHAR, 2)',
    column(`['long string number ' || i, ${nullable(`'s'`)}]`, 2500, '::VARCHAR[2]'),
    'FixedSizeList[2]<Utf8>',
  ],
  [
    'ARRAY(STRUCT, 2)',
    column(`[{'x': i}, ${nullable(`{'x': -i}`)}]`, 2500, '::STRUCT(x BIGINT)[2]'),
    'FixedSizeList[2]<Struct<{x:Int64}>>',
  ],
  [
    'LIST(ARRAY(DOUBLE, 2))',
    column(`[[i / 2, i / 3]::DOUBLE[2], NULL, [0, ${nullable('1')}]::DOUBLE[2]]`),
    'List<FixedSizeList[2]<Float64>>',
  ],
  [
    'UNION(num INTEGER, str VARCHAR)',
    column(
      `case when i % 3 = 0 then union_value(num := i::INTEGER)::UNION(num INTEGER, str VARCHAR)
        else union_value(str := 'u' || i)::UNION(num INTEGER, str VARCHAR) end`,
    ),
    'Union<Int32 | Utf8>',
  ],
  [
    'LIST(UNION)',
    column(
      `[union_value(b := i % 2 = 0)::UNION(a BIGINT, b BOOLEAN), union_value(a := i)::UNION(a BIGINT, b BOOLEAN)]`,
    ),
    'List<Union<Int64 | Bool>>',
  ],
  [
    'LIST(ENUM) and ENUM in STRUCT',
    column(`{'m': (['sad', 'ok', 'happy'])[1 + i % 3]::mood, 'ms': ['ok'::mood, NULL]}`),
    'Struct<{m:Dictionary<Uint8, Utf8>, ms:List<Dictionary<Uint8, Utf8>>}>',
  ],
  [
    'LIST of UUID, DECIMAL, TIMESTAMP, INTERVAL, HUGEINT',
    column(
      `{'u': [md5(i::VARCHAR)::UUID, NULL], 'd': [i * 1.5::DECIMAL(9,2), NULL], 't': [TIMESTAMP '2000-01-01' + to_seconds(i), NULL],
        'iv': [to_days(i::INTEGER), NULL], 'h': [i::HUGEINT << 70, NULL]}`,
    ),
    'Struct<{u:List<Utf8>, d:List<Decimal[28e+2]>, t:List<Timestamp<MICROSECOND>>, iv:List<Interval<MONTH_DAY_NANO>>, h:List<Decimal[38e0]>}>',
  ],
  [
    'deep nesting: LIST(STRUCT(MAP, ARRAY(LIST)))',
    column(`[{'m': map(['k'], [i]), 'a': [[i], NULL]::BIGINT[][2]}, NULL]`, 2100),
    'List<Struct<{m:Map<{key:Utf8, value:Int64}>, a:FixedSizeList[2]<List<Int64>>}>>',
  ],
];

test.each(cases)('%s', async (_label, sql, arrowType) => {
  const { table, expected, actual } = await bothWays(db.connection, sql);
  expect(String(table.schema.fields[0].type)).toBe(arrowType);
  expect(actual).toEqual(expected);
  expect(actual.some((row) => row[0] === null)).toBe(true);
});

test('MAP fields are named and flagged like DuckDB exports them (entries and key non-nullable)', async () => {
  const { table } = await bothWays(db.connection, `select map(['a'], [1]) m`);
  const entries = table.schema.fields[0].type.children[0];
  expect(entries.name).toBe('entries');
  expect(entries.nullable).toBe(false);
  expect(entries.type.children.map((f: { name: string; nullable: boolean }) => [f.name, f.nullable])).toEqual([
    ['key', false],
    ['value', true],
  ]);
});

test('LIST child is named "l" and ARRAY child unnamed (DuckDB export names)', async () => {
  const { table } = await bothWays(db.connection, `select [1] l, [1]::INTEGER[1] a`);
  expect(table.schema.fields[0].type.children[0].name).toBe('l');
  // apache-arrow writes an empty field name as an absent one, and reads it back as null.
  expect(['', null]).toContain(table.schema.fields[1].type.children[0].name);
});

test('a NULL UNION decodes as NULL', async () => {
  const sql = `select * from (values (union_value(a := 1)::UNION(a INTEGER, b VARCHAR)), (NULL), (union_value(b := 'x')::UNION(a INTEGER, b VARCHAR))) t(u)`;
  const { expected, actual } = await bothWays(db.connection, sql);
  expect(actual).toEqual(expected);
  expect(actual[1]).toEqual([null]);
});

// A filter over a list column makes DuckDB hand over list entries that are not back to back
// (a selection over the original child vector): the encoder gathers the child rows.
test.each([
  ['LIST(INTEGER)', `[i::INTEGER, ${nullable('i::INTEGER + 1')}]`],
  ['LIST(VARCHAR)', `['long string value ' || i, ${nullable(`'s' || i`)}]`],
  ['LIST(LIST(VARCHAR))', `[['a' || i, NULL], [], ['long string value ' || i]]`],
  ['LIST(STRUCT(LIST))', `[{'x': [i, i + 1], 'y': 'long string value ' || i}]`],
  ['LIST(ARRAY)', `[[i, i + 1]::BIGINT[2], NULL]`],
  ['LIST(BOOLEAN)', `[i % 2 = 0, NULL, true]`],
  ['LIST(UNION)', `[union_value(a := i)::UNION(a BIGINT, b VARCHAR)]`],
  ['LIST(UUID)', `[md5(i::VARCHAR)::UUID]`],
  ['MAP', `map(['k' || i], [i])`],
])('filtered %s (non-contiguous list entries)', async (_label, expr) => {
  const sql = `select v from (select i, case when i % 13 = 4 then null else ${expr} end v from range(6000) t(i))
    where i % 3 <> 0 and i % 7 <> 2`;
  const { expected, actual } = await bothWays(db.connection, sql);
  expect(actual.length).toBe(expected.length);
  expect(actual).toEqual(expected);
});

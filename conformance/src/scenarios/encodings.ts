/**
 * Value encodings, type by type: json-encoding.md#types (exact text of `data`) and
 * arrow-types.md (Arrow type and value, compared value by value in canonical form).
 */
import { MUST, error, expectArrow, expectText, open, q, scenario, send } from './dsl.js';
import type { Scenario, Step } from '../scenario/schema.js';

interface TypeCase {
  /** Short id: `encoding.json.<id>` / `encoding.arrow.<id>`. */
  id: string;
  /** Human name of the type, for titles. */
  name: string;
  /** SQL expression of the value (aliased v); may refer to setup objects. */
  expr: string;
  /** Setup statements run in the same query, before the SELECT. */
  setup?: string;
  /** Exact `data` text of the json result, or an `error` code when the type is refused. */
  json?: string | { error: string };
  /** Arrow type (apache-arrow's rendering) and canonical value, or an error code. */
  arrow?: { type: unknown; value: unknown; metadata?: unknown } | { error: string };
  /** Capabilities needed (v1 temporal encoding). */
  requires?: string[];
}

const jsonSpec = 'json-encoding.md#types';
const arrowSpec = 'arrow-types.md';

function sqlOf(c: TypeCase): string {
  return `${c.setup ? `${c.setup}; ` : ''}select ${c.expr} as v`;
}

function scenariosOf(c: TypeCase): Scenario[] {
  const out: Scenario[] = [];
  const v1 = c.requires?.includes('v1');
  const opening: Step = open('a', v1 ? { protocols: ['duckwire.v1'] } : {});
  if (c.json !== undefined) {
    const expectation =
      typeof c.json === 'string'
        ? expectText({ type: 'json', queryId: 'j', data: c.json })
        : expectText(error(c.json.error, 'j'));
    out.push(
      scenario({
        id: `encoding.json.${c.id}`,
        title: `json: ${c.name} is written as ${typeof c.json === 'string' ? c.json : `error ${c.json.error}`}`,
        spec: jsonSpec,
        level: MUST,
        requires: c.requires ?? [],
        steps: [opening, send(q('json', 'j', sqlOf(c))), expectation],
      }),
    );
  }
  if (c.arrow !== undefined) {
    const expectation =
      'error' in c.arrow
        ? expectText(error(c.arrow.error, 'r'))
        : expectArrow('r', {
            schema: [
              {
                name: 'v',
                type: c.arrow.type,
                ...(c.arrow.metadata === undefined ? {} : { metadata: c.arrow.metadata }),
              },
            ],
            rows: [{ v: c.arrow.value }],
          });
    out.push(
      scenario({
        id: `encoding.arrow.${c.id}`,
        title: `arrow: ${c.name} maps to ${'error' in c.arrow ? `error ${c.arrow.error}` : JSON.stringify(c.arrow.type)}`,
        spec: arrowSpec,
        level: MUST,
        requires: c.requires ?? [],
        steps: [opening, send(q('arrow', 'r', sqlOf(c))), expectation],
      }),
    );
  }
  return out;
}

const V1_TEMPORAL = ['v1', 'temporal'];

const cases: TypeCase[] = [
  { id: 'boolean', name: 'BOOLEAN', expr: 'true', json: '[{"v":true}]', arrow: { type: 'Bool', value: true } },
  {
    id: 'tinyint',
    name: 'TINYINT',
    expr: '(-128)::tinyint',
    json: '[{"v":-128}]',
    arrow: { type: 'Int8', value: -128 },
  },
  {
    id: 'smallint',
    name: 'SMALLINT',
    expr: '(-32768)::smallint',
    json: '[{"v":-32768}]',
    arrow: { type: 'Int16', value: -32768 },
  },
  {
    id: 'integer',
    name: 'INTEGER',
    expr: '2147483647::integer',
    json: '[{"v":2147483647}]',
    arrow: { type: 'Int32', value: 2147483647 },
  },
  {
    id: 'bigint',
    name: 'BIGINT beyond 2^53',
    expr: '9223372036854775807::bigint',
    json: '[{"v":9223372036854775807}]',
    arrow: { type: 'Int64', value: '9223372036854775807' },
  },
  {
    id: 'count',
    name: 'count(*)',
    expr: '(select count(*) from range(100000))',
    json: '[{"v":100000}]',
    arrow: { type: 'Int64', value: '100000' },
  },
  {
    id: 'hugeint',
    name: 'HUGEINT',
    expr: '(-170141183460469231731687303715884105727)::hugeint',
    json: '[{"v":-170141183460469231731687303715884105727}]',
    arrow: { type: { $regex: '^Decimal\\[38e\\+?0\\]$' }, value: '-170141183460469231731687303715884105727' },
  },
  {
    id: 'utinyint',
    name: 'UTINYINT',
    expr: '255::utinyint',
    json: '[{"v":255}]',
    arrow: { type: 'Uint8', value: 255 },
  },
  {
    id: 'usmallint',
    name: 'USMALLINT',
    expr: '65535::usmallint',
    json: '[{"v":65535}]',
    arrow: { type: 'Uint16', value: 65535 },
  },
  {
    id: 'uinteger',
    name: 'UINTEGER',
    expr: '4294967295::uinteger',
    json: '[{"v":4294967295}]',
    arrow: { type: 'Uint32', value: 4294967295 },
  },
  {
    id: 'ubigint',
    name: 'UBIGINT',
    expr: '18446744073709551615::ubigint',
    json: '[{"v":18446744073709551615}]',
    arrow: { type: 'Uint64', value: '18446744073709551615' },
  },
  {
    id: 'uhugeint',
    name: 'UHUGEINT',
    expr: '340282366920938463463374607431768211455::uhugeint',
    json: '[{"v":340282366920938463463374607431768211455}]',
    arrow: {
      type: 'FixedSizeBinary[16]',
      value: '0xffffffffffffffffffffffffffffffff',
      metadata: { 'ARROW:extension:name': 'arrow.opaque' },
    },
  },
  {
    id: 'bignum',
    name: 'BIGNUM (VARINT)',
    expr: "'123456789012345678901234567890123456789012'::varint",
    json: '[{"v":123456789012345678901234567890123456789012}]',
  },
  {
    id: 'decimal',
    name: 'DECIMAL(4,2) keeping trailing zeros',
    expr: '1.10::decimal(4,2)',
    json: '[{"v":1.10}]',
    arrow: { type: 'Decimal[4e+2]', value: '1.10' },
  },
  {
    id: 'decimal-negative',
    name: 'negative DECIMAL below 1',
    expr: '(-0.5)::decimal(4,2)',
    json: '[{"v":-0.50}]',
    arrow: { type: 'Decimal[4e+2]', value: '-0.50' },
  },
  { id: 'decimal-scale-0', name: 'DECIMAL(10,0)', expr: '12::decimal(10,0)', json: '[{"v":12}]' },
  {
    id: 'decimal-38',
    name: 'DECIMAL(38,10) with all digits',
    expr: "'1234567890123456789012345678.0123456789'::decimal(38,10)",
    json: '[{"v":1234567890123456789012345678.0123456789}]',
    arrow: { type: 'Decimal[38e+10]', value: '1234567890123456789012345678.0123456789' },
  },
  {
    id: 'double',
    name: 'DOUBLE 0.1',
    expr: '0.1::double',
    json: '[{"v":0.1}]',
    arrow: { type: 'Float64', value: 0.1 },
  },
  {
    id: 'double-small',
    name: 'DOUBLE 1e-7 (exponent form)',
    expr: '1e-7::double',
    json: '[{"v":1e-7}]',
    arrow: { type: 'Float64', value: 1e-7 },
  },
  { id: 'double-1e16', name: 'DOUBLE 1e16 (all digits)', expr: '1e16::double', json: '[{"v":10000000000000000}]' },
  { id: 'double-1e21', name: 'DOUBLE 1e21 (exponent form)', expr: '1e21::double', json: '[{"v":1e+21}]' },
  {
    id: 'double-extremes',
    name: 'DOUBLE extremes',
    expr: '[5e-324::double, 1.7976931348623157e308::double]',
    json: '[{"v":[5e-324,1.7976931348623157e+308]}]',
  },
  {
    id: 'double-negative-zero',
    name: 'DOUBLE -0 (JSON: 0, as ECMAScript writes it; Arrow: -0 kept)',
    expr: '(-1.0)::double * 0',
    json: '[{"v":0}]',
    arrow: { type: 'Float64', value: '-0' },
  },
  {
    id: 'double-non-finite',
    name: 'DOUBLE NaN and ±Infinity (null in JSON)',
    expr: "['nan'::double, 'inf'::double, '-inf'::double]",
    json: '[{"v":[null,null,null]}]',
    arrow: { type: 'List<Float64>', value: ['NaN', 'Infinity', '-Infinity'] },
  },
  {
    id: 'float',
    name: 'FLOAT 0.1 (shortest float text)',
    expr: '0.1::float',
    json: '[{"v":0.1}]',
    arrow: { type: 'Float32', value: 0.10000000149011612 },
  },
  {
    id: 'varchar',
    name: 'VARCHAR with escapes and non-ASCII',
    expr: "'h\u00e9llo \"q\" \\ ' || chr(10) || '✓'",
    json: '[{"v":"héllo \\"q\\" \\\\ \\n✓"}]',
    arrow: { type: 'Utf8', value: 'héllo "q" \\ \n✓' },
  },
  {
    id: 'json',
    name: 'JSON (as its text)',
    expr: '\'{"a": 1}\'::json',
    json: '[{"v":"{\\"a\\": 1}"}]',
    arrow: { type: 'Utf8', value: '{"a": 1}' },
  },
  {
    id: 'enum',
    name: 'ENUM',
    setup: "create type mood_{{ns}} as enum ('sad', 'happy')",
    expr: "'happy'::mood_{{ns}}",
    json: '[{"v":"happy"}]',
    arrow: { type: 'Dictionary<Uint8, Utf8>', value: 'happy' },
  },
  {
    id: 'uuid',
    name: 'UUID',
    expr: "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid",
    json: '[{"v":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}]',
    arrow: { type: 'Utf8', value: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' },
  },
  {
    id: 'blob',
    name: 'BLOB (base64)',
    expr: "'\\xAA\\xBB\\xCC'::blob",
    json: '[{"v":"qrvM"}]',
    arrow: { type: 'Binary', value: '0xaabbcc' },
  },
  {
    id: 'bit',
    name: 'BIT',
    expr: "'10110'::bit",
    json: '[{"v":"10110"}]',
    arrow: { type: 'Binary', value: { $type: 'string' } },
  },
  {
    id: 'time',
    name: 'TIME',
    expr: "'03:04:05.123456'::time",
    json: '[{"v":"03:04:05.123456"}]',
    arrow: { type: 'Time64<MICROSECOND>', value: '03:04:05.123456' },
  },
  {
    id: 'timetz',
    name: 'TIMETZ (JSON keeps the offset, Arrow drops it)',
    expr: "'03:04:05+05:30'::timetz",
    json: '[{"v":"03:04:05.000000+05:30"}]',
    arrow: { type: 'Time64<MICROSECOND>', value: '03:04:05.000000' },
  },
  {
    id: 'list',
    name: 'LIST with NULL',
    expr: '[1, 2, NULL]',
    json: '[{"v":[1,2,null]}]',
    arrow: { type: 'List<Int32>', value: [1, 2, null] },
  },
  {
    id: 'array',
    name: 'ARRAY',
    expr: '[1, 2, 3]::integer[3]',
    json: '[{"v":[1,2,3]}]',
    arrow: { type: 'FixedSizeList[3]<Int32>', value: [1, 2, 3] },
  },
  {
    id: 'struct',
    name: 'STRUCT',
    expr: "{'a': 1, 'b': [true]}",
    json: '[{"v":{"a":1,"b":[true]}}]',
    arrow: { type: 'Struct<{a:Int32, b:List<Bool>}>', value: { a: 1, b: [true] } },
  },
  { id: 'unnamed-struct', name: 'unnamed STRUCT (array of values)', expr: "row(1, 'x')", json: '[{"v":[1,"x"]}]' },
  {
    id: 'map-varchar',
    name: 'MAP with VARCHAR keys (object)',
    expr: "map {'k1': 1, 'k2': NULL}",
    json: '[{"v":{"k1":1,"k2":null}}]',
    arrow: {
      type: 'Map<{key:Utf8, value:Int32}>',
      value: [
        { key: 'k1', value: 1 },
        { key: 'k2', value: null },
      ],
    },
  },
  {
    id: 'map-integer',
    name: 'MAP with INTEGER keys (key/value array)',
    expr: "map {1: 'x'}",
    json: '[{"v":[{"key":1,"value":"x"}]}]',
    arrow: { type: 'Map<{key:Int32, value:Utf8}>', value: [{ key: 1, value: 'x' }] },
  },
  {
    id: 'union',
    name: 'UNION (the active member)',
    expr: 'union_value(num := 2)::union(num integer, s varchar)',
    json: '[{"v":2}]',
    arrow: { type: { $regex: '^(Sparse)?Union' }, value: 2 },
  },
  { id: 'null', name: 'untyped NULL', expr: 'NULL', json: '[{"v":null}]', arrow: { type: 'Int32', value: null } },
  {
    id: 'variant',
    name: 'VARIANT (its value in JSON, refused in Arrow)',
    expr: "{'x': 1}::variant",
    json: '[{"v":{"x":1}}]',
    arrow: { error: 'unsupported_type' },
  },
  {
    id: 'nested',
    name: 'LIST of STRUCT with MAP and NULLs',
    expr: "[{'m': map {'a': [1, NULL]}}, NULL]",
    json: '[{"v":[{"m":{"a":[1,null]}},null]}]',
    arrow: {
      type: 'List<Struct<{m:Map<{key:Utf8, value:List<Int32>}>}>>',
      value: [{ m: [{ key: 'a', value: [1, null] }] }, null],
    },
  },
  // Temporal types: ISO text on duckwire.v1 connections (baseline connections get epoch milliseconds, V1 design §9).
  { id: 'date', name: 'DATE', expr: "'2024-01-02'::date", json: '[{"v":"2024-01-02"}]', requires: V1_TEMPORAL },
  {
    id: 'date-bc',
    name: 'DATE before year 1 (astronomical, expanded)',
    expr: "'0044-03-15 (BC)'::date",
    json: '[{"v":"-000043-03-15"}]',
    requires: V1_TEMPORAL,
  },
  {
    id: 'date-infinity',
    name: 'infinite DATE',
    expr: "['infinity'::date, '-infinity'::date]",
    json: '[{"v":["infinity","-infinity"]}]',
    requires: V1_TEMPORAL,
  },
  {
    id: 'timestamp',
    name: 'TIMESTAMP',
    expr: "'2024-01-02 03:04:05.123456'::timestamp",
    json: '[{"v":"2024-01-02T03:04:05.123456"}]',
    requires: V1_TEMPORAL,
  },
  {
    id: 'timestamp-s',
    name: 'TIMESTAMP_S',
    expr: "'2024-01-02 03:04:05'::timestamp_s",
    json: '[{"v":"2024-01-02T03:04:05"}]',
    requires: V1_TEMPORAL,
  },
  {
    id: 'timestamp-ms',
    name: 'TIMESTAMP_MS',
    expr: "'2024-01-02 03:04:05.123'::timestamp_ms",
    json: '[{"v":"2024-01-02T03:04:05.123"}]',
    requires: V1_TEMPORAL,
  },
  {
    id: 'timestamp-ns',
    name: 'TIMESTAMP_NS',
    expr: "'2024-01-02 03:04:05.123456789'::timestamp_ns",
    json: '[{"v":"2024-01-02T03:04:05.123456789"}]',
    requires: V1_TEMPORAL,
  },
  {
    id: 'timestamptz',
    name: 'TIMESTAMPTZ (UTC, Z)',
    expr: "'2024-01-02 03:04:05.123456+02'::timestamptz",
    json: '[{"v":"2024-01-02T01:04:05.123456Z"}]',
    requires: V1_TEMPORAL,
  },
  {
    id: 'interval',
    name: 'INTERVAL',
    expr: "interval '1 year 2 months 3 days 4 hours 5 minutes 6.789 seconds'",
    json: '[{"v":"P1Y2M3DT4H5M6.789S"}]',
    requires: V1_TEMPORAL,
  },
  {
    id: 'interval-negative',
    name: 'INTERVAL with negative parts',
    expr: "[interval '-14 months', interval '-90 minutes', interval '1 month -1 day', interval 0 second]",
    json: '[{"v":["P-1Y-2M","PT-1H-30M","P1M-1D","PT0S"]}]',
    requires: V1_TEMPORAL,
  },
  // Temporal Arrow types need no negotiation.
  { id: 'date-arrow', name: 'DATE', expr: "'2024-01-02'::date", arrow: { type: 'Date32<DAY>', value: '2024-01-02' } },
  {
    id: 'date-infinity-arrow',
    name: 'infinite DATE (DuckDB sentinel days ±(2^31-1))',
    expr: "'infinity'::date",
    arrow: { type: 'Date32<DAY>', value: '2147483647d' },
  },
  {
    id: 'timestamp-arrow',
    name: 'TIMESTAMP',
    expr: "'2024-01-02 03:04:05.123456'::timestamp",
    arrow: { type: 'Timestamp<MICROSECOND>', value: '2024-01-02T03:04:05.123456' },
  },
  {
    id: 'timestamp-infinity-arrow',
    name: 'infinite TIMESTAMP (sentinel ±(2^63-1) µs)',
    expr: "'-infinity'::timestamp",
    arrow: { type: 'Timestamp<MICROSECOND>', value: '-9223372036854775807' },
  },
  {
    id: 'timestamp-s-arrow',
    name: 'TIMESTAMP_S',
    expr: "'2024-01-02 03:04:05'::timestamp_s",
    arrow: { type: 'Timestamp<SECOND>', value: '2024-01-02T03:04:05' },
  },
  {
    id: 'timestamp-ms-arrow',
    name: 'TIMESTAMP_MS',
    expr: "'2024-01-02 03:04:05.123'::timestamp_ms",
    arrow: { type: 'Timestamp<MILLISECOND>', value: '2024-01-02T03:04:05.123' },
  },
  {
    id: 'timestamp-ns-arrow',
    name: 'TIMESTAMP_NS',
    expr: "'2024-01-02 03:04:05.123456789'::timestamp_ns",
    arrow: { type: 'Timestamp<NANOSECOND>', value: '2024-01-02T03:04:05.123456789' },
  },
  {
    id: 'timestamptz-arrow',
    name: 'TIMESTAMPTZ (UTC instant, a zone label)',
    expr: "'2024-01-02 03:04:05.123456+02'::timestamptz",
    arrow: { type: { $regex: '^Timestamp<MICROSECOND, .+>$' }, value: '2024-01-02T01:04:05.123456' },
  },
  {
    id: 'interval-arrow',
    name: 'INTERVAL',
    expr: "interval '1 month 2 days 3 seconds'",
    arrow: { type: 'Interval<MONTH_DAY_NANO>', value: { months: 1, days: 2, nanoseconds: '3000000000' } },
  },
];

/** Column names: duplicates get `_1`, `_2`… (json-encoding.md#column-names). */
const columnNames: Scenario[] = [
  scenario({
    id: 'encoding.json.duplicate-column-names',
    title: 'json: duplicate column names become a, a_1, a_2 (skipping names already taken)',
    spec: 'json-encoding.md#column-names',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'j1', 'select 1 as a, 2 as a, 3 as a')),
      expectText({ type: 'json', queryId: 'j1', data: '[{"a":1,"a_1":2,"a_2":3}]' }),
      send(q('json', 'j2', 'select 1 as a, 2 as a, 3 as a_1')),
      expectText({ type: 'json', queryId: 'j2', data: '[{"a":1,"a_2":2,"a_1":3}]' }),
    ],
  }),
  scenario({
    id: 'encoding.json.column-order-and-case',
    title: 'json: members keep the column order and case of the result',
    spec: 'json-encoding.md#column-names',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'j1', 'select 1 as "Zeta", 2 as alpha, 3 as "with space"')),
      expectText({ type: 'json', queryId: 'j1', data: '[{"Zeta":1,"alpha":2,"with space":3}]' }),
    ],
  }),
];

export const encodingScenarios: Scenario[] = [...cases.flatMap(scenariosOf), ...columnNames];

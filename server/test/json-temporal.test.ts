import { describe, expect, it } from 'vitest';
import { encodeJsonRows } from '../src/json/encode-rows.js';
import { useDuckDB } from './support/duckdb-fixture.js';

const db = useDuckDB();

async function rows(sql: string, temporal: 'iso' | 'epochMs'): Promise<string> {
  const result = await db.connection.stream(sql);
  let text = '';
  for await (const piece of encodeJsonRows(result, { temporal })) text += piece;
  return text;
}

/**
 * Expected texts are what the reference server (sqlrooms-server 0.1.2: DuckDB → pandas →
 * `to_json(orient="records")`) answered for the same SQL, recorded on 2026-11-30.
 */
describe("temporal: epochMs (the reference server's encoding, for baseline connections)", () => {
  it.each([
    ["date '2024-01-31'", '1706659200000'],
    ["date '1960-01-01'", '-315619200000'],
    ["timestamp '2024-01-31 13:45:00.123456'", '1706708700123'],
    ["timestamptz '2024-01-31 13:45:00.123456+00'", '1706708700123'],
    ["timestamp '1969-12-31 23:59:59.9995'", '-1'],
    ["timestamp '1969-12-31 23:59:59.0005'", '-1000'],
    ["'2024-01-31 13:45:00.123456789'::timestamp_ns", '1706708700123'],
    ["'2024-01-31 13:45:00.123'::timestamp_ms", '1706708700123'],
    ["'2024-01-31 13:45:00'::timestamp_s", '1706708700000'],
    ["'infinity'::timestamp", '9223372036854775'],
    ["'-infinity'::timestamp", '-9223372036854776'],
    ["date '5000-01-01'", '95617584000000'],
    ["date '200000-01-01'", '6249223180800000'],
    ["interval '1 month 2 days 3.5 seconds'", '2764803500'],
    ["interval '3.5 seconds'", '3500'],
    ["interval '-1.5 ms'", '-2'],
    ["interval '0.0015 seconds'", '1'],
    ["interval '-0.0015 seconds'", '-2'],
    ["interval '1 year'", '31104000000'],
    ['null::date', 'null'],
    ['null::timestamp', 'null'],
  ])('%s → %s', async (expression, expected) => {
    expect(await rows(`select ${expression} as v`, 'epochMs')).toBe(`[{"v":${expected}}]`);
  });

  it('writes nested temporal values the same way', async () => {
    const text = await rows(
      "select [date '2024-01-31'] as l, {'t': timestamp '2024-01-31 13:45:00.5', 'i': interval '2 days'} as s, map {'k': date '2024-01-01'} as m",
      'epochMs',
    );
    expect(text).toBe('[{"l":[1706659200000],"s":{"t":1706708700500,"i":172800000},"m":{"k":1704067200000}}]');
  });

  it('keeps every digit beyond 2^53 (where pandas would overflow), matching DuckDB’s own arithmetic', async () => {
    const sql = "select date '290000-06-15' as d, timestamp '290000-06-15 01:02:03.004005' as t";
    const [expected] = (
      await db.connection.runAndReadAll(
        `select (date_diff('day', date '1970-01-01', d)::hugeint * 86400000)::varchar, epoch_ms(t)::varchar from (${sql})`,
      )
    ).getRows();
    expect(await rows(sql, 'epochMs')).toBe(`[{"d":${expected![0]},"t":${expected![1]}}]`);
    expect(Number(expected![0])).toBeGreaterThan(2 ** 53);
  });

  it('agrees with the slow path on every row of a chunk of varied timestamps', async () => {
    const sql =
      "select (timestamp '1969-12-31 23:59:59' + to_microseconds(i * 7919 - 40000000))::timestamp as t from range(5000) r(i)";
    const text = await rows(sql, 'epochMs');
    const micros = (await db.connection.runAndReadAll(`select epoch_us(t) from (${sql})`))
      .getRows()
      .map(([us]) => us as bigint);
    // Floored to milliseconds, also for instants before 1970 (where truncation would differ).
    const floorMs = (us: bigint) => Number(us >= 0n ? us / 1000n : -((-us + 999n) / 1000n));
    expect(micros.some((us) => us < 0n && us % 1000n !== 0n)).toBe(true);
    expect(JSON.parse(text).map((row: { t: number }) => row.t)).toEqual(micros.map(floorMs));
  });
});

describe('temporal: iso (the default, exact)', () => {
  it('is unchanged ISO text', async () => {
    expect(await rows("select date '2024-01-31' as d, timestamp '2024-01-31 13:45:00.123456' as t", 'iso')).toBe(
      '[{"d":"2024-01-31","t":"2024-01-31T13:45:00.123456"}]',
    );
  });
});

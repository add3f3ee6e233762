// Joining DuckDB chunks into record batches: odd chunk sizes (validity bits shifted across
// bytes), NULLs at varied positions, long strings read in runs, all-NULL and no-NULL chunks.
import { expect, test } from 'vitest';
import { bothWays } from './arrow-helpers.js';
import { useDuckDB } from './support/duckdb-fixture.js';

const db = useDuckDB();

const columns = `
  case when hash(i) % 5 = 0 then null else i::INTEGER end int_col,
  case when hash(i + 1) % 3 = 0 then null else i / 7 end dbl_col,
  case when hash(i + 2) % 4 = 0 then null else i % 3 = 0 end bool_col,
  case when hash(i + 3) % 6 = 0 then null when i % 2 = 0 then 'inline ' || i else 'a long string value ' || i end str_col,
  case when i % 11 = 0 then null else [i, null] end list_col`;

test.each([1, 7, 9, 2047, 2048, 2049, 4097, 10000])('%i rows with NULLs at varied positions', async (rows) => {
  const { table, expected, actual } = await bothWays(db.connection, `select ${columns} from range(${rows}) t(i)`);
  expect(table.numRows).toBe(rows);
  expect(actual).toEqual(expected);
});

test('filtered results (chunks of sizes that are not multiples of 8)', async () => {
  // Each 2048-row input chunk keeps a varying, odd number of rows.
  const sql = `select ${columns} from range(30000) t(i) where hash(i) % 7 <> 3 and i % 13 <> 5`;
  const { expected, actual } = await bothWays(db.connection, sql);
  expect(actual).toEqual(expected);
});

test('chunks with no NULL, chunks with only NULLs, and the mix, in one batch', async () => {
  const sql = `select case when i >= 2048 and i < 4096 then null when i >= 6000 and i % 2 = 0 then null else i end v,
      case when i < 4096 then null else 'x' || i end s
    from range(9000) t(i)`;
  const { table, expected, actual } = await bothWays(db.connection, sql);
  expect(actual).toEqual(expected);
  expect(table.getChild('v')!.nullCount).toBe(2048 + 1500);
  expect(table.getChild('s')!.nullCount).toBe(4096);
});

test('long strings that lie back to back, with inline and empty strings between them', async () => {
  const sql = `select case i % 5 when 0 then '' when 1 then 'tiny' else repeat(chr(65 + (i % 26)::int), 13 + i % 50) || i end s
    from range(12000) t(i)`;
  const { expected, actual } = await bothWays(db.connection, sql);
  expect(actual).toEqual(expected);
});

test('strings from a table (heap layout of stored data)', async () => {
  await db.connection.run(
    `create or replace table words as select i, case when i % 9 = 0 then null else 'stored string number ' || i || repeat('!', i % 7) end w from range(7000) t(i)`,
  );
  const { expected, actual } = await bothWays(db.connection, 'select w from words order by i desc');
  expect(actual).toEqual(expected);
});

test('a heap span whose strings land apart: a short string between every two long ones, some over 32 bytes', async () => {
  // DuckDB writes the long strings of a chunk back to back; the short ones between them are
  // copied from their structs, so one heap read is copied out in ~1,000 pieces per chunk.
  const sql = `select case when i % 2 = 0 then 'sh' || (i % 100) when i % 3 = 0 then repeat('y', 40 + i % 9) || i else 'thirteen-char' || i end s
    from range(6000) t(i)`;
  const { expected, actual } = await bothWays(db.connection, sql);
  expect(actual).toEqual(expected);
});

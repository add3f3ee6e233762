// DuckDB's error type read from its messages (the `errorType` of v1 `error` replies), including the
// parse failures node-api's extractStatements wraps in its own text.
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { duckdbErrorType } from '../src/database/duckdb-error-type.js';

/** The message DuckDB fails `sql` with: run directly, or split first as the server's statement runner does. */
async function messageOf(sql: string, split = false): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    if (split) await connection.extractStatements(sql);
    else await connection.run(sql);
    throw new Error(`no error for ${sql}`);
  } catch (error) {
    return (error as Error).message;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('duckdbErrorType', () => {
  it('reads the type of real DuckDB errors', async () => {
    expect(duckdbErrorType(await messageOf('select * from no_such_table'))).toBe('Catalog');
    expect(duckdbErrorType(await messageOf("select 'x'::int"))).toBe('Conversion');
  });

  it('reads Parser from a statement that does not parse (wrapped by extractStatements)', async () => {
    const message = await messageOf('selec 1', true);
    expect(message).toMatch(/^Failed to extract statements: Parser Error: /);
    expect(duckdbErrorType(message)).toBe('Parser');
  });

  it('is undefined for text that is not a DuckDB error', () => {
    expect(duckdbErrorType('something went wrong')).toBeUndefined();
    expect(duckdbErrorType('Failed to extract statements: oops')).toBeUndefined();
  });
});

import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll } from 'vitest';

/** An in-memory DuckDB opened before a test file's tests and closed after them. */
export interface DuckDBFixture {
  readonly connection: DuckDBConnection;
}

/** Open an in-memory DuckDB for this test file, run `setup` on its connection, close it afterwards. */
export function useDuckDB(setup?: (connection: DuckDBConnection) => Promise<unknown>): DuckDBFixture {
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await setup?.(connection);
  });
  afterAll(() => {
    connection?.closeSync();
    instance?.closeSync();
  });
  return {
    get connection() {
      if (!connection) throw new Error('the DuckDB fixture is used before its beforeAll ran');
      return connection;
    },
  };
}

import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withConnection } from '../src/database/connection-lease.js';
import { ConnectionPool } from '../src/database/connection-pool.js';

let instance: DuckDBInstance;
let pool: ConnectionPool;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  pool = new ConnectionPool(instance, 1);
});
afterAll(() => {
  pool.close();
  instance.closeSync();
});

const holder = () => ({ signal: new AbortController().signal, attach() {}, detach() {} });
const client = {};

describe('withConnection', () => {
  it('gives a connection back outside any transaction a failed use left open, whatever its SQL said', async () => {
    // An upload's own transaction: BEGIN, then a failure whose ROLLBACK did not happen (e.g. interrupted).
    const failure = withConnection(pool, client, holder(), async (connection) => {
      await connection.run('BEGIN TRANSACTION');
      await connection.run('CREATE TABLE half_done (x INTEGER)');
      throw new Error('the upload failed');
    });
    await expect(failure).rejects.toThrow('the upload failed');
    // The pool's only connection is the same one: it must not still be inside that transaction.
    const tables = await withConnection(pool, client, holder(), async (connection) => {
      await connection.run('BEGIN TRANSACTION');
      await connection.run('COMMIT');
      return (await connection.runAndReadAll("select count(*) from duckdb_tables() where table_name = 'half_done'")).getRows();
    });
    expect(tables).toEqual([[0n]]);
  });
});

// What clients' SQL may reach, as the operator chose it: the configuration is locked after the
// server's setup, and --read-only, --allowed-directories and --no-sql-extensions hold against
// every way SQL has to write, read files or load code.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { encodeFrame } from '@duckwire/protocol';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer, ServerOptions } from '../src/index.js';
import { type Reply, TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

const root = mkdtempSync(join(tmpdir(), 'duckwire-access-test-'));
const allowed = join(root, 'allowed');
const outside = join(root, 'outside');
mkdirSync(allowed);
mkdirSync(outside);
writeFileSync(join(allowed, 'in.csv'), 'a\n1\n');
writeFileSync(join(outside, 'out.csv'), 'a\n2\n');
writeFileSync(join(root, 'allowedX.csv'), 'a\n3\n');
const dbFile = join(root, 'data.duckdb');

beforeAll(async () => {
  const instance = await DuckDBInstance.create(dbFile);
  const connection = await instance.connect();
  await connection.run('create table t as select 1 as a');
  connection.closeSync();
  instance.closeSync();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A server with `options` and two clients for the tests of one describe block. */
function useServer(options: ServerOptions) {
  const handle = {} as { server: DuckwireServer; a: TestClient; b: TestClient };
  beforeAll(async () => {
    ({ server: handle.server } = await startTestServer(options));
    handle.a = await TestClient.connect(handle.server.url);
    handle.b = await TestClient.connect(handle.server.url);
  });
  afterAll(async () => {
    await handle.a.close();
    await handle.b.close();
    await handle.server.close();
  });
  return handle;
}

const failure = (reply: Reply) => (reply.type === 'error' ? reply.error : undefined);
const errorOf = async (client: TestClient, sql: string) => failure(await client.query('exec', sql));
const setting = async (client: TestClient, name: string) =>
  (await client.rows(`select current_setting('${name}') as v`))[0].v;
const csv = (dir: string, file: string) => `select * from read_csv('${join(dir, file)}')`;

describe('configuration locked after the server starts (default options)', () => {
  const s = useServer({});

  it('refuses server-wide settings, which then stay as they were for everyone', async () => {
    const before = await setting(s.b, 'memory_limit');
    expect(await errorOf(s.a, "set memory_limit = '20MB'")).toMatch(/locked/);
    expect(await setting(s.b, 'memory_limit')).toBe(before);
    expect(await errorOf(s.a, 'set threads = 1')).toMatch(/locked/);
    expect(await errorOf(s.a, "pragma memory_limit = '20MB'")).toMatch(/locked/);
    expect(await setting(s.b, 'memory_limit')).toBe(before);
  });

  it('does not let one client turn file access off for the others', async () => {
    expect(await errorOf(s.a, 'set enable_external_access = false')).toMatch(/locked/);
    expect(await s.b.rows(csv(allowed, 'in.csv'))).toEqual([{ a: 1 }]);
  });

  it("allows session settings such as TimeZone, for the client's own queries only; SET GLOBAL is refused", async () => {
    await s.a.exec("set TimeZone = 'America/New_York'");
    expect(await setting(s.a, 'TimeZone')).toBe('America/New_York');
    expect(await setting(s.b, 'TimeZone')).toBe('Etc/UTC');
    expect(await errorOf(s.a, "set global TimeZone = 'Asia/Tokyo'")).toMatch(/server-wide/);
    expect(await setting(s.b, 'TimeZone')).toBe('Etc/UTC');
  });

  it('keeps profiling (which prints on the server) off', async () => {
    expect(await errorOf(s.a, 'pragma enable_profiling')).toMatch(/profiling/);
    expect(await errorOf(s.a, "set enable_profiling = 'json'")).toMatch(/locked/);
  });
});

describe('--read-only on a database file', () => {
  const s = useServer({ dbPath: dbFile, readOnly: true });

  it('answers queries', async () => {
    expect(await s.a.rows('select a from t')).toEqual([{ a: 1 }]);
  });

  it('refuses writes to the database', async () => {
    expect(await errorOf(s.a, 'insert into t values (2)')).toMatch(/read-only/);
    expect(await errorOf(s.a, 'create table u (a int)')).toMatch(/read-only/);
    expect(await errorOf(s.a, 'create macro m() as 1')).toMatch(/read-only/);
    expect(await s.a.rows('select count(*)::int as n from t')).toEqual([{ n: 1 }]);
  });

  it('refuses COPY … TO and EXPORT DATABASE, and writes no file', async () => {
    const target = join(root, 'copied.csv');
    expect(await errorOf(s.a, `copy t to '${target}'`)).toMatch(/read-only/);
    expect(await errorOf(s.a, `select 1; copy t to '${target}'`)).toMatch(/read-only/);
    expect(await errorOf(s.a, `export database '${join(root, 'exported')}'`)).toMatch(/read-only/);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(root, 'exported'))).toBe(false);
  });

  it('refuses ATTACH for writing, INSTALL, LOAD and PREPARE', async () => {
    expect(await errorOf(s.a, `attach '${join(root, 'new.duckdb')}' as n`)).toBeDefined();
    expect(existsSync(join(root, 'new.duckdb'))).toBe(false);
    expect(await errorOf(s.a, "attach ':memory:' as m")).toBeDefined();
    expect(await errorOf(s.a, 'install httpfs')).toMatch(/read-only/);
    expect(await errorOf(s.a, 'load json')).toMatch(/read-only/);
    expect(await errorOf(s.a, `prepare p as copy t to '${join(root, 'p.csv')}'`)).toMatch(/PREPARE/);
  });

  it('refuses uploads with a clear error', async () => {
    const ipc = tableToIPC(tableFromArrays({ a: Int32Array.from([1]) }), 'stream');
    s.a.sendBinary(encodeFrame({ type: 'uploadArrow', queryId: 'up', tableName: 'uploaded' }, ipc));
    const reply = await s.a.terminal('up');
    expect(reply.type === 'error' && reply.code).toBe('upload_failed');
    expect(failure(reply)).toMatch(/read-only/);
  });
});

describe('--read-only in memory', () => {
  const s = useServer({ readOnly: true });

  it('starts with nothing writable but a session’s temporary objects', async () => {
    expect(await s.a.rows('select 42 as v')).toEqual([{ v: 42 }]);
    expect(await errorOf(s.a, 'create table u (a int)')).toMatch(/read-only/);
    await s.a.exec('create temp table scratch as select 1 as a');
    expect(await s.a.rows('select a from scratch')).toEqual([{ a: 1 }]);
  });
});

describe('--allowed-directories', () => {
  const s = useServer({ allowedDirectories: [allowed] });

  it('reads files below the allowed directories only', async () => {
    expect(await s.a.rows(csv(allowed, 'in.csv'))).toEqual([{ a: 1 }]);
    expect(failure(await s.a.query('json', csv(outside, 'out.csv')))).toMatch(/Permission Error/);
    expect(failure(await s.a.query('json', csv(allowed, '../outside/out.csv')))).toMatch(/Permission Error/);
    expect(failure(await s.a.query('json', `select * from read_csv('${allowed}X.csv')`))).toMatch(/Permission Error/);
    expect(failure(await s.a.query('json', `select * from glob('${root}/*')`))).toMatch(/Permission Error/);
  });

  it('reaches nothing on the network', async () => {
    expect(failure(await s.a.query('json', "select * from read_csv('http://127.0.0.1:9/x.csv')"))).toMatch(
      /Permission Error/,
    );
  });

  it('writes files below the allowed directories only', async () => {
    await s.a.exec(`copy (select 5 as a) to '${join(allowed, 'written.csv')}'`);
    expect(existsSync(join(allowed, 'written.csv'))).toBe(true);
    expect(await errorOf(s.a, `copy (select 5 as a) to '${join(outside, 'written.csv')}'`)).toMatch(/Permission Error/);
    expect(existsSync(join(outside, 'written.csv'))).toBe(false);
    expect(await errorOf(s.a, `attach '${join(outside, 'x.duckdb')}' as x`)).toMatch(/Permission Error/);
  });

  it('with --read-only, allows reads there but no writes', async () => {
    const { server } = await startTestServer({ allowedDirectories: [allowed], readOnly: true });
    const client = await TestClient.connect(server.url);
    try {
      expect(await client.rows(csv(allowed, 'in.csv'))).toEqual([{ a: 1 }]);
      expect(await errorOf(client, `copy (select 1) to '${join(allowed, 'ro.csv')}'`)).toMatch(/read-only/);
      expect(existsSync(join(allowed, 'ro.csv'))).toBe(false);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('with an empty list, reaches no file at all', async () => {
    const { server } = await startTestServer({ allowedDirectories: [] });
    const client = await TestClient.connect(server.url);
    try {
      expect(failure(await client.query('json', csv(allowed, 'in.csv')))).toMatch(/Permission Error/);
      expect(await client.rows('select 1 as v')).toEqual([{ v: 1 }]);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe('--no-sql-extensions', () => {
  const s = useServer({ sqlExtensions: false, extensions: ['json', 'httpfs'] });

  it('still preloads the operator’s extensions (a failing download is a warning)', () => {
    expect(s.server.extensions).toEqual(['json']);
  });

  it('refuses INSTALL, LOAD and UPDATE EXTENSIONS from SQL', async () => {
    expect(await errorOf(s.a, 'install httpfs')).toMatch(/--no-sql-extensions/);
    expect(await errorOf(s.a, "load '/tmp/x.duckdb_extension'")).toMatch(/--no-sql-extensions/);
    expect(await errorOf(s.a, 'update extensions')).toMatch(/--no-sql-extensions/);
    expect(await s.a.rows(`select (current_setting('autoinstall_known_extensions'))::varchar as v`)).toEqual([
      { v: 'false' },
    ]);
  });

  it('answers queries that use built-in extensions', async () => {
    expect(await s.a.rows(`select json_extract('{"x":1}', '$.x')::int as v`)).toEqual([{ v: 1 }]);
  });
});

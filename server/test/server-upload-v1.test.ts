// duckwire.v1 uploads against a real server: chunked Arrow uploads (split anywhere), their
// cancellation, a socket closed mid-upload, limits, and file uploads (CSV, Parquet, JSON, Arrow).
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFrame } from '@duckwire/protocol';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { useDuckDB } from './support/duckdb-fixture.js';
import { type Reply, TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

let server: DuckwireServer;
let client: TestClient;
let uploadDir: string;
const duckdb = useDuckDB();

beforeAll(async () => {
  uploadDir = await mkdtemp(join(tmpdir(), 'duckwire-upload-test-'));
  // One connection: every query then runs where the uploads ran, so their temp tables would show.
  ({ server } = await startTestServer({ maxConnections: 1, uploadDir, maxUploadBytes: 8 * 1024 * 1024 }));
  client = await TestClient.connect(server.url, {}, ['duckwire.v1']);
});
afterAll(async () => {
  await client.close();
  await server.close();
  await rm(uploadDir, { recursive: true, force: true });
});

/** An IPC stream of `batches` record batches of `rows` rows each (dictionary-encoded strings: a dictionary per batch). */
function ipcOf(batches: number, rows: number): Uint8Array {
  const tables = Array.from({ length: batches }, (_, b) =>
    tableFromArrays({
      id: Int32Array.from({ length: rows }, (_, i) => b * rows + i),
      score: Float64Array.from({ length: rows }, (_, i) => (b * rows + i) / 2),
      name: Array.from({ length: rows }, (_, i) => `name ${b * rows + i}`),
    }),
  );
  return tableToIPC(tables[0]!.concat(...tables.slice(1)), 'stream');
}

/** `bytes` cut at the given sizes, cycling through them (the cuts fall anywhere, inside messages too). */
function split(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let at = 0, k = 0; at < bytes.byteLength; k++) {
    const size = sizes[k % sizes.length]!;
    parts.push(bytes.subarray(at, at + size));
    at += size;
  }
  return parts;
}

type StartHeader =
  | { type: 'uploadArrow'; queryId?: string; tableName: string; chunked: true }
  | {
      type: 'uploadFile';
      queryId?: string;
      tableName: string;
      format: 'csv' | 'parquet' | 'json' | 'arrow';
      chunked: true;
    };

/** Send a chunked upload: the first part with `header`, the others as uploadChunk, the last marked. */
function sendChunked(header: StartHeader, parts: readonly Uint8Array[]): void {
  const [first = new Uint8Array(0), ...rest] = parts;
  client.sendBinary(encodeFrame(header, first));
  rest.forEach((part, i) => {
    const last = i === rest.length - 1;
    client.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: header.queryId!, ...(last ? { last } : {}) }, part));
  });
  if (rest.length === 0)
    client.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: header.queryId!, last: true }, new Uint8Array(0)));
}

/** A round trip on the socket: every frame sent before it has been handled by the server. */
async function roundTrip(c: TestClient = client): Promise<void> {
  const id = `rt-${Math.random()}`;
  c.send({ type: 'ping', id });
  await c.waitFor((reply) => reply.type === 'pong' && reply.id === id);
}

const stagingTables = async () =>
  (await client.rows("select count(*) as n from duckdb_tables() where table_name like 'duckwire_upload_%'"))[0]!.n;
const tableExists = async (name: string) =>
  (await client.rows(`select count(*) as n from duckdb_tables() where table_name = '${name}'`))[0]!.n === 1;

describe('hello', () => {
  it('announces chunkedUpload and fileUpload and the upload limit', async () => {
    const hello = await client.waitFor((reply) => reply.type === 'hello');
    if (hello.type !== 'hello') throw new Error('no hello');
    expect(hello.capabilities).toEqual(expect.arrayContaining(['chunkedUpload', 'fileUpload']));
    expect(hello.limits.maxUploadBytes).toBe(8 * 1024 * 1024);
  });
});

describe('chunked uploadArrow', () => {
  it('loads a stream cut at arbitrary byte boundaries, inside messages too', async () => {
    const ipc = ipcOf(5, 3000);
    sendChunked(
      { type: 'uploadArrow', queryId: 'c1', tableName: 'chunked_t', chunked: true },
      split(ipc, [1, 7, 4093, 333, 65536]),
    );
    expect(await client.terminal('c1')).toMatchObject({ type: 'uploadAck', queryId: 'c1' });
    expect(
      await client.rows('select count(*) as n, sum(id) as s, max(score) as m, min(name) as lo from chunked_t'),
    ).toEqual([{ n: 15000, s: (14999 * 15000) / 2, m: 14999 / 2, lo: 'name 0' }]);
    expect(await client.rows('select name from chunked_t where id = 12345')).toEqual([{ name: 'name 12345' }]);
    expect(await stagingTables()).toBe(0);
  });

  it('replaces the table atomically, and accepts a stream whole in its first part', async () => {
    sendChunked({ type: 'uploadArrow', queryId: 'c2', tableName: 'chunked_t', chunked: true }, [ipcOf(1, 10)]);
    expect(await client.terminal('c2')).toMatchObject({ type: 'uploadAck' });
    expect(await client.rows('select count(*) as n from chunked_t')).toEqual([{ n: 10 }]);
  });

  it('counts as in flight under its queryId until its last part', async () => {
    const parts = split(ipcOf(2, 1000), [5000]);
    client.sendBinary(
      encodeFrame({ type: 'uploadArrow', queryId: 'c3', tableName: 'inflight_t', chunked: true }, parts[0]!),
    );
    client.send({ type: 'exec', sql: 'select 1', queryId: 'c3' });
    expect(await client.waitFor((r) => r.type === 'error' && r.code === 'duplicate_query_id')).toMatchObject({
      queryId: 'c3',
    });
    parts.slice(1).forEach((part, i) => {
      client.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: 'c3', last: i === parts.length - 2 }, part));
    });
    expect(await client.terminal('c3')).toMatchObject({ type: 'uploadAck' });
    expect(await client.rows('select count(*) as n from inflight_t')).toEqual([{ n: 2000 }]);
  });

  it('is cancelled by cancel: cancelAck, error cancelled, no table, no staging, late parts dropped quietly', async () => {
    const parts = split(ipcOf(4, 2000), [3000]);
    client.sendBinary(
      encodeFrame({ type: 'uploadArrow', queryId: 'c4', tableName: 'cancelled_t', chunked: true }, parts[0]!),
    );
    client.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: 'c4' }, parts[1]!));
    await roundTrip();
    client.send({ type: 'cancel', queryId: 'c4' });
    expect(await client.waitFor((r) => r.type === 'cancelAck')).toMatchObject({ queryId: 'c4', cancelled: true });
    expect(await client.terminal('c4')).toMatchObject({ type: 'error', code: 'cancelled', queryId: 'c4' });
    const before = client.replies.length;
    client.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: 'c4' }, parts[2]!));
    client.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: 'c4', last: true }, parts[3]!));
    await roundTrip();
    expect(client.replies.slice(before).map((r) => r.type)).toEqual(['pong']);
    expect(await tableExists('cancelled_t')).toBe(false);
    expect(await stagingTables()).toBe(0);
    // After its last part the id is unknown again.
    client.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: 'c4' }, new Uint8Array(1)));
    expect(await client.waitFor((r) => r.type === 'error' && r.code === 'invalid_state')).not.toHaveProperty('queryId');
  });

  it('is discarded when its socket closes: no table, no staging', async () => {
    const other = await TestClient.connect(server.url, {}, ['duckwire.v1']);
    const parts = split(ipcOf(4, 2000), [3000]);
    other.sendBinary(
      encodeFrame({ type: 'uploadArrow', queryId: 'c5', tableName: 'abandoned_t', chunked: true }, parts[0]!),
    );
    other.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: 'c5' }, parts[1]!));
    await roundTrip(other);
    await other.close();
    // One DuckDB connection: these run once the upload has given it back.
    expect(await tableExists('abandoned_t')).toBe(false);
    expect(await stagingTables()).toBe(0);
    expect(server.busyConnections).toBe(0);
  });

  it('answers an uploadChunk of no upload in progress with invalid_state, without a queryId', async () => {
    client.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: 'nobody', last: true }, new Uint8Array(8)));
    const reply = await client.waitFor((r) => r.type === 'error' && r.code === 'invalid_state');
    expect(reply).not.toHaveProperty('queryId');
    if (reply.type === 'error') expect(reply.error).toContain('nobody');
  });

  it('refuses a chunked upload without a queryId', async () => {
    client.sendBinary(encodeFrame({ type: 'uploadArrow', tableName: 't', chunked: true }, new Uint8Array(0)));
    const reply = await client.waitFor((r) => r.type === 'error' && r.code === 'invalid_message');
    if (reply.type === 'error') expect(reply.error).toContain('queryId');
  });

  it('refuses an invalid table name with invalid_table_name and drops the rest of the parts', async () => {
    const parts = split(ipcOf(1, 100), [500]);
    const before = client.replies.length;
    sendChunked({ type: 'uploadArrow', queryId: 'c6', tableName: 'a.b.c.d', chunked: true }, parts);
    expect(await client.terminal('c6')).toMatchObject({ type: 'error', code: 'invalid_table_name' });
    await roundTrip();
    expect(client.replies.slice(before).map((r) => r.type)).toEqual(['error', 'pong']);
  });

  it('fails bytes that are not Arrow with upload_failed, keeping the old table', async () => {
    const garbage = new TextEncoder().encode('this is not an Arrow IPC stream, not at all');
    sendChunked({ type: 'uploadArrow', queryId: 'c7', tableName: 'chunked_t', chunked: true }, split(garbage, [10]));
    const reply = await client.terminal('c7');
    expect(reply).toMatchObject({ type: 'error', code: 'upload_failed' });
    if (reply.type === 'error') expect(reply.error).toContain('not a readable Arrow IPC stream');
    expect(await client.rows('select count(*) as n from chunked_t')).toEqual([{ n: 10 }]);
    expect(await stagingTables()).toBe(0);
  });

  it('fails a stream cut short (last part before its end) with upload_failed', async () => {
    const ipc = ipcOf(2, 1000);
    sendChunked(
      { type: 'uploadArrow', queryId: 'c8', tableName: 'chunked_t', chunked: true },
      split(ipc.subarray(0, ipc.byteLength - 5000), [4000]),
    );
    expect(await client.terminal('c8')).toMatchObject({ type: 'error', code: 'upload_failed' });
    expect(await client.rows('select count(*) as n from chunked_t')).toEqual([{ n: 10 }]);
  });

  it('stops an upload past maxUploadBytes with message_too_large, naming the limit', async () => {
    const ipc = tableToIPC(tableFromArrays({ x: new Float64Array(1_200_000) }), 'stream'); // 9.6 MB > 8 MiB
    sendChunked({ type: 'uploadArrow', queryId: 'c9', tableName: 'big_t', chunked: true }, split(ipc, [1024 * 1024]));
    const reply = await client.terminal('c9');
    expect(reply).toMatchObject({ type: 'error', code: 'message_too_large' });
    if (reply.type === 'error') expect(reply.error).toContain(String(8 * 1024 * 1024));
    await roundTrip();
    expect(await tableExists('big_t')).toBe(false);
    expect(await stagingTables()).toBe(0);
  });
});

describe('uploadFile', () => {
  const people = 'id,name,born\n1,Ada,1815-12-10\n2,Grace,1906-12-09\n3,"Lin, Jr.",2001-01-01\n';

  const uploadFile = (
    format: 'csv' | 'parquet' | 'json' | 'arrow',
    tableName: string,
    bytes: Uint8Array,
    queryId: string,
  ) => {
    client.sendBinary(encodeFrame({ type: 'uploadFile', queryId, tableName, format }, bytes));
    return client.terminal(queryId);
  };
  const expectPeople = async (table: string) => {
    expect(await client.rows(`select id, name, born::varchar as born from ${table} order by id`)).toEqual([
      { id: 1, name: 'Ada', born: '1815-12-10' },
      { id: 2, name: 'Grace', born: '1906-12-09' },
      { id: 3, name: 'Lin, Jr.', born: '2001-01-01' },
    ]);
  };
  const uploadDirIsEmpty = async () => expect(await readdir(uploadDir)).toEqual([]);

  it('loads CSV with DuckDB detecting the columns and types', async () => {
    expect(await uploadFile('csv', 'people_csv', new TextEncoder().encode(people), 'f1')).toMatchObject({
      type: 'uploadAck',
      queryId: 'f1',
    });
    await expectPeople('people_csv');
    expect(
      await client.rows(
        "select data_type from duckdb_columns() where table_name = 'people_csv' and column_name = 'born'",
      ),
    ).toEqual([{ data_type: 'DATE' }]);
    await uploadDirIsEmpty();
  });

  it('loads chunked CSV split anywhere', async () => {
    sendChunked(
      { type: 'uploadFile', queryId: 'f2', tableName: 'people_chunked', format: 'csv', chunked: true },
      split(new TextEncoder().encode(people), [3, 11]),
    );
    expect(await client.terminal('f2')).toMatchObject({ type: 'uploadAck' });
    await expectPeople('people_chunked');
    await uploadDirIsEmpty();
  });

  it('loads JSON (an array of objects, and newline-delimited)', async () => {
    const array = JSON.stringify([
      { id: 1, name: 'Ada', born: '1815-12-10' },
      { id: 2, name: 'Grace', born: '1906-12-09' },
      { id: 3, name: 'Lin, Jr.', born: '2001-01-01' },
    ]);
    expect(await uploadFile('json', 'people_json', new TextEncoder().encode(array), 'f3')).toMatchObject({
      type: 'uploadAck',
    });
    await expectPeople('people_json');
    const lines = '{"id":1,"tags":["a","b"]}\n{"id":2,"tags":[]}\n';
    expect(await uploadFile('json', 'ndjson', new TextEncoder().encode(lines), 'f4')).toMatchObject({
      type: 'uploadAck',
    });
    expect(await client.rows('select id, len(tags) as n from ndjson order by id')).toEqual([
      { id: 1, n: 2 },
      { id: 2, n: 0 },
    ]);
  });

  it('loads Parquet, whole and chunked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duckwire-parquet-'));
    try {
      const path = join(dir, 'people.parquet');
      await duckdb.connection.run(
        `copy (select * from (values (1, 'Ada', date '1815-12-10'), (2, 'Grace', date '1906-12-09'), (3, 'Lin, Jr.', date '2001-01-01')) v(id, name, born)) to '${path}' (format parquet)`,
      );
      const bytes = new Uint8Array(await readFile(path));
      expect(await uploadFile('parquet', 'people_parquet', bytes, 'f5')).toMatchObject({ type: 'uploadAck' });
      await expectPeople('people_parquet');
      sendChunked(
        { type: 'uploadFile', queryId: 'f6', tableName: 'people_parquet2', format: 'parquet', chunked: true },
        split(bytes, [100]),
      );
      expect(await client.terminal('f6')).toMatchObject({ type: 'uploadAck' });
      await expectPeople('people_parquet2');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await uploadDirIsEmpty();
  });

  it('loads Arrow (IPC stream and file format, whole and chunked) as uploadArrow does', async () => {
    const table = tableFromArrays({ id: Int32Array.of(1, 2, 3), name: ['Ada', 'Grace', 'Lin, Jr.'] });
    expect(await uploadFile('arrow', 'arrow_stream', tableToIPC(table, 'stream'), 'f7')).toMatchObject({
      type: 'uploadAck',
    });
    expect(await uploadFile('arrow', 'arrow_file', tableToIPC(table, 'file'), 'f8')).toMatchObject({
      type: 'uploadAck',
    });
    sendChunked(
      { type: 'uploadFile', queryId: 'f9', tableName: 'arrow_chunked', format: 'arrow', chunked: true },
      split(tableToIPC(table, 'file'), [64]),
    );
    expect(await client.terminal('f9')).toMatchObject({ type: 'uploadAck' });
    for (const name of ['arrow_stream', 'arrow_file', 'arrow_chunked']) {
      expect(await client.rows(`select string_agg(name, '|' order by id) as s from ${name}`)).toEqual([
        { s: 'Ada|Grace|Lin, Jr.' },
      ]);
    }
  });

  it("fails a malformed file with upload_failed carrying DuckDB's message, never the server's path", async () => {
    await client.exec('create table keep_me as select 42 as x');
    const garbage = new TextEncoder().encode('PAR1 but not really a parquet file');
    const reply = await uploadFile('parquet', 'keep_me', garbage, 'f10');
    expect(reply).toMatchObject({ type: 'error', code: 'upload_failed', queryId: 'f10' });
    if (reply.type !== 'error') throw new Error('expected an error');
    expect(reply.error).toMatch(/parquet/i);
    expect(reply.error).toContain('the uploaded file');
    expect(reply.error).not.toContain(uploadDir);
    expect(await client.rows('select x from keep_me')).toEqual([{ x: 42 }]);
    const json = await uploadFile('json', 'keep_me', new TextEncoder().encode('{"a": [1, 2'), 'f11');
    expect(json).toMatchObject({ type: 'error', code: 'upload_failed' });
    await uploadDirIsEmpty();
  });

  it('refuses an invalid table name with invalid_table_name before writing anything', async () => {
    expect(await uploadFile('csv', 'x; drop table keep_me', new TextEncoder().encode(people), 'f12')).toMatchObject({
      type: 'error',
      code: 'invalid_table_name',
    });
    expect(await client.rows('select x from keep_me')).toEqual([{ x: 42 }]);
    await uploadDirIsEmpty();
  });

  it('keeps a chunked file in a private temporary file (0600 in a 0700 directory) and removes it on cancel', async () => {
    const parts = split(new TextEncoder().encode(people), [20]);
    client.sendBinary(
      encodeFrame({ type: 'uploadFile', queryId: 'f13', tableName: 'never', format: 'csv', chunked: true }, parts[0]!),
    );
    client.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: 'f13' }, parts[1]!));
    await roundTrip();
    let reply: Reply | undefined;
    for (let tries = 0; tries < 200 && reply === undefined; tries++) {
      const [dir] = await readdir(uploadDir);
      if (dir !== undefined && (await readdir(join(uploadDir, dir))).length === 1) {
        expect((await stat(uploadDir)).mode & 0o777).toBe(0o700);
        expect((await stat(join(uploadDir, dir))).mode & 0o777).toBe(0o700);
        expect((await stat(join(uploadDir, dir, 'upload.csv'))).mode & 0o777).toBe(0o600);
        client.send({ type: 'cancel', queryId: 'f13' });
        reply = await client.terminal('f13');
      } else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(reply).toMatchObject({ type: 'error', code: 'cancelled' });
    await uploadDirIsEmpty();
    expect(await tableExists('never')).toBe(false);
  });
});

describe('a baseline connection', () => {
  it('refuses uploadFile with not_negotiated', async () => {
    const baseline = await TestClient.connect(server.url);
    baseline.sendBinary(
      encodeFrame({ type: 'uploadFile', queryId: 'b1', tableName: 't', format: 'csv' }, new Uint8Array(1)),
    );
    expect(await baseline.terminal('b1')).toMatchObject({ type: 'error', code: 'not_negotiated' });
    await baseline.close();
  });
});

describe('under the SQL-access controls', () => {
  it('loads file uploads with --allowed-directories [] (no files reachable from SQL) and refuses uploads when read-only', async () => {
    const csv = new TextEncoder().encode('a,b\n1,x\n2,y\n');
    const { server: locked } = await startTestServer({ allowedDirectories: [] });
    const { server: readOnly } = await startTestServer({ readOnly: true });
    try {
      const c = await TestClient.connect(locked.url, {}, ['duckwire.v1']);
      c.sendBinary(encodeFrame({ type: 'uploadFile', queryId: 'l1', tableName: 'locked_t', format: 'csv' }, csv));
      expect(await c.terminal('l1')).toMatchObject({ type: 'uploadAck' });
      expect(await c.rows('select sum(a) as s from locked_t')).toEqual([{ s: 3 }]);
      const outside = await c.query('json', "select * from read_csv('/etc/hostname')");
      expect(outside).toMatchObject({ type: 'error' });
      await c.close();

      const r = await TestClient.connect(readOnly.url, {}, ['duckwire.v1']);
      r.sendBinary(encodeFrame({ type: 'uploadFile', queryId: 'r1', tableName: 't', format: 'csv' }, csv));
      expect(await r.terminal('r1')).toMatchObject({ type: 'error', code: 'upload_failed' });
      r.sendBinary(encodeFrame({ type: 'uploadArrow', queryId: 'r2', tableName: 't', chunked: true }, ipcOf(1, 10)));
      r.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: 'r2', last: true }, new Uint8Array(0)));
      const reply = await r.terminal('r2');
      expect(reply).toMatchObject({ type: 'error', code: 'upload_failed' });
      if (reply.type === 'error') expect(reply.error).toContain('read-only');
      await r.close();
    } finally {
      await locked.close();
      await readOnly.close();
    }
  });
});

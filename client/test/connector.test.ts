// The SQLRooms-shaped connector against a real server: handles, cancellation, loading data with safe names.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type WebSocketDuckDbConnectionStatus,
  createWebSocketDuckDbConnector,
} from '../src/node.js';
import { useDuckwire } from './support/server.js';

const duckwire = useDuckwire();
const statuses: WebSocketDuckDbConnectionStatus[] = [];
const notifications: Array<[unknown, string]> = [];
let connector: ReturnType<typeof createWebSocketDuckDbConnector>;
const dir = mkdtempSync(join(tmpdir(), "duckwire client 'files' "));

beforeAll(async () => {
  connector = createWebSocketDuckDbConnector({
    wsUrl: duckwire.url,
    subscribeChannels: ['room'],
    initializationQuery: 'create or replace table conn_init as select 1 as ready',
    onNotification: (payload, channel) => notifications.push([payload, channel]),
    onConnectionStatusChange: (status) => statuses.push(status),
  });
  expect(connector.type).toBe('ws');
  expect(connector.connectionStatus).toBe('idle');
  await connector.initialize();
  await connector.initialize(); // idempotent
});
afterAll(async () => {
  await connector?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const count = async (table: string) => {
  const rows = [...(await connector.queryJson<{ n: number }>(`select count(*)::int as n from ${table}`))];
  return rows[0]?.n;
};

describe('the connector', () => {
  it('is connected, ran its initializationQuery, and reports status changes', async () => {
    expect(connector.connectionStatus).toBe('connected');
    expect(statuses).toEqual(['connecting', 'connected']);
    expect([...(await connector.queryJson('select ready from conn_init'))]).toEqual([{ ready: 1 }]);
  });

  it('query, queryJson and execute return awaitable handles with result, signal and cancel', async () => {
    const handle = connector.query('select 1 as x');
    expect(handle.signal.aborted).toBe(false);
    const table = await handle;
    expect(table).toBeInstanceOf(Table);
    expect((await handle.result).numRows).toBe(1);
    await connector.execute('create or replace table exec_t as select 1 as a');
    expect(await count('exec_t')).toBe(1);
    const caught = await connector.query('select nope').catch((error: Error) => error.message);
    expect(caught).toMatch(/nope/);
    expect(await connector.query('select 2').finally(() => undefined)).toBeInstanceOf(Table);
  });

  it('cancel() and an external AbortSignal reject with AbortError', async () => {
    const handle = connector.query('select count(*) from range(10000000000) a');
    setTimeout(() => handle.cancel(), 50);
    expect(await handle.result.catch((e: Error) => e.name)).toBe('AbortError');
    expect(handle.signal.aborted).toBe(true);

    const controller = new AbortController();
    const external = connector.queryJson('select count(*) from range(10000000000) a', { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await external.result.catch((e: Error) => e.name)).toBe('AbortError');

    const already = AbortSignal.abort();
    expect(await connector.query('select 1', { signal: already }).result.catch((e: Error) => e.name)).toBe(
      'AbortError',
    );
  });

  it('loadArrow uploads tables and IPC bytes, honours opts.schema and quotes names', async () => {
    const table = tableFromArrays({ id: Int32Array.from([1, 2, 3]), name: ['a', 'b', 'c'] });
    await connector.loadArrow(table, 'arrow_t');
    expect(await count('arrow_t')).toBe(3);
    await connector.loadArrow(tableToIPC(table, 'stream'), '"my table"', { schema: 'my schema' });
    expect(await count('"my schema"."my table"')).toBe(3);
    await connector.loadArrow(table, '"x""; drop table arrow_t; --"');
    expect(await count('arrow_t')).toBe(3);
    expect(await count('"x""; drop table arrow_t; --"')).toBe(3);
    await expect(connector.loadArrow(table, 's.t', { schema: 'other' })).rejects.toThrow(/already qualified/);
    await expect(connector.loadArrow(table, 't; drop table arrow_t')).rejects.toThrow(/invalid table name/);
  });

  it('loadObjects uploads rows through Arrow, with schema, select and where', async () => {
    const rows = [
      { id: 1, name: 'a', score: 0.5 },
      { id: 2, name: "o'brien", score: 1.5 },
    ];
    await connector.loadObjects(rows, 'objects_t', { schema: 'objs' });
    expect([...(await connector.queryJson('select id, name, score from objs.objects_t order by id'))]).toEqual(rows);
    await connector.loadObjects(rows, 'objects_sel', { select: ['name'], where: 'id > 1' });
    expect([...(await connector.queryJson('select * from objects_sel'))]).toEqual([{ name: "o'brien" }]);
  });

  it('loadFile reads a server-side file whose path holds quotes, with reader options as literals', async () => {
    const path = join(dir, "it's data.csv");
    writeFileSync(path, 'a;b\n1;x\n2;y\n');
    await connector.loadFile(path, 'file_t', { method: 'read_csv', delim: ';', header: true, replace: true });
    expect([...(await connector.queryJson('select * from file_t order by a'))]).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    await connector.loadFile(path, 'file_auto', { delim: ';', schema: 'files' } as never);
    expect(await count('files.file_auto')).toBe(2);
    await expect(connector.loadFile(path, 'bad', { "x='1') --": 1 } as never)).rejects.toThrow(/invalid reader option/);
  });

  it('loadFile with a Blob uploads its bytes (v1 uploadFile) into the table', async () => {
    await connector.loadFile(new Blob(['a\n1\n2\n']), 'blob_t', { method: 'read_csv' });
    const table = await connector.query('select sum(a)::int as s, count(*)::int as n from blob_t');
    expect(table.toArray().map((row) => [row.s, row.n])).toEqual([[3, 2]]);
  });

  it('hands notifications to onNotification with payload and channel', async () => {
    await connector.client.notify('room', { hello: 'world' });
    await expect.poll(() => notifications).toEqual([[{ hello: 'world' }, 'room']]);
  });

  it('reconnect() and destroy()/initialize() keep working', async () => {
    const seen: WebSocketDuckDbConnectionStatus[] = [];
    const stop = connector.subscribeConnectionStatus((status) => seen.push(status));
    await connector.reconnect();
    expect(connector.connectionStatus).toBe('connected');
    expect(seen).toContain('connected');
    await connector.destroy();
    expect(connector.connectionStatus).toBe('idle');
    await connector.initialize();
    expect((await connector.query('select 1')).numRows).toBe(1);
    stop();
  });
});

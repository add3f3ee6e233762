// The client's duckwire.v1 features against our real server (in process, real DuckDB): typed parameters,
// streamed results and cursors, progress, sessions, chunked Arrow and File uploads, errorType, overloaded.
// The scripted-server tests (v1-requests, v1-stream) pin the wire messages; these show the two ends agree.
import { Table, tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DuckwireClient,
  type QueryProgress,
  ServerError,
  connect,
  createWebSocketDuckDbConnector,
} from '../src/node.js';
import { startDuckwire, useDuckwire } from './support/server.js';

/** Binary messages over 1 MiB are refused by this server: larger uploads only get through in parts. */
const MESSAGE_LIMIT = 1024 * 1024;
const duckwire = useDuckwire({ progressIntervalMs: 1, maxMessageBytes: MESSAGE_LIMIT });
let client: DuckwireClient;
beforeAll(async () => {
  client = await connect(duckwire.url);
});
afterAll(() => client?.close());

/** Never-ending for practical purposes: only a streamed, cancellable read of it can finish. */
const ENDLESS = 'select i from range(10000000000) t(i)';

describe('v1 against the real server', () => {
  it('negotiates duckwire.v1 with every capability the client uses', () => {
    expect(client.protocol).toBe('duckwire.v1');
    for (const capability of ['params', 'stream', 'cursor', 'progress', 'session', 'chunkedUpload', 'fileUpload']) {
      expect(client.supports(capability)).toBe(true);
    }
  });

  it('binds typed params: bigint, hugeint, Date, bytes, NaN, lists and named values round-trip exactly', async () => {
    const big = 9007199254740993n;
    const huge = 2n ** 100n + 1n;
    const when = new Date(Date.UTC(2024, 0, 31, 13, 45, 6, 789));
    const bytes = new Uint8Array([0, 1, 2, 254, 255]);
    const types = await client.json(
      'select typeof($1) as a, typeof($2) as b, typeof($3) as c, typeof($4) as d, typeof($5) as e, typeof($6) as f',
      { params: [big, huge, when, bytes, Number.NaN, [1n, 2n]] },
    );
    expect(types).toEqual([
      { a: 'BIGINT', b: 'HUGEINT', c: 'TIMESTAMP WITH TIME ZONE', d: 'BLOB', e: 'DOUBLE', f: 'BIGINT[]' },
    ]);
    const table = await client.query(
      'select $1 as big, $1 + 1 as next, $2::varchar as huge, epoch_ms($3) as ms, $4 as bytes, isnan($5) as nan',
      { params: [big, huge, when, bytes, Number.NaN] },
    );
    const row = table.get(0);
    if (!row) throw new Error('no row');
    expect(row.big).toBe(big);
    expect(row.next).toBe(big + 1n);
    expect(row.huge).toBe(huge.toString());
    expect(Number(row.ms)).toBe(when.getTime());
    expect([...(row.bytes as Uint8Array)]).toEqual([...bytes]);
    expect(row.nan).toBe(true);
    const named = await client.json('select $day + 1 as next_day, $name as name', {
      params: { day: { $type: 'date', value: '2024-02-28' }, name: "it's $1; --" },
    });
    expect(named).toEqual([{ next_day: '2024-02-29', name: "it's $1; --" }]);
    // exec binds too: the value is stored, never pasted into SQL.
    await client.exec('create or replace table v1_params(v varchar)');
    await client.exec('insert into v1_params values (?)', { params: ["'); drop table v1_params; --"] });
    expect(await client.json('select v from v1_params')).toEqual([{ v: "'); drop table v1_params; --" }]);
  });

  it('streams: the first batch arrives long before the end (an endless result), and leaving the loop cancels', async () => {
    let batches = 0;
    let next = 0;
    for await (const batch of client.stream(ENDLESS)) {
      expect(Number(batch.getChild('i')?.get(0))).toBe(next);
      next += batch.numRows;
      if (++batches === 3) break;
    }
    expect(batches).toBe(3);
    // The server interrupted the rest: its connection is free again.
    await expect.poll(() => duckwire.server.busyConnections, { timeout: 10_000 }).toBe(0);
  });

  it('a stream’s AbortSignal ends the loop with an AbortError and cancels the query', async () => {
    const controller = new AbortController();
    let batches = 0;
    const error = await (async () => {
      for await (const _ of client.stream(ENDLESS, { signal: controller.signal })) {
        batches++;
        controller.abort();
      }
    })().catch((e) => e);
    expect(batches).toBe(1);
    expect(error.name).toBe('AbortError');
    await expect.poll(() => duckwire.server.busyConnections, { timeout: 10_000 }).toBe(0);
  });

  it('streams a finite result as several batches, in order, every row once', async () => {
    const rows = 300_000;
    let batches = 0;
    let next = 0;
    for await (const batch of client.stream(`select i, i::varchar as s from range(${rows}) t(i)`)) {
      batches++;
      expect(Number(batch.getChild('i')?.get(0))).toBe(next);
      expect(batch.getChild('s')?.get(batch.numRows - 1)).toBe(String(next + batch.numRows - 1));
      next += batch.numRows;
    }
    expect(next).toBe(rows);
    expect(batches).toBeGreaterThan(2);
  });

  it('streams with fetchRows: the server computes only what the loop asked for, batch by batch', async () => {
    const fetchRows = 10_000;
    let rows = 0;
    for await (const batch of client.stream(ENDLESS, { fetchRows })) {
      expect(batch.numRows).toBeLessThanOrEqual(fetchRows);
      expect(Number(batch.getChild('i')?.get(0))).toBe(rows);
      rows += batch.numRows;
      if (rows >= 5 * fetchRows) break;
    }
    expect(rows).toBe(5 * fetchRows);
    await expect.poll(() => duckwire.server.busyConnections, { timeout: 10_000 }).toBe(0);
  });

  it('cursor.next(n) gives exactly n rows (across DuckDB chunks), then the rest, then undefined', async () => {
    const cursor = client.cursor('select i from range(100000) t(i)');
    const first = await cursor.next(3000);
    expect(first).toBeInstanceOf(Table);
    expect(first?.numRows).toBe(3000);
    expect(Number(first?.getChild('i')?.get(2999))).toBe(2999);
    const second = await cursor.next(5001);
    expect(second?.numRows).toBe(5001);
    expect(Number(second?.getChild('i')?.get(0))).toBe(3000);
    const rest = await cursor.next(1_000_000);
    expect(rest?.numRows).toBe(100_000 - 8001);
    expect(Number(rest?.getChild('i')?.get(0))).toBe(8001);
    expect(cursor.done).toBe(true);
    expect(await cursor.next(1)).toBeUndefined();
  });

  it('cursor.close() cancels the query on the server; the connection stays usable', async () => {
    const cursor = client.cursor(ENDLESS);
    expect((await cursor.next(10))?.numRows).toBe(10);
    expect((await cursor.next(10))?.getChild('i')?.get(0)).toBe(10n);
    await cursor.close();
    expect(cursor.done).toBe(true);
    expect(await cursor.next(10)).toBeUndefined();
    await expect.poll(() => duckwire.server.busyConnections, { timeout: 10_000 }).toBe(0);
    expect(await client.json('select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('calls onProgress while a table scan runs, then resolves with the result', async () => {
    await client.exec('create or replace table v1_progress as select range as x from range(8000000)');
    const progress: QueryProgress[] = [];
    const rows = await client.json<{ n: number }>('select count(distinct x % 1000003)::int as n from v1_progress', {
      onProgress: (p) => progress.push(p),
    });
    expect(rows).toEqual([{ n: 1000003 }]);
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p.percent).toBeGreaterThanOrEqual(0);
      expect(p.percent).toBeLessThanOrEqual(100);
      expect(p.totalRows).toBeGreaterThan(0);
      expect(Object.keys(p).every((key) => ['percent', 'rowsProcessed', 'totalRows'].includes(key))).toBe(true);
    }
    // Arrow queries and streams report progress too.
    let arrowProgress = 0;
    await client.query('select count(distinct x % 1000003) from v1_progress', { onProgress: () => arrowProgress++ });
    expect(arrowProgress).toBeGreaterThan(0);
    let streamProgress = 0;
    let streamedRows = 0;
    for await (const batch of client.stream('select count(distinct x % 1000003) from v1_progress', {
      onProgress: () => streamProgress++,
    }))
      streamedRows += batch.numRows;
    expect(streamedRows).toBe(1);
    expect(streamProgress).toBeGreaterThan(0);
  });

  it('rejects failed statements with a ServerError carrying DuckDB’s errorType', async () => {
    const catalog = await client.query('select * from no_such_table').catch((e) => e);
    expect(catalog).toBeInstanceOf(ServerError);
    expect(catalog).toMatchObject({ code: 'query_failed', errorType: 'Catalog' });
    const parser = await client.json('selec 1').catch((e) => e);
    expect(parser).toMatchObject({ code: 'query_failed', errorType: 'Parser' });
    const conversion = await client.exec("select 'x'::int").catch((e) => e);
    expect(conversion).toMatchObject({ code: 'query_failed', errorType: 'Conversion' });
    // A stream that fails before its first batch rejects the loop the same way.
    const streamed = await (async () => {
      for await (const _ of client.stream('select * from no_such_table'));
    })().catch((e) => e);
    expect(streamed).toMatchObject({ code: 'query_failed', errorType: 'Catalog' });
  });

  it('uploads a large table through the connector’s loadArrow in parts (one message would be refused)', async () => {
    const rows = 1_000_000;
    const table = tableFromArrays({
      id: Int32Array.from({ length: rows }, (_, i) => i),
      value: Float64Array.from({ length: rows }, (_, i) => i / 2),
    });
    const connector = createWebSocketDuckDbConnector({ wsUrl: duckwire.url });
    try {
      await connector.initialize();
      expect(connector.client.limits.maxBinaryMessageBytes).toBe(MESSAGE_LIMIT);
      await connector.loadArrow(table, 'v1_big_upload', { schema: 'uploads' });
      const [check] = await client.json(
        'select count(*)::int as n, sum(id)::bigint as ids, sum(value) as total from uploads.v1_big_upload',
      );
      expect(check).toEqual({ n: rows, ids: (rows * (rows - 1)) / 2, total: (rows * (rows - 1)) / 4 });
    } finally {
      await connector.destroy();
    }
  });

  it('uploads a large CSV File in parts, read by DuckDB’s reader', async () => {
    const rows = 200_000;
    const text = `id,name\n${Array.from({ length: rows }, (_, i) => `${i},name ${i}`).join('\n')}\n`;
    expect(text.length).toBeGreaterThan(2 * MESSAGE_LIMIT);
    await client.uploadFile('v1_csv_upload', new File([text], 'people.csv'));
    expect(await client.json('select count(*)::int as n, max(name) as top from v1_csv_upload')).toEqual([
      { n: rows, top: 'name 99999' },
    ]);
  });
});

describe('v1 sessions against the real server', () => {
  it('carries SET, temp tables and a transaction between requests; re-opened empty after a reconnect', async () => {
    const session = await connect(duckwire.url, { session: true });
    try {
      expect(session.inSession).toBe(true);
      await session.exec("set TimeZone = 'America/Lima'");
      await session.exec('create temp table v1_session_temp as select 7 as x');
      await session.exec('begin');
      await session.exec('insert into v1_session_temp values (8)');
      expect(
        await session.json("select current_setting('TimeZone') as tz, sum(x)::int as s from v1_session_temp"),
      ).toEqual([{ tz: 'America/Lima', s: 15 }]);
      await session.exec('rollback');
      expect(await session.json('select sum(x)::int as s from v1_session_temp')).toEqual([{ s: 7 }]);
      // Another client's session sees none of it.
      expect(await client.query('select * from v1_session_temp').catch((e) => e)).toMatchObject({
        errorType: 'Catalog',
      });

      await session.reconnect();
      expect(session.inSession).toBe(true);
      const gone = await session.json('select * from v1_session_temp').catch((e) => e);
      expect(gone).toMatchObject({ code: 'query_failed', errorType: 'Catalog' });
      const [{ tz }] = await session.json<{ tz: string }>("select current_setting('TimeZone') as tz");
      expect(tz).not.toBe('America/Lima');
      // The re-opened session carries state again.
      await session.exec('create temp table v1_session_again as select 1 as y');
      expect(await session.json('select y from v1_session_again')).toEqual([{ y: 1 }]);
      // A cursor holds the session until it ends or closes: a request sent meanwhile runs after it.
      const cursor = session.cursor('select i from range(1000000) t(i)');
      expect((await cursor.next(10))?.numRows).toBe(10);
      const queued = session.json('select y from v1_session_again');
      await cursor.close();
      expect(await queued).toEqual([{ y: 1 }]);
      await session.endSession();
      expect(session.inSession).toBe(false);
    } finally {
      session.close();
    }
  });

  it('re-opens the session with fresh state after the server restarts (an unplanned drop)', async () => {
    let server = await startDuckwire();
    const { port } = server;
    const session = await connect(server.url, { session: true, reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
    try {
      await session.exec('create temp table v1_before_drop as select 1 as x');
      await server.close();
      await expect.poll(() => session.status).not.toBe('connected');
      server = await startDuckwire({ port });
      expect(await session.json('select 2 as two')).toEqual([{ two: 2 }]);
      expect(session.inSession).toBe(true);
      const gone = await session.json('select * from v1_before_drop').catch((e) => e);
      expect(gone).toMatchObject({ code: 'query_failed', errorType: 'Catalog' });
    } finally {
      session.close();
      await server.close();
    }
  });
});

describe('v1 server limits against the real server', () => {
  it('surfaces overloaded with retryAfterMs when more requests are in flight than the server allows', async () => {
    const server = await startDuckwire({ maxInFlightPerConnection: 1 });
    const busy = await connect(server.url);
    try {
      expect(busy.limits.maxInFlightPerConnection).toBe(1);
      const controller = new AbortController();
      const slow = busy.query('select count(*) from range(10000000000) a', { signal: controller.signal });
      const refused = await busy.json('select 1').catch((e) => e);
      expect(refused).toBeInstanceOf(ServerError);
      expect(refused.code).toBe('overloaded');
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      controller.abort();
      expect(await slow.catch((e) => e.name)).toBe('AbortError');
      // Once the slow query is gone, the same request is admitted.
      await expect
        .poll(() => busy.json('select 1 as one').catch((e) => e.code), { timeout: 10_000 })
        .toEqual([{ one: 1 }]);
    } finally {
      busy.close();
      await server.close();
    }
  });

  it('rejects cursor.next() with cursor_timeout once the server closed an idle cursor', async () => {
    const server = await startDuckwire({ cursorIdleTimeoutMs: 50 });
    const idle = await connect(server.url);
    try {
      const cursor = idle.cursor('select i from range(1000000) t(i)');
      expect((await cursor.next(100))?.numRows).toBe(100);
      // The server gives the cursor's connection back when it times out.
      await expect.poll(() => server.busyConnections, { timeout: 10_000 }).toBe(0);
      const error = await cursor.next(100).catch((e) => e);
      expect(error).toBeInstanceOf(ServerError);
      expect(error.code).toBe('cursor_timeout');
      expect(cursor.done).toBe(true);
      expect(await idle.json('select 1 as one')).toEqual([{ one: 1 }]);
    } finally {
      idle.close();
      await server.close();
    }
  });
});

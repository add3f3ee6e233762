// The client in a real browser (headless Chromium) against a real server: Arrow and JSON queries, a streamed
// result (duckwire.v1: batches arrive while the query runs) and a cursor, cancel, a notification between two
// pages, File upload, the SQLRooms connector, reconnect after the server restarts. Skips only where Chromium is not installed and we are not in CI.
import type { DuckwireServer } from '@duckwire/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, openPage, stopPageServer } from './support/browser.js';
import { baselineAnswer, startScriptedServer } from './support/scripted-server.js';
import { startDuckwire } from './support/server.js';

if (!chromiumAvailable && process.env.CI) throw new Error('CI must install chromium (/usr/bin/chromium): see .ci/run');
if (!chromiumAvailable)
  console.warn('browser tests skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)');

// Types of the page's globals, for the evaluated functions.
type Duckwire = typeof import('../src/index.js');
type Arrow = typeof import('apache-arrow');
declare const duckwire: Duckwire;
declare const arrow: Arrow;
type PageGlobals = typeof globalThis & { client: InstanceType<Duckwire['DuckwireClient']>; notes: unknown[] };

describe.runIf(chromiumAvailable)('in headless Chromium', () => {
  let server: DuckwireServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startDuckwire();
    browser = await launchChromium();
    page = await openPage(browser);
    await page.evaluate(async (url) => {
      (globalThis as PageGlobals).client = await duckwire.connect(url, {
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      });
    }, server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stopPageServer();
  });

  it('negotiates duckwire.v1 with our server', async () => {
    const result = await page.evaluate(() => {
      const { client } = globalThis as PageGlobals;
      return { protocol: client.protocol, ping: client.supports('ping'), server: client.serverInfo?.name };
    });
    expect(result).toEqual({ protocol: 'duckwire.v1', ping: true, server: '@duckwire/server' });
  });

  it('falls back to the baseline with a server that selects no subprotocol (Chromium fails that handshake)', async () => {
    const baseline = await startScriptedServer({ select: () => false, answer: baselineAnswer });
    try {
      const result = await page.evaluate(async (url) => {
        const client = await duckwire.connect(url);
        const rows = await client.json('select 1 as x');
        const ping = await client.ping().then(
          () => 'answered',
          (error: Error) => error.name,
        );
        const protocol = client.protocol;
        client.close();
        return { protocol, rows, ping };
      }, baseline.url);
      expect(result).toEqual({ protocol: 'baseline', rows: [{ x: 1 }], ping: 'NotSupportedError' });
      // Chromium, like Node's ws, refuses an answer without the offered subprotocol (giving no reason): the
      // client tries once more without offering it.
      expect(baseline.offers).toEqual(['duckwire.v1', '']);
    } finally {
      await baseline.close();
    }
  });

  it('runs an Arrow query and returns the page’s own apache-arrow Table', async () => {
    const result = await page.evaluate(async () => {
      const table = await (globalThis as PageGlobals).client.query("select 42::int as x, 'é' as s, 2::bigint as b");
      return {
        isTable: table instanceof arrow.Table,
        row: table.toArray()[0]?.toJSON(),
        b: typeof table.getChild('b')?.get(0),
      };
    });
    expect(result).toEqual({ isTable: true, row: { x: 42, s: 'é', b: 2n }, b: 'bigint' });
  });

  it('runs a JSON query with exact big integers', async () => {
    const result = await page.evaluate(async () => {
      const rows = await (globalThis as PageGlobals).client.json<{ big: bigint; d: string }>(
        "select 9007199254740993::bigint as big, date '2024-01-31' as d",
      );
      return { big: String(rows[0]?.big), type: typeof rows[0]?.big, d: rows[0]?.d };
    });
    // duckwire.v1 (the default): dates as exact ISO text; a baseline connection gets epoch ms (queries.test.ts).
    expect(result).toEqual({ big: '9007199254740993', type: 'bigint', d: '2024-01-31' });
  });

  it('streams a result with duckwire.v1: batches arrive while the query still runs; leaving the loop cancels it', async () => {
    const result = await page.evaluate(async () => {
      const { client } = globalThis as PageGlobals;
      // An endless result: only batches that arrive before the end can be read at all.
      const firsts: number[] = [];
      for await (const batch of client.stream('select i from range(10000000000) t(i)')) {
        firsts.push(Number(batch.getChild('i')?.get(0)));
        if (firsts.length === 3) break;
      }
      // A finite one: several batches, in order, every row once.
      let rows = 0;
      let batches = 0;
      let ordered = true;
      for await (const batch of client.stream('select i from range(300000) t(i)')) {
        ordered &&= Number(batch.getChild('i')?.get(0)) === rows;
        rows += batch.numRows;
        batches++;
      }
      return { stream: client.supports('stream'), firsts, rows, batches, ordered };
    });
    expect(result.stream).toBe(true);
    expect(result.firsts).toHaveLength(3);
    expect(result.firsts[0]).toBe(0);
    expect(result.firsts[1]).toBeGreaterThan(0);
    expect(result.firsts[2]).toBeGreaterThan(result.firsts[1] as number);
    expect(result).toMatchObject({ rows: 300000, ordered: true });
    expect(result.batches).toBeGreaterThan(2);
    // The endless query was cancelled when the loop was left.
    await expect.poll(() => server.busyConnections, { timeout: 10_000 }).toBe(0);
  });

  it('reads a cursor in exact chunks', async () => {
    const result = await page.evaluate(async () => {
      const cursor = (globalThis as PageGlobals).client.cursor('select i from range(10000) t(i)');
      const sizes: number[] = [];
      for (let chunk = await cursor.next(3000); chunk; chunk = await cursor.next(3000)) sizes.push(chunk.numRows);
      return { sizes, done: cursor.done };
    });
    expect(result).toEqual({ sizes: [3000, 3000, 3000, 1000], done: true });
  });

  it('cancels a running query with an AbortSignal', async () => {
    const result = await page.evaluate(async () => {
      const { client } = globalThis as PageGlobals;
      const controller = new AbortController();
      const running = client.query('select count(*) from range(10000000000) a', { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      const name = await running.then(
        () => 'resolved',
        (error: Error) => error.name,
      );
      const after = await client.json('select 1 as one');
      return { name, after };
    });
    expect(result).toEqual({ name: 'AbortError', after: [{ one: 1 }] });
    await expect.poll(() => server.busyConnections, { timeout: 10_000 }).toBe(0);
  });

  it('delivers a notification from one page to another', async () => {
    const other = await openPage(browser);
    try {
      await other.evaluate(async (url) => {
        const g = globalThis as PageGlobals;
        g.notes = [];
        g.client = await duckwire.connect(url, {
          onNotification: (channel, payload) => g.notes.push({ channel, payload }),
        });
        await g.client.subscribe('room:1');
      }, server.url);
      await page.evaluate(() => (globalThis as PageGlobals).client.notify('room:1', { from: 'page one' }));
      await expect
        .poll(() => other.evaluate(() => (globalThis as PageGlobals).notes))
        .toEqual([{ channel: 'room:1', payload: { from: 'page one' } }]);
    } finally {
      await other.close();
    }
  });

  it('loads a File through the SQLRooms connector as data (v1 uploadFile), never as a server path', async () => {
    const result = await page.evaluate(async (url) => {
      const connector = duckwire.createWebSocketDuckDbConnector({ wsUrl: url });
      await connector.initialize();
      const file = new File(['a,b\n1,x\n2,y\n'], 'data.csv', { type: 'text/csv' });
      await connector.loadFile(file, 'uploaded_file');
      const table = await connector.query('select a, b from uploaded_file order by a');
      const rows = table.toArray().map((row: { a: unknown; b: unknown }) => [Number(row.a), String(row.b)]);
      await connector.destroy();
      return rows;
    }, server.url);
    expect(result).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
  });

  it('reconnects after the server restarts', async () => {
    const port = server.port;
    await page.evaluate(() => (globalThis as PageGlobals).client.exec('select 1'));
    await server.close();
    await expect.poll(() => page.evaluate(() => (globalThis as PageGlobals).client.status)).not.toBe('connected');
    server = await startDuckwire({ port });
    const rows = await page.evaluate(() => (globalThis as PageGlobals).client.json('select 2 as two'));
    expect(rows).toEqual([{ two: 2 }]);
    expect(await page.evaluate(() => (globalThis as PageGlobals).client.status)).toBe('connected');
  });
});

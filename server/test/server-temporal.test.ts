import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

let server: DuckwireServer;
beforeAll(async () => {
  ({ server } = await startTestServer());
});
afterAll(() => server.close());

const SQL =
  "select date '2024-01-31' as d, timestamp '2024-01-31 13:45:00.123456' as t, timestamptz '2024-01-31 13:45:00.123456+00' as tz, interval '1 month 2 days 3.5 seconds' as i";

async function jsonData(client: TestClient, extra: Record<string, unknown> = {}): Promise<string> {
  const reply = await client.query('json', SQL, extra);
  if (reply.type !== 'json') throw new Error(JSON.stringify(reply));
  return reply.data;
}

describe('json temporal encodings on the wire', () => {
  it('a baseline connection gets epoch milliseconds, as from the reference server', async () => {
    const client = await TestClient.connect(server.url);
    expect(await jsonData(client)).toBe('[{"d":1706659200000,"t":1706708700123,"tz":1706708700123,"i":2764803500}]');
    await client.close();
  });

  it('a v1 connection gets exact ISO text by default, and epoch milliseconds when it asks', async () => {
    const client = await TestClient.connect(server.url, {}, ['duckwire.v1']);
    const hello = await client.waitFor((reply) => reply.type === 'hello');
    expect(hello.type === 'hello' && hello.capabilities).toContain('temporal');
    expect(await jsonData(client)).toBe(
      '[{"d":"2024-01-31","t":"2024-01-31T13:45:00.123456","tz":"2024-01-31T13:45:00.123456Z","i":"P1M2DT3.5S"}]',
    );
    expect(await jsonData(client, { temporal: 'iso' })).toContain('"d":"2024-01-31"');
    expect(await jsonData(client, { temporal: 'epochMs' })).toBe(
      '[{"d":1706659200000,"t":1706708700123,"tz":1706708700123,"i":2764803500}]',
    );
    await client.close();
  });

  it('a cached (persist) json result is kept apart per encoding', async () => {
    const { server: cached } = await startTestServer({ noCache: false });
    try {
      const baseline = await TestClient.connect(cached.url);
      const v1 = await TestClient.connect(cached.url, {}, ['duckwire.v1']);
      expect(await jsonData(baseline, { persist: true })).toContain('"d":1706659200000');
      expect(await jsonData(v1, { persist: true })).toContain('"d":"2024-01-31"');
      expect(await jsonData(baseline, { persist: true })).toContain('"d":1706659200000');
      await baseline.close();
      await v1.close();
    } finally {
      await cached.close();
    }
  });
});

describe('Arrow TIMESTAMPTZ', () => {
  it("is labelled with DuckDB's TimeZone setting, as DuckDB's own Arrow export does", async () => {
    const client = await TestClient.connect(server.url);
    const [{ z: zone }] = (await client.rows("select current_setting('TimeZone') as z")) as Array<{ z: string }>;
    const reply = await client.query('arrow', "select timestamptz '2024-01-31 13:45:00+00' as tz");
    if (reply.kind !== 'arrow') throw new Error(JSON.stringify(reply));
    const type = reply.table.schema.fields[0]!.type as { timezone?: string };
    expect(zone).toBeTruthy();
    expect(type.timezone).toBe(zone);
    expect(reply.table.getChild('tz')!.get(0)).toBe(Date.UTC(2024, 0, 31, 13, 45));
    await client.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

let server: DuckwireServer;

beforeAll(async () => {
  ({ server } = await startTestServer({ maxMessageBytes: 4096, maxResultRows: 1000, maxResultBytes: 100_000 }));
});
afterAll(async () => {
  await server.close();
});

describe('server-wide limits', () => {
  it('closes a socket that sends a message over --max-message-bytes with 1009', async () => {
    const client = await TestClient.connect(server.url);
    client.send({ type: 'exec', sql: `select '${'x'.repeat(8192)}'` });
    expect((await client.closed).code).toBe(1009);
  });

  it('applies the server row limit, and the smaller of server and query limits', async () => {
    const client = await TestClient.connect(server.url);
    expect(await client.query('json', 'select * from range(1001)')).toMatchObject({ code: 'result_too_large' });
    expect(await client.query('arrow', 'select * from range(1001)')).toMatchObject({ code: 'result_too_large' });
    expect((await client.query('json', 'select * from range(1000)')).type).toBe('json');
    // a query may only tighten the server's limit
    expect(await client.query('json', 'select * from range(1000)', { maxRows: 2000 })).toMatchObject({ type: 'json' });
    expect(await client.query('json', 'select * from range(100)', { maxRows: 50 })).toMatchObject({
      code: 'result_too_large',
    });
    await client.close();
  });

  it('applies the server byte limit', async () => {
    const client = await TestClient.connect(server.url);
    const reply = await client.query('json', `select repeat('y', 1000) as s from range(200)`);
    expect(reply).toMatchObject({ type: 'error', code: 'result_too_large' });
    if (reply.type === 'error') expect(reply.error).toMatch(/100000|bytes/);
    expect(await client.query('arrow', `select repeat('y', 1000) as s from range(200)`)).toMatchObject({
      code: 'result_too_large',
    });
    expect((await client.query('arrow', `select repeat('y', 10) as s from range(200)`)).kind).toBe('arrow');
    await client.close();
  });
});

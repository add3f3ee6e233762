import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

describe('the default result-cache directory', () => {
  it('is removed at shutdown, so runs leave nothing in the temp directory', async () => {
    const { server } = await startTestServer({ noCache: false });
    const dir = server.options.cacheDir;
    const client = await TestClient.connect(server.url);
    expect(await client.query('json', 'select 42 as x', { persist: true })).toMatchObject({ type: 'json' });
    await client.close();
    expect(existsSync(dir)).toBe(true);
    await server.close();
    expect(existsSync(dir)).toBe(false);
  });
});

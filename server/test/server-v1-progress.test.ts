import { terminalQueryIdOf } from '@duckwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { type Reply, TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

let server: DuckwireServer;
let client: TestClient;

/** An aggregate over a table scan: DuckDB measures its progress (a `range()` alone reports none). */
const SLOW = 'select count(distinct x % 1000003) as n from progress_rows';

beforeAll(async () => {
  ({ server } = await startTestServer({ progressIntervalMs: 1 }));
  client = await TestClient.connect(server.url, {}, ['duckwire.v1']);
  await client.waitFor((reply) => reply.type === 'hello');
  await client.exec('create table progress_rows as select range as x from range(8000000)');
});
afterAll(async () => {
  await client.close();
  await server.close();
});

const progressOf = (queryId: string) => (reply: Reply) => reply.type === 'progress' && reply.queryId === queryId;

describe('v1 progress', () => {
  it('announces progress and its interval in hello', () => {
    const hello = client.replies.find((reply) => reply.type === 'hello');
    if (hello?.type !== 'hello') throw new Error('no hello');
    expect(hello.capabilities).toContain('progress');
    expect(hello.limits.progressIntervalMs).toBe(1);
  });

  it.each(['json', 'arrow', 'exec'] as const)('sends changing progress before the terminal reply of a %s query', async (type) => {
    const queryId = `progress-${type}`;
    const terminal = await client.query(type, SLOW, { queryId, progress: true });
    expect(terminal.type).toBe(type === 'exec' ? 'ok' : type);
    // A later query's terminal reply: anything of `queryId` sent after its end would have arrived by then.
    await client.rows('select 1 as later');
    const end = client.replies.indexOf(terminal);
    const progress = client.replies.filter(progressOf(queryId));
    expect(progress.length).toBeGreaterThan(0);
    for (const message of progress) {
      expect(client.replies.indexOf(message)).toBeLessThan(end);
      expect(terminalQueryIdOf(message as never)).toBeUndefined();
      if (message.type !== 'progress') continue;
      expect(message.percent).toBeGreaterThanOrEqual(0);
      expect(message.percent).toBeLessThanOrEqual(100);
      expect(message.totalRows).toBeGreaterThan(0);
    }
    // Only changes are sent: no two consecutive messages say the same.
    const said = progress.map((message) => JSON.stringify(message));
    for (let i = 1; i < said.length; i++) expect(said[i]).not.toBe(said[i - 1]);
  });

  it('sends no progress to a query that did not ask for it', async () => {
    await client.query('json', SLOW, { queryId: 'quiet' });
    await client.rows('select 1 as later');
    expect(client.replies.filter(progressOf('quiet'))).toEqual([]);
  });

  it('sends no progress after the error of a failing query', async () => {
    const reply = await client.query('json', 'select * from no_such_table', { queryId: 'failing', progress: true });
    expect(reply).toMatchObject({ type: 'error', code: 'query_failed', errorType: 'Catalog' });
    await client.rows('select 1 as later');
    const end = client.replies.indexOf(reply);
    for (const message of client.replies.filter(progressOf('failing'))) {
      expect(client.replies.indexOf(message)).toBeLessThan(end);
    }
  });
});

// A terminal reply tells the truth: `cancelled` (or any error) means the statement did not take
// effect; a statement that took effect is answered with its success — under cancels that race
// commits, and at shutdown (the CLI test of SIGTERM is in cli-shutdown.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { type Reply, TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

let server: DuckwireServer;

beforeAll(async () => {
  ({ server } = await startTestServer({ maxConnections: 4 }));
});
afterAll(async () => {
  await server.close();
});

/** An insert of one identifiable row that takes a moment of DuckDB work, so that cancels land before, during and after it. */
const slowInsert = (table: string, id: number) =>
  `insert into ${table} select ${id} where (select count(*) from range(${20_000 + (id % 7) * 20_000})) > 0`;

const succeeded = (reply: Reply) => reply.type === 'ok' || reply.type === 'arrow' || reply.type === 'json';

/** Send `count` inserts, each followed by a cancel after a varying delay; tally replies against the rows. */
async function raceCancels(client: TestClient, table: string, type: 'exec' | 'arrow' | 'json', count: number) {
  await client.exec(`create or replace table ${table} (id integer)`);
  const replies = new Map<number, Promise<Reply>>();
  for (let id = 0; id < count; id++) {
    const queryId = `${table}-${id}`;
    client.send({ type, queryId, sql: slowInsert(table, id) });
    replies.set(id, client.terminal(queryId));
    const cancel = () => client.send({ type: 'cancel', queryId });
    // Same tick, next turn, or a few ms later: before the statement starts, while it runs, after it committed.
    if (id % 3 === 0) cancel();
    else if (id % 3 === 1) setImmediate(cancel);
    else setTimeout(cancel, id % 5);
    if (id % 16 === 15) await replies.get(id);
  }
  const answered = new Map<number, Reply>();
  for (const [id, reply] of replies) answered.set(id, await reply);
  const rows = new Set((await client.rows(`select id from ${table}`)).map((row) => Number(row.id)));
  const acknowledged = [...answered].filter(([, reply]) => succeeded(reply)).map(([id]) => id);
  const refused = [...answered].filter(([, reply]) => !succeeded(reply));
  for (const [, reply] of refused) expect(reply).toMatchObject({ type: 'error', code: 'cancelled' });
  return { rows, acknowledged, refused: refused.map(([id]) => id) };
}

describe('replies tell the truth when cancels race commits', () => {
  for (const type of ['exec', 'arrow', 'json'] as const) {
    it(`${type}: every acknowledged insert is in the table and no cancelled one is`, async () => {
      const client = await TestClient.connect(server.url);
      const { rows, acknowledged, refused } = await raceCancels(client, `race_${type}`, type, 240);
      expect(acknowledged.filter((id) => !rows.has(id))).toEqual([]);
      // The lie this guards against: "cancelled" for an insert that was committed.
      expect(refused.filter((id) => rows.has(id))).toEqual([]);
      expect(rows.size).toBe(acknowledged.length);
      // The race really ran both ways.
      expect(refused.length).toBeGreaterThan(0);
      expect(acknowledged.length).toBeGreaterThan(0);
      await client.close();
    });
  }

});

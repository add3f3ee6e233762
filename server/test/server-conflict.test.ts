import { afterEach, describe, expect, it } from 'vitest';
import type { DuckwireServer } from '../src/index.js';
import { type Reply, TestClient } from './support/test-client.js';
import { startTestServer } from './support/test-server.js';

let server: DuckwireServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Race UPDATEs against ALTERs of the same table, each from its own socket, for `rounds` rounds. */
async function race(url: string, rounds: number): Promise<Reply[]> {
  const setup = await TestClient.connect(url);
  await setup.exec('create table hot as select range as id, 0 as n from range(200000)');
  const clients = await Promise.all([1, 2, 3, 4, 5].map(() => TestClient.connect(url)));
  const replies: Reply[] = [];
  for (let round = 0; round < rounds; round++) {
    replies.push(
      ...(await Promise.all([
        clients[0].query('exec', 'update hot set n = n + 1'),
        clients[1].query('exec', `alter table hot add column a${round} int`),
        clients[2].query('exec', `alter table hot add column b${round} int`),
        clients[3].query('exec', 'update hot set n = n + 1 where id % 2 = 0'),
        clients[4].query('exec', `alter table hot add column c${round} int`),
      ])),
    );
  }
  const final = await setup.rows('select count(*) as columns from information_schema.columns where table_name = $$hot$$');
  replies.push({ kind: 'text', type: 'json', queryId: 'columns', data: JSON.stringify(final) });
  for (const client of [setup, ...clients]) await client.close();
  return replies;
}

describe('transaction-conflict retry', () => {
  it('makes every statement of an UPDATE-vs-ALTER race and concurrent ALTERs succeed', async () => {
    ({ server } = await startTestServer({ conflictRetries: 5 }));
    const rounds = 6;
    const replies = await race(server.url, rounds);
    const failures = replies.filter((reply) => reply.type === 'error');
    expect(failures).toEqual([]);
    const columns = JSON.parse((replies.at(-1) as { data: string }).data)[0].columns;
    expect(columns).toBe(2 + 3 * rounds);
  });

  it('the same race without retries does hit conflicts (so the test above measures the retry)', async () => {
    ({ server } = await startTestServer({ conflictRetries: 0 }));
    const replies = await race(server.url, 6);
    const conflicts = replies.filter((reply) => reply.type === 'error' && /conflict/i.test(reply.error));
    expect(conflicts.length).toBeGreaterThan(0);
  });

  it('does not re-run multi-statement SQL after a conflict', async () => {
    ({ server } = await startTestServer({ conflictRetries: 5 }));
    const setup = await TestClient.connect(server.url);
    await setup.exec('create table ms as select range as id from range(200000); create table log(x int)');
    const a = await TestClient.connect(server.url);
    const b = await TestClient.connect(server.url);
    const replies: Reply[] = [];
    for (let round = 0; round < 6; round++) {
      replies.push(
        ...(await Promise.all([
          a.query('exec', `insert into log values (${round}); update ms set id = id + 1`),
          b.query('exec', `alter table ms add column m${round} int`),
        ])),
      );
    }
    // each multi-statement ran once: its insert committed exactly once per round, whatever its update did
    expect(await setup.rows('select count(*) as n from log')).toEqual([{ n: 6 }]);
    for (const client of [setup, a, b]) await client.close();
  });
});

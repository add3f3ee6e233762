// At SIGTERM with many sockets inserting, every terminal reply tells the truth: each insert
// answered with success is in the database file afterwards, and no insert answered with an error
// (cancelled, shutting_down) is.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, expect, it } from 'vitest';
import { spawnCli, untilListening } from './support/cli-process.js';
import { type Reply, TestClient } from './support/test-client.js';

const dir = mkdtempSync(join(tmpdir(), 'duckwire-sigterm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SOCKETS = 20;

it('at SIGTERM, inserts answered with success are committed and inserts answered with an error are not', async () => {
  const dbPath = join(dir, 'sigterm.duckdb');
  const proc = spawnCli(['--port', '0', '--db-path', dbPath, '--no-cache']);
  const port = await untilListening(proc);
  const url = `ws://127.0.0.1:${port}/`;
  const setup = await TestClient.connect(url);
  await setup.exec('create table t (id integer)');
  await setup.close();

  const outcomes = new Map<number, Reply | 'unanswered'>();
  let nextId = 0;
  let stop = false;
  const clients = await Promise.all(Array.from({ length: SOCKETS }, () => TestClient.connect(url)));
  const insertLoops = clients.map(async (client, index) => {
    let open = true;
    void client.closed.then(() => {
      open = false;
    });
    while (open && !stop) {
      const id = nextId++;
      const type = index % 2 === 0 ? 'exec' : 'arrow';
      const sql = `insert into t select ${id} where (select count(*) from range(${50_000 + (id % 5) * 50_000})) > 0`;
      const reply = await Promise.race([client.query(type, sql), client.closed.then(() => 'unanswered' as const)]);
      outcomes.set(id, reply);
    }
  });
  // Let the inserts run for a while, then stop the server under load.
  while (nextId < 400) await new Promise((resolve) => setTimeout(resolve, 10));
  proc.child.kill('SIGTERM');
  expect(await proc.exited).toBe(0);
  stop = true;
  await Promise.all(insertLoops);

  const instance = await DuckDBInstance.create(dbPath);
  const connection = await instance.connect();
  const rows = new Set(
    (await (await connection.runAndReadAll('select id from t')).getRowObjectsJS()).map((row) => Number(row.id)),
  );
  connection.closeSync();
  instance.closeSync();

  const tally: Record<string, number> = { ok: 0, unanswered: 0 };
  const lies: string[] = [];
  for (const [id, reply] of outcomes) {
    if (reply === 'unanswered') {
      tally.unanswered++;
    } else if (reply.type === 'ok' || reply.type === 'arrow') {
      tally.ok++;
      if (!rows.has(id)) lies.push(`${id}: answered ${reply.type} but not committed`);
    } else {
      const code = reply.type === 'error' ? String(reply.code) : reply.type;
      tally[code] = (tally[code] ?? 0) + 1;
      if (rows.has(id)) lies.push(`${id}: answered ${JSON.stringify(reply)} but committed`);
    }
  }
  console.log('SIGTERM tally', { ...tally, rows: rows.size });
  expect(lies).toEqual([]);
  expect(tally.ok).toBeGreaterThan(0);
});

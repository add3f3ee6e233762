import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli, untilListening } from './support/cli-process.js';
import { TestClient } from './support/test-client.js';

const dir = mkdtempSync(join(tmpdir(), 'duckwire-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oneLine = (text: string) => text.trim().split('\n').length === 1;

describe('duckwire-server CLI', () => {
  it('prints help', async () => {
    const proc = spawnCli(['--help']);
    expect(await proc.exited).toBe(0);
    for (const flag of ['--db-path', '--port', '--host', '--extensions', '--auth-token', '--no-cache', '--cache-dir']) {
      expect(proc.stdout).toContain(flag);
    }
  });

  it('prints its version', async () => {
    const proc = spawnCli(['--version']);
    expect(await proc.exited).toBe(0);
    expect(proc.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('ends on a bad flag with a one-line message and a non-zero exit', async () => {
    const proc = spawnCli(['--no-such-flag']);
    expect(await proc.exited).not.toBe(0);
    expect(proc.stderr).toMatch(/unknown option '--no-such-flag'/);
    expect(proc.stderr).not.toMatch(/\n\s+at /);
  });

  it('ends on a bad port value with a one-line message', async () => {
    const proc = spawnCli(['--port', 'abc']);
    expect(await proc.exited).not.toBe(0);
    expect(proc.stderr).toMatch(/--port/);
  });

  it('ends on a port in use with a one-line message and exit 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const proc = spawnCli(['--port', String(port)]);
    expect(await proc.exited).toBe(1);
    expect(proc.stderr).toBe(`duckwire-server: port ${port} is already in use on 127.0.0.1\n`);
    blocker.close();
  });

  it('ends on a database file that cannot be opened with a one-line message and exit 1', async () => {
    const notADatabase = join(dir, 'garbage.duckdb');
    writeFileSync(notADatabase, 'this is not a duckdb file, just some text that is long enough to have a header');
    const proc = spawnCli(['--port', '0', '--db-path', notADatabase]);
    expect(await proc.exited).toBe(1);
    expect(proc.stderr).toMatch(/^duckwire-server: cannot open database /);
    expect(oneLine(proc.stderr)).toBe(true);
  });

  it('ends on a database path in a missing directory with a one-line message', async () => {
    const proc = spawnCli(['--port', '0', '--db-path', join(dir, 'missing', 'dir', 'x.duckdb')]);
    expect(await proc.exited).toBe(1);
    expect(proc.stderr).toMatch(/^duckwire-server: cannot open database /);
    expect(oneLine(proc.stderr)).toBe(true);
  });

  it('warns about extensions that cannot be installed and still starts', async () => {
    const proc = spawnCli(['--port', '0', '--extensions', 'json,h3@community,httpfs']);
    const port = await untilListening(proc);
    const warnings = proc.stderr
      .split('\n')
      .filter((line) => line.includes('"level":"warn"'))
      .map((line) => JSON.parse(line));
    expect(warnings.map((w) => w.extension).sort()).toEqual(['h3', 'httpfs']);
    for (const warning of warnings) expect(warning.reason).toMatch(/download|install|extension/i);
    expect(proc.stderr).toMatch(/"extension":"json".*"msg":"extension loaded"/);
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/`);
    expect(await client.rows(`select json_extract('{"a":1}', '$.a')::int as a`)).toEqual([{ a: 1 }]);
    await client.close();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('refuses a malformed extension name at start', async () => {
    const proc = spawnCli(['--port', '0', '--extensions', 'bad;name']);
    expect(await proc.exited).toBe(1);
    expect(proc.stderr).toMatch(/invalid extension name/);
  });

  it('reads the auth token from DUCKWIRE_AUTH_TOKEN', async () => {
    const proc = spawnCli(['--port', '0'], { DUCKWIRE_AUTH_TOKEN: 'from-env' });
    const port = await untilListening(proc);
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/`);
    client.send({ type: 'json', sql: 'select 1', queryId: 'x' });
    expect(await client.waitFor((r) => r.type === 'error')).toMatchObject({ code: 'unauthorized' });
    const authed = await TestClient.connect(`ws://127.0.0.1:${port}/`);
    authed.send({ type: 'auth', token: 'from-env' });
    await authed.waitFor((r) => r.type === 'authAck');
    await authed.close();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.stderr).not.toContain('from-env');
  });

  it('keeps rows written to a file database across SIGTERM and restart', async () => {
    const dbPath = join(dir, 'persist.duckdb');
    const first = spawnCli(['--port', '0', '--db-path', dbPath]);
    const port = await untilListening(first);
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/`);
    await client.exec('create table kept as select range as x from range(1000)');
    await client.exec('insert into kept values (424242)');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect((await client.closed).code).toBe(1001);
    // FORCE CHECKPOINT at shutdown folded the write-ahead log into the file.
    expect(existsSync(`${dbPath}.wal`)).toBe(false);

    const second = spawnCli(['--port', '0', '--db-path', dbPath]);
    const port2 = await untilListening(second);
    const again = await TestClient.connect(`ws://127.0.0.1:${port2}/`);
    expect(await again.rows('select count(*) as n, max(x) as m from kept')).toEqual([{ n: 1001, m: 424242 }]);
    await again.close();
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('cancels in-flight queries at SIGTERM and still exits 0', async () => {
    const proc = spawnCli(['--port', '0']);
    const port = await untilListening(proc);
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/`);
    const pending = client.query('json', 'select sum(range) from range(1000000000000)', { queryId: 'forever' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    proc.child.kill('SIGTERM');
    const reply = await pending;
    expect(reply).toMatchObject({ type: 'error', code: 'cancelled' });
    expect(await proc.exited).toBe(0);
    expect((await client.closed).code).toBe(1001);
  });
});

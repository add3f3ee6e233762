import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli, untilListening } from './support/cli-process.js';
import { TestClient } from './support/test-client.js';

const dir = mkdtempSync(join(tmpdir(), 'duckwire-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oneLine = (text: string) => text.trim().split('\n').length === 1;

/** A port that was free a moment ago (for a CLI that must be reached before it logs its port). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Resolve as soon as a TCP connection to `port` succeeds (polling every few milliseconds). */
async function untilPortOpens(port: number): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('duckwire-server CLI', () => {
  it('prints help', async () => {
    const proc = spawnCli(['--help']);
    expect(await proc.exited).toBe(0);
    for (const flag of [
      '--db-path',
      '--port',
      '--host',
      '--extensions',
      '--auth-token',
      '--auth-token-file',
      '--allowed-origins',
      '--allowed-hosts',
      '--allow-unauthenticated',
      '--no-cache',
      '--cache-dir',
      '--read-only',
      '--allowed-directories',
      '--no-external-access',
      '--no-sql-extensions',
      '--max-text-message-bytes',
      '--max-json-depth',
      '--max-in-flight-per-connection',
      '--max-in-flight',
      '--query-timeout',
      '--ping-interval',
    ]) {
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

  it('locks SQL down as the flags say, after preloading extensions (a failing download is a warning)', async () => {
    const data = join(dir, 'readable');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'in.csv'), 'a\n1\n');
    const proc = spawnCli([
      '--port',
      '0',
      '--read-only',
      '--allowed-directories',
      data,
      '--no-sql-extensions',
      '--extensions',
      'json,httpfs',
    ]);
    const port = await untilListening(proc);
    expect(proc.stderr).toMatch(/"extension":"json".*"msg":"extension loaded"/);
    expect(proc.stderr).toMatch(/"level":"warn".*"extension":"httpfs"/);
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/`);
    expect(await client.rows(`select a from read_csv('${join(data, 'in.csv')}')`)).toEqual([{ a: 1 }]);
    expect(await client.rows(`select json_extract('{"a":1}', '$.a')::int as a`)).toEqual([{ a: 1 }]);
    const refused = async (sql: string) => {
      const reply = await client.query('exec', sql);
      return reply.type === 'error' ? reply.error : 'accepted';
    };
    expect(await refused('create table t (a int)')).toMatch(/read-only/);
    expect(await refused(`copy (select 1) to '${join(data, 'out.csv')}'`)).toMatch(/read-only/);
    expect(await refused('install httpfs')).toMatch(/read-only/);
    expect(await refused(`select * from read_csv('${join(dir, 'garbage.duckdb')}')`)).toMatch(/Permission Error/);
    expect(await refused("set memory_limit = '20MB'")).toMatch(/locked/);
    await client.close();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('--no-external-access leaves SQL no file at all', async () => {
    writeFileSync(join(dir, 'some.csv'), 'a\n1\n');
    const proc = spawnCli(['--port', '0', '--no-external-access']);
    const port = await untilListening(proc);
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/`);
    const reply = await client.query('json', `select * from read_csv('${join(dir, 'some.csv')}')`);
    expect(reply.type === 'error' && reply.error).toMatch(/Permission Error/);
    await client.close();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('sets DuckDB threads with --threads, locked against clients, and refuses a bad value', async () => {
    const proc = spawnCli(['--port', '0', '--threads', '1']);
    const port = await untilListening(proc);
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/`);
    expect(await client.rows("select current_setting('threads')::INTEGER as n")).toEqual([{ n: 1 }]);
    const reply = await client.query('exec', 'set threads = 4');
    expect(reply.type === 'error' && reply.error).toMatch(/locked/);
    expect(await client.rows("select current_setting('threads')::INTEGER as n")).toEqual([{ n: 1 }]);
    await client.close();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    for (const bad of ['0', 'two']) {
      const refused = spawnCli(['--port', '0', '--threads', bad]);
      expect(await refused.exited).not.toBe(0);
      expect(refused.stderr).toMatch(/--threads must be a positive integer/);
    }
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

  it('refuses to listen on a non-loopback address without a token, in one line, before listening', async () => {
    const proc = spawnCli(['--port', '0', '--host', '0.0.0.0']);
    // Should it listen after all, stop it at once rather than leave it exposed.
    const listened = untilListening(proc).then(
      () => proc.child.kill('SIGKILL'),
      () => undefined,
    );
    expect(await proc.exited).toBe(1);
    await listened;
    expect(proc.stderr).toMatch(/^duckwire-server: refusing to listen on 0\.0\.0\.0 without an auth token: .*--allow-unauthenticated\n$/);
    expect(oneLine(proc.stderr)).toBe(true);
  });

  it('reads the auth token from --auth-token-file (trailing newline dropped) and never logs it', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'from-file\n');
    const proc = spawnCli(['--port', '0', '--auth-token-file', tokenFile]);
    const port = await untilListening(proc);
    const wrong = await TestClient.connect(`ws://127.0.0.1:${port}/`);
    wrong.send({ type: 'auth', token: 'from-file\n' });
    expect(await wrong.waitFor((r) => r.type === 'error')).toMatchObject({ code: 'unauthorized' });
    const authed = await TestClient.connect(`ws://127.0.0.1:${port}/`);
    authed.send({ type: 'auth', token: 'from-file' });
    await authed.waitFor((r) => r.type === 'authAck');
    expect(await authed.rows('select 7 as seven')).toEqual([{ seven: 7 }]);
    await authed.close();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.stderr).not.toContain('from-file');
    // The auth failure names its peer.
    expect(proc.stderr).toMatch(/"remote":"127\.0\.0\.1".*"msg":"unauthorized connection closed"/);
  });

  it('reads the token file named by DUCKWIRE_AUTH_TOKEN_FILE', async () => {
    const tokenFile = join(dir, 'token-env');
    writeFileSync(tokenFile, 'env-file-token');
    const proc = spawnCli(['--port', '0'], { DUCKWIRE_AUTH_TOKEN_FILE: tokenFile });
    const port = await untilListening(proc);
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/`);
    client.send({ type: 'auth', token: 'env-file-token' });
    await client.waitFor((r) => r.type === 'authAck');
    await client.close();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });

  it('ends with a one-line message on a token file that is missing, empty, or given beside a token', async () => {
    const missing = spawnCli(['--port', '0', '--auth-token-file', join(dir, 'no-such-token')]);
    expect(await missing.exited).toBe(1);
    expect(missing.stderr).toMatch(/^duckwire-server: cannot read auth token file .*no-such-token: ENOENT\n$/);
    const emptyFile = join(dir, 'empty-token');
    writeFileSync(emptyFile, '\n');
    const empty = spawnCli(['--port', '0', '--auth-token-file', emptyFile]);
    expect(await empty.exited).toBe(1);
    expect(empty.stderr).toMatch(/^duckwire-server: auth token file .*empty-token is empty\n$/);
    const both = spawnCli(['--port', '0', '--auth-token-file', emptyFile], { DUCKWIRE_AUTH_TOKEN: 'x' });
    expect(await both.exited).toBe(1);
    expect(both.stderr).toMatch(/^duckwire-server: the auth token is given twice/);
    expect(oneLine(both.stderr)).toBe(true);
  });

  it('takes --allowed-origins as a comma list', async () => {
    const proc = spawnCli(['--port', '0', '--allowed-origins', 'https://a.example,https://b.example']);
    const port = await untilListening(proc);
    const url = `ws://127.0.0.1:${port}/`;
    try {
      const b = await TestClient.connect(url, { origin: 'https://b.example' });
      expect(await b.rows('select 2 as two')).toEqual([{ two: 2 }]);
      await b.close();
      await expect(TestClient.connect(url, { origin: 'https://c.example' })).rejects.toThrow(/403/);
    } finally {
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exited).toBe(0);
    expect(proc.stderr).toMatch(/"origin":"https:\/\/c\.example".*"msg":"WebSocket upgrade refused: origin not allowed"/);
  });

  it('answers a WebSocket opened as soon as the port opens, before DuckDB is ready', async () => {
    const port = await freePort();
    const proc = spawnCli(['--port', String(port), '--db-path', join(dir, 'early.duckdb')]);
    try {
      await untilPortOpens(port);
      const client = await TestClient.connect(`ws://127.0.0.1:${port}/`);
      expect(await client.rows('select 42 as answer')).toEqual([{ answer: 42 }]);
      await client.close();
    } finally {
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exited).toBe(0);
  });
});

/** The published package works from its packed tarball, with only Node: `duckwire-conformance server --url …`. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckwireServer } from '@duckwire/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOurServer } from './our-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'duckwire-conformance-pack-'));
let server: DuckwireServer;
const versionOf = (pkg: string) => JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8')).version as string;
beforeAll(async () => {
  server = await startOurServer();
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

/** pnpm as the test runner was started with (it rewrites `workspace:*` when packing; npm does not). */
function pnpm(args: string[], cwd: string): string {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath))
    return execFileSync(process.execPath, [execPath, ...args], { cwd, encoding: 'utf8' });
  return execFileSync('pnpm', args, { cwd, encoding: 'utf8' });
}

/** Run a command without blocking this process, whose event loop serves the server under test. */
function run(command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('the published conformance package', () => {
  it('installs from its tarball and runs server mode against a server', { timeout: 300_000 }, async () => {
    for (const pkg of ['protocol', 'conformance']) pnpm(['pack', '--pack-destination', work], join(root, pkg));
    const tarballs = readdirSync(work).filter((file) => file.endsWith('.tgz'));
    expect(tarballs.sort()).toEqual([
      `duckwire-conformance-${versionOf('conformance')}.tgz`,
      `duckwire-protocol-${versionOf('protocol')}.tgz`,
    ]);
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', ...tarballs.map((file) => join(work, file))], {
      cwd: app,
      encoding: 'utf8',
    });
    const bin = join(app, 'node_modules', '.bin', 'duckwire-conformance');
    const suite = await run(bin, [
      'server',
      '--url',
      server.url,
      '--only',
      'transport.,frame.,pubsub.',
      '--json',
      join(work, 'report.json'),
    ]);
    expect(suite.stdout).toMatch(/checks: \d+ passed, 0 failed/);
    expect(suite.status).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8'));
    expect(report.summary.pass).toBeGreaterThan(20);
    const usage = await run(bin, ['server']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/needs --url/);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'duckwire-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const versionOf = (pkg: string) => JSON.parse(readFileSync(join(root, pkg, 'package.json'), 'utf8')).version as string;

/** pnpm as the test runner was started with (it rewrites `workspace:*` when packing; npm does not). */
function pnpm(args: string[], cwd: string): string {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) return execFileSync(process.execPath, [execPath, ...args], { cwd, encoding: 'utf8' });
  return execFileSync('pnpm', args, { cwd, encoding: 'utf8' });
}

describe('the published server package', () => {
  it('installs from its packed tarball and runs duckwire-server --help', { timeout: 240_000 }, () => {
    for (const pkg of ['protocol', 'server']) pnpm(['pack', '--pack-destination', work], join(root, pkg));
    const tarballs = readdirSync(work).filter((file) => file.endsWith('.tgz'));
    expect(tarballs.sort()).toEqual([
      `duckwire-protocol-${versionOf('protocol')}.tgz`,
      `duckwire-server-${versionOf('server')}.tgz`,
    ]);
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', ...tarballs.map((file) => join(work, file))], {
      cwd: app,
      encoding: 'utf8',
    });
    const help = execFileSync(join(app, 'node_modules', '.bin', 'duckwire-server'), ['--help'], { encoding: 'utf8' });
    expect(help).toMatch(/Usage: duckwire-server/);
    expect(help).toMatch(/--db-path/);
    const version = execFileSync(join(app, 'node_modules', '.bin', 'duckwire-server'), ['--version'], { encoding: 'utf8' });
    expect(version.trim()).toBe(versionOf('server'));
  });
});

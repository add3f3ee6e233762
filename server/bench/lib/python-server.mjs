// The Python SQLRooms server (`sqlrooms-server` from PyPI) as the bench's comparison target:
// installed into a throwaway virtual environment, started bound to 127.0.0.1 through
// sqlrooms-loopback.py, one fresh process per workload.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WRAPPER = fileURLToPath(new URL('./sqlrooms-loopback.py', import.meta.url));
const START_TIMEOUT_MS = 120_000;

/**
 * A venv with the newest `sqlrooms-server`: `{ python, version, dispose }`, or `{ unavailable }`
 * with the reason (no python3, no venv module, PyPI not reachable …). `venv` reuses a directory
 * (created when missing, kept afterwards); otherwise a temporary one is made and removed by dispose().
 */
export function preparePythonServer({ venv, log }) {
  const dir = venv ?? mkdtempSync(join(tmpdir(), 'duckwire-bench-sqlrooms-'));
  const dispose = () => {
    if (!venv) rmSync(dir, { recursive: true, force: true });
  };
  const python = join(dir, 'bin', 'python');
  if (!existsSync(python)) {
    log(`creating a Python virtual environment in ${dir}…`);
    const made = spawnSync('python3', ['-m', 'venv', dir], { encoding: 'utf8' });
    if (made.status !== 0) {
      dispose();
      return { unavailable: `python3 -m venv failed: ${(made.stderr || made.error?.message || '').trim()}` };
    }
  }
  log('installing the newest sqlrooms-server from PyPI…');
  const pip = spawnSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--upgrade',
      '--timeout',
      '30',
      'sqlrooms-server',
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (pip.status !== 0) {
    dispose();
    const text = `${pip.stderr ?? ''}${pip.error?.message ?? ''}`.trim().split('\n').slice(-2).join(' ');
    return { unavailable: `PyPI not reachable or install failed (${text})` };
  }
  const show = spawnSync(python, ['-m', 'pip', 'show', 'sqlrooms-server'], { encoding: 'utf8' });
  const version = /^Version:\s*(\S+)/m.exec(show.stdout ?? '')?.[1] ?? 'unknown';
  const duckdb = spawnSync(python, ['-c', 'import duckdb; print(duckdb.__version__)'], { encoding: 'utf8' });
  return { python, version, duckdb: (duckdb.stdout ?? '').trim() || 'unknown', dispose };
}

/**
 * Start `python sqlrooms-loopback.py --port 0`; resolve `{ child, port, exited }` once it prints
 * the port it listens on.
 */
export function startPythonServer(python) {
  const child = spawn(python, [WRAPPER, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let out = '';
  // Drain stderr (it logs every query at INFO): a full pipe would block the server.
  child.stderr.on('data', (chunk) => {
    if (out.length < 65536) out += String(chunk);
  });
  return new Promise((resolve, reject) => {
    // It tries to download httpfs first; without network that fails fast, but never wait forever.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sqlrooms-server did not listen within ${START_TIMEOUT_MS / 1000} s:\n${out}`));
    }, START_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      const match = /listening at ws:\/\/localhost:(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        out = '';
        resolve({ child, port: Number(match[1]), exited });
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`sqlrooms-server exited (${code}) before listening:\n${out}`));
    });
  });
}

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// Runs the benchmark script end to end (it starts the built CLI as a child process) and checks
// the shape of its JSON report. No timing assertions: the numbers only have to be numbers.
const RUN = fileURLToPath(new URL('../bench/run.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'duckwire-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isNumber = (value: unknown) => typeof value === 'number' && Number.isFinite(value);

describe('bench/run.mjs', () => {
  it('runs select1 in quick mode and writes a JSON report', async () => {
    const file = join(dir, 'bench.json');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [RUN, '--quick', '--only', 'select1', '--json', file],
      { timeout: 30_000 },
    );
    expect(stdout).toMatch(/select1/);
    expect(stdout).toMatch(/median/);

    const report = JSON.parse(readFileSync(file, 'utf8'));
    expect(report.quick).toBe(true);
    expect(report.target.kind).toBe('child');
    expect(isNumber(report.target.pid)).toBe(true);
    expect(isNumber(report.floor.wsEcho.median)).toBe(true);
    expect(report.workloads).toHaveLength(1);

    const [select1] = report.workloads;
    expect(select1.name).toBe('select1');
    expect(select1.error).toBeUndefined();
    expect(select1.check).toEqual({ rows: 1, ok: true });
    for (const key of ['median', 'p95', 'p99']) expect(isNumber(select1.server.latency[key])).toBe(true);
    for (const key of ['rowsPerSecond', 'megabytesPerSecond']) expect(isNumber(select1.server[key])).toBe(true);
    expect(isNumber(select1.floor.latency.median)).toBe(true);
    expect(isNumber(select1.floor.value)).toBe(true);
    expect(isNumber(select1.ratio)).toBe(true);
    expect(typeof select1.goal.pass).toBe('boolean');
    if (process.platform === 'linux') {
      expect(isNumber(select1.rss.peak)).toBe(true);
      expect(isNumber(select1.rss.idle)).toBe(true);
    }
  });

  it('refuses an unknown workload name', async () => {
    await expect(
      promisify(execFile)(process.execPath, [RUN, '--only', 'nope'], { timeout: 10_000 }),
    ).rejects.toMatchObject({
      code: 2,
    });
  });
});

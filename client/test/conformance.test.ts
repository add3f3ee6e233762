/**
 * Client mode of the conformance suite against our client: the suite's scripted server plays each
 * client scenario, and test/conformance/driver.mjs runs @duckwire/client (its built package) against it.
 */
import { fileURLToPath } from 'node:url';
import { runClientSuite } from '@duckwire/conformance';
import { describe, expect, it } from 'vitest';

const driver = fileURLToPath(new URL('./conformance/driver.mjs', import.meta.url));

describe('conformance client mode', () => {
  it('@duckwire/client passes every client scenario', { timeout: 180_000 }, async () => {
    const report = await runClientSuite({ command: `node ${driver}` });
    expect(report.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    expect(report.summary.pass).toBe(report.results.length);
    expect(report.results.length).toBeGreaterThanOrEqual(11);
  });
});

/** Server mode against our own server, with and without auth: every check passes or is a listed, explained difference. */
import type { DuckwireServer } from '@duckwire/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSuite } from '../src/engine/run-suite.js';
import { serverScenarios } from '../src/scenarios/index.js';
import { ourExpectedFailures, startOurServer } from './our-server.js';

const failures = (report: Awaited<ReturnType<typeof runSuite>>) =>
  report.results
    .filter((r) => r.status === 'fail' || r.status === 'stale-expected-failure')
    .map((r) => `${r.id}: ${r.message}`);

describe.each([
  ['without auth', undefined],
  ['with auth', 'conformance-token-0123'],
])('server mode against @duckwire/server %s', (_name, token) => {
  let server: DuckwireServer;
  beforeAll(async () => {
    server = await startOurServer(token);
  });
  afterAll(() => server.close());

  it('passes every scenario that is not a listed difference', async () => {
    const report = await runSuite(serverScenarios, {
      url: server.url,
      authToken: token,
      expectedFailures: ourExpectedFailures(),
    });
    expect(failures(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.summary.pass).toBeGreaterThanOrEqual(100);
    expect(report.capabilities).toContain(token ? 'auth' : 'no-auth');
    // Auth scenarios run in exactly one of the two modes.
    const authChecks = report.results.filter((r) => r.id.startsWith('auth.') && r.status !== 'skip').map((r) => r.id);
    expect(authChecks.length).toBeGreaterThan(token ? 8 : 2);
  });
});

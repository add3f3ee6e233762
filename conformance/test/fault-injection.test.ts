/**
 * The suite catches broken servers: through a fault-injecting proxy in front of our server, every
 * harmful fault fails at least one MUST check, and no benign change fails any check.
 */
import type { DuckwireServer } from '@duckwire/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benignFaults, harmfulFaults } from '../src/faults/catalog.js';
import { scoreFaults } from '../src/faults/score.js';
import { serverScenarios } from '../src/scenarios/index.js';
import { ourExpectedFailures, startOurServer } from './our-server.js';

describe.each([
  ['without auth', undefined],
  ['with auth', 'fault-token-42'],
])('fault injection against @duckwire/server %s', (_name, token) => {
  let server: DuckwireServer;
  beforeAll(async () => {
    server = await startOurServer(token);
  });
  afterAll(() => server.close());

  it('catches every harmful fault with a MUST check', { timeout: 600_000 }, async () => {
    const faults = token
      ? harmfulFaults
      : harmfulFaults.filter((f) => !['close-code-1000', 'stay-open-after-unauthorized'].includes(f.id));
    const results = await scoreFaults(serverScenarios, server.url, faults, {
      authToken: token,
      expectedFailures: ourExpectedFailures(),
      timeoutMs: 5000,
    });
    const missed = results.filter((r) => r.failedMust.length === 0).map((r) => r.id);
    process.stdout.write(
      `fault injection (${_name}): ${results.length - missed.length}/${results.length} harmful faults caught\n`,
    );
    expect(missed).toEqual([]);
  });

  it('passes every benign change', { timeout: 300_000 }, async () => {
    const results = await scoreFaults(serverScenarios, server.url, benignFaults, {
      authToken: token,
      expectedFailures: ourExpectedFailures(),
    });
    expect(results.flatMap((r) => r.failed)).toEqual([]);
  });
});

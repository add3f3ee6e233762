/**
 * The suite catches broken servers: through a fault-injecting proxy in front of our server, every
 * harmful fault fails at least one MUST check, and no benign change fails any check. Harmful
 * faults run with auth on (the auth faults need it; the other checks run in both modes), benign
 * changes with auth off.
 */
import type { DuckwireServer } from '@duckwire/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benignFaults, harmfulFaults } from '../src/faults/catalog.js';
import { scoreFaults } from '../src/faults/score.js';
import { serverScenarios } from '../src/scenarios/index.js';
import { ourExpectedFailures, startOurServer } from './our-server.js';

const TOKEN = 'fault-token-42';

describe('fault injection against @duckwire/server', () => {
  let server: DuckwireServer;
  let open: DuckwireServer;
  beforeAll(async () => {
    [server, open] = await Promise.all([startOurServer(TOKEN), startOurServer()]);
  });
  afterAll(() => Promise.all([server.close(), open.close()]));

  it('catches every harmful fault with a MUST check', { timeout: 900_000 }, async () => {
    const results = await scoreFaults(serverScenarios, server.url, harmfulFaults, {
      authToken: TOKEN,
      expectedFailures: ourExpectedFailures(),
      timeoutMs: 5000,
      parallel: 2,
    });
    const missed = results.filter((r) => r.failedMust.length === 0).map((r) => r.id);
    process.stdout.write(
      `fault injection: ${results.length - missed.length}/${results.length} harmful faults caught\n${results
        .map((r) => `  ${r.id}: ${r.failedMust.length ? `caught by ${r.failedMust[0]}` : 'MISSED'}`)
        .join('\n')}\n`,
    );
    expect(missed).toEqual([]);
  });

  it('passes every benign change', { timeout: 300_000 }, async () => {
    const results = await scoreFaults(serverScenarios, open.url, benignFaults, {
      expectedFailures: ourExpectedFailures(),
    });
    expect(results.flatMap((r) => r.failed)).toEqual([]);
  });
});

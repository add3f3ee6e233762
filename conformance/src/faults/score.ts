/** Run the suite through the fault proxy once per fault and tell which faults it caught. */
import { type SuiteOptions, runSuite } from '../engine/run-suite.js';
import type { Scenario } from '../scenario/schema.js';
import type { Fault } from './proxy.js';
import { startFaultProxy } from './proxy.js';

/** The outcome for one fault. */
export interface FaultResult {
  readonly id: string;
  readonly description: string;
  readonly harmful: boolean;
  /** MUST checks that failed (a harmful fault needs at least one; a benign one none). */
  readonly failedMust: string[];
  /** Any checks that failed. */
  readonly failed: string[];
}

/**
 * Run `scenarios` against `target` through the proxy, once per fault. A harmful fault stops at
 * its first MUST failure (it is caught); a benign one runs everything.
 */
export async function scoreFaults(
  scenarios: readonly Scenario[],
  target: string,
  faults: readonly Fault[],
  options: Omit<SuiteOptions, 'url' | 'stopOnMustFailure'> & { readonly parallel?: number } = {},
): Promise<FaultResult[]> {
  const results = new Map<string, FaultResult>();
  const queue = [...faults];
  const worker = async () => {
    const proxy = await startFaultProxy(target);
    try {
      for (let fault = queue.shift(); fault; fault = queue.shift()) {
        proxy.setFault(fault);
        const report = await runSuite(scenarios, { ...options, url: proxy.url, stopOnMustFailure: fault.harmful });
        const failed = report.results.filter((r) => r.status === 'fail' || r.status === 'stale-expected-failure');
        results.set(fault.id, {
          id: fault.id,
          description: fault.description,
          harmful: fault.harmful,
          failedMust: failed.filter((r) => r.level === 'MUST' && r.status === 'fail').map((r) => r.id),
          failed: failed.map((r) => `${r.id}: ${r.message}`),
        });
      }
    } finally {
      await proxy.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 1) }, worker));
  return faults.map((fault) => results.get(fault.id)!);
}

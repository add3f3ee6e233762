/** The readable report: one line per scenario, grouped by outcome, then a summary a stranger can read. */
import type { ScenarioResult, Status, SuiteReport } from '../engine/run-suite.js';

const MARK: Record<Status, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  skip: 'SKIP',
  'expected-failure': 'XFAIL',
  'stale-expected-failure': 'STALE',
};

/** Where the spec sections live, for the links in the report. */
export const SPEC_BASE = 'docs/';

function line(result: ScenarioResult): string {
  return `${MARK[result.status].padEnd(5)}  ${result.level.padEnd(6)}  ${result.id.padEnd(48)}  ${SPEC_BASE}${result.spec}`;
}

/** Format a report as text: a table of every scenario, the reasons of failures, and the counts. */
export function formatReport(report: SuiteReport, { verbose = false }: { verbose?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`duckwire conformance — server ${report.url}`);
  lines.push(`capabilities: ${report.capabilities.join(', ')}`);
  lines.push('');
  lines.push(`${'RESULT'.padEnd(5)}  ${'LEVEL'.padEnd(6)}  ${'SCENARIO'.padEnd(48)}  SPEC`);
  for (const result of report.results) {
    if (!verbose && result.status === 'skip') continue;
    lines.push(line(result));
    if (result.message && result.status !== 'pass' && result.status !== 'skip')
      lines.push(`         ${result.title}\n         → ${result.message}`);
  }
  const s = report.summary;
  lines.push('');
  lines.push(
    `${s.total} checks: ${s.pass} passed, ${s.fail} failed (${s.mustFailed} MUST), ${s['expected-failure']} expected failures, ` +
      `${s['stale-expected-failure']} stale expected failures, ${s.skip} skipped — ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  lines.push(report.ok ? 'OK' : 'NOT OK');
  return lines.join('\n');
}

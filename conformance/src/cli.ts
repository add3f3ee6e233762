#!/usr/bin/env node
/**
 * `duckwire-conformance`: run the scenarios against a server (`server --url`) or a client
 * (`client --command`), print a table and optionally write a JSON report. Exit 1 on an unexpected
 * failure or a stale expected failure, 2 on a usage error.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runClientSuite } from './client-mode/run-client-suite.js';
import { type SuiteReport, runSuite } from './engine/run-suite.js';
import { readExpectedFailures } from './report/expected-failures.js';
import { formatReport } from './report/format.js';
import { serverScenarios } from './scenarios/index.js';

const USAGE = `Usage:
  duckwire-conformance server --url ws://host:port/ [--auth-token TOKEN] [--expected-failures FILE]
                              [--json REPORT.json] [--only PREFIX,…] [--timeout MS] [--concurrency N] [--verbose]
  duckwire-conformance client --command "…" [--expected-failures FILE] [--json REPORT.json] [--only PREFIX,…]
  duckwire-conformance list

server  plays the client side of every scenario against a running server.
client  starts a scripted server per scenario and runs the command with
        DUCKWIRE_CONFORMANCE_SCENARIO, DUCKWIRE_CONFORMANCE_URL and DUCKWIRE_CONFORMANCE_ACTION set.
list    prints the scenarios (id, level, spec section, title).

Exit status: 0 all as expected, 1 an unexpected failure or a stale expected failure, 2 usage error.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      url: { type: 'string' },
      'auth-token': { type: 'string' },
      'expected-failures': { type: 'string' },
      json: { type: 'string' },
      only: { type: 'string' },
      timeout: { type: 'string' },
      concurrency: { type: 'string' },
      command: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  if (command === 'list') {
    for (const s of serverScenarios)
      process.stdout.write(`${s.id}\t${s.level}\t${s.spec}\t${s.requires.join(',') || 'baseline'}\t${s.title}\n`);
    return 0;
  }
  const expectedFailures = values['expected-failures'] ? readExpectedFailures(values['expected-failures']) : undefined;
  const only = values.only?.split(',').filter(Boolean);
  const onResult = (result: { status: string }) => {
    if (process.stderr.isTTY)
      process.stderr.write(
        result.status === 'pass' ? '.' : result.status === 'fail' ? 'F' : result.status === 'skip' ? 's' : 'x',
      );
  };
  let report: SuiteReport;
  if (command === 'server') {
    if (!values.url) fail('server mode needs --url');
    if (!/^wss?:\/\//.test(values.url)) fail('--url must start with ws:// or wss://');
    const known = new Set(serverScenarios.map((s) => s.id));
    const unknown = Object.keys(expectedFailures ?? {}).filter((id) => !known.has(id));
    if (unknown.length > 0) fail(`the expected-failures file names unknown scenarios: ${unknown.join(', ')}`);
    report = await runSuite(serverScenarios, {
      url: values.url,
      authToken: values['auth-token'],
      expectedFailures,
      only,
      timeoutMs: values.timeout ? Number(values.timeout) : undefined,
      concurrency: values.concurrency ? Number(values.concurrency) : undefined,
      onResult,
    });
  } else if (command === 'client') {
    if (!values.command) fail('client mode needs --command');
    report = await runClientSuite({ command: values.command, expectedFailures, only, onResult });
  } else {
    fail(`unknown command ${command}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  process.stdout.write(`${formatReport(report, { verbose: values.verbose })}\n`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`duckwire-conformance: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 2;
  },
);

/**
 * Client mode: for each client scenario, start a scripted server on 127.0.0.1, run the client's
 * driver command with the scenario in its environment, and compare the outcome it prints.
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { encodeFrameHead } from '@duckwire/protocol';
import { Int32, Table, tableToIPC, vectorFromArray } from 'apache-arrow';
import { Value } from '@sinclair/typebox/value';
import { type WebSocket, WebSocketServer } from 'ws';
import { type ScenarioResult, type SuiteReport, buildReport } from '../engine/run-suite.js';
import { type Captures, mismatch } from '../match/pattern.js';
import { ClientScenario, clientScenarios } from './scenarios.js';

/** Settings of a client-mode run. */
export interface ClientSuiteOptions {
  /** Shell command of the driver. */
  readonly command: string;
  readonly expectedFailures?: Readonly<Record<string, string>>;
  readonly only?: readonly string[];
  readonly onResult?: (result: ScenarioResult) => void;
  /** Longest a driver may take, in ms. Default 15000. */
  readonly timeoutMs?: number;
}

function play(ws: WebSocket, scenario: ClientScenario, problems: string[]): void {
  const captures: Captures = new Map();
  const steps = [...scenario.script];
  const fill = (text: string) => text.replaceAll('{{queryId}}', String(captures.get('queryId') ?? ''));
  const advance = () => {
    while (steps.length > 0 && !('expect' in steps[0])) {
      const step = steps.shift()!;
      if ('sendText' in step) ws.send(fill(step.sendText));
      else if ('sendArrow' in step) {
        const table = new Table(
          Object.fromEntries(step.sendArrow.columns.map((c) => [c.name, vectorFromArray(c.values, new Int32())])),
        );
        ws.send(
          Buffer.concat([
            encodeFrameHead({ type: 'arrow', queryId: fill('{{queryId}}') }),
            tableToIPC(table, 'stream'),
          ]),
        );
      } else if ('sendHex' in step) {
        const head = Buffer.from(encodeFrameHead({ type: 'arrow', queryId: fill('{{queryId}}') })).toString('hex');
        ws.send(Buffer.from(step.sendHex.replace('{{header}}', head), 'hex'));
      }
    }
  };
  ws.on('message', (data, isBinary) => {
    const step = steps[0];
    if (!step || !('expect' in step)) return;
    let value: unknown;
    try {
      value = isBinary ? undefined : JSON.parse(String(data));
    } catch {
      value = undefined;
    }
    if ((value as { type?: string })?.type === 'auth') return; // drivers may authenticate blindly
    const miss = mismatch(step.expect, value, captures);
    if (miss) {
      problems.push(`the client sent ${String(data).slice(0, 200)}: ${miss}`);
      return;
    }
    steps.shift();
    advance();
  });
}

async function runOne(options: ClientSuiteOptions, scenario: ClientScenario): Promise<ScenarioResult> {
  const base = { id: scenario.id, title: scenario.title, level: scenario.level, spec: scenario.spec };
  const started = performance.now();
  const problems: string[] = [];
  // A baseline server: it selects no subprotocol, whatever the client offers (a v1 client falls back).
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => false });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (ws) => play(ws, scenario, problems));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const output = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(options.command, {
      shell: true,
      env: {
        ...process.env,
        DUCKWIRE_CONFORMANCE_SCENARIO: scenario.id,
        DUCKWIRE_CONFORMANCE_URL: url,
        DUCKWIRE_CONFORMANCE_ACTION: JSON.stringify(scenario.action),
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  for (const client of server.clients) client.terminate();
  await new Promise((resolve) => server.close(resolve));
  const durationMs = Math.round(performance.now() - started);
  const lines = output.stdout.trim().split('\n');
  let failure: string | undefined;
  let outcome: unknown;
  try {
    outcome = JSON.parse(lines[lines.length - 1] ?? '');
  } catch {
    failure = `the driver printed no JSON outcome (exit ${output.code}): ${output.stderr.slice(0, 300)}`;
  }
  if (!failure && output.code !== 0) failure = `the driver exited ${output.code}`;
  if (!failure && problems.length > 0) failure = problems[0];
  if (!failure) failure = mismatch(scenario.outcome, outcome, new Map(), '/outcome');
  const expected = options.expectedFailures?.[scenario.id];
  if (failure === undefined)
    return expected === undefined
      ? { ...base, status: 'pass', durationMs }
      : { ...base, status: 'stale-expected-failure', message: expected, durationMs };
  return expected === undefined
    ? { ...base, status: 'fail', message: failure, durationMs }
    : { ...base, status: 'expected-failure', message: `${expected} — ${failure}`, durationMs };
}

/** Run the client scenarios against a client driver command. */
export async function runClientSuite(options: ClientSuiteOptions): Promise<SuiteReport> {
  const started = performance.now();
  const startedAt = new Date();
  for (const scenario of clientScenarios) {
    const problem = Value.Errors(ClientScenario, scenario).First();
    if (problem) throw new Error(`client scenario ${scenario.id} is invalid at ${problem.path}: ${problem.message}`);
  }
  const selected = options.only
    ? clientScenarios.filter((s) => options.only!.some((p) => s.id.startsWith(p)))
    : clientScenarios;
  const results: ScenarioResult[] = [];
  for (const scenario of selected) {
    const result = await runOne(options, scenario);
    results.push(result);
    options.onResult?.(result);
  }
  return buildReport(`client: ${options.command}`, ['client'], startedAt, started, results);
}

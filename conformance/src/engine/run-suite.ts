/**
 * Runs a set of scenarios against one server: finds out what the server offers (auth from the
 * run's settings, v1 capabilities from its `hello`), skips what it does not offer, runs the rest
 * a few at a time, and folds in the expected-failures list.
 */
import { Connection } from './connection.js';
import type { Level, Scenario } from '../scenario/schema.js';
import { CheckFailure, type RunContext, runScenario } from './run-scenario.js';

/** The outcome of one scenario. */
export type Status = 'pass' | 'fail' | 'skip' | 'expected-failure' | 'stale-expected-failure';

/** One line of the report. */
export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly level: Level;
  readonly spec: string;
  readonly status: Status;
  /** Why it failed, was skipped or was expected to fail. */
  readonly message?: string;
  readonly durationMs: number;
}

/** Settings of a suite run. */
export interface SuiteOptions extends Partial<Omit<RunContext, 'url'>> {
  readonly url: string;
  /** Scenario ids expected to fail, with the reason. */
  readonly expectedFailures?: Readonly<Record<string, string>>;
  /** Scenarios run at once (those marked `serial` run alone). Default 4. */
  readonly concurrency?: number;
  /** Only scenarios whose id starts with one of these. */
  readonly only?: readonly string[];
  /** Stop at the first unexpected MUST failure (the rest are reported as skipped). */
  readonly stopOnMustFailure?: boolean;
  /** Called after each scenario. */
  readonly onResult?: (result: ScenarioResult) => void;
}

/** The whole run. */
export interface SuiteReport {
  readonly url: string;
  readonly capabilities: string[];
  readonly startedAt: string;
  readonly durationMs: number;
  readonly results: ScenarioResult[];
  readonly summary: Record<Status, number> & { total: number; mustFailed: number };
  /** True when nothing failed unexpectedly and no expected failure passed. */
  readonly ok: boolean;
}

/** The capabilities a server offers: "auth"/"no-auth" from the settings, plus "v1" and hello's capabilities. */
export async function probeCapabilities(
  url: string,
  authToken: string | undefined,
  timeoutMs: number,
): Promise<string[]> {
  const capabilities = [authToken === undefined ? 'no-auth' : 'auth'];
  let connection: Connection | undefined;
  try {
    connection = await Connection.open(url, { protocols: ['duckwire.v1'] });
  } catch {
    return capabilities; // e.g. Node's ws refuses a handshake without the subprotocol: a baseline server.
  }
  try {
    if (connection.ws.protocol !== 'duckwire.v1') return capabilities;
    const hello = await connection.waitFor(() => connection?.inbox[0], timeoutMs);
    if (hello?.kind !== 'text') return capabilities;
    const message = JSON.parse(hello.text) as { type?: string; capabilities?: unknown; compression?: unknown };
    if (message.type !== 'hello') return capabilities;
    capabilities.push('v1');
    if (Array.isArray(message.capabilities))
      capabilities.push(...message.capabilities.filter((c) => typeof c === 'string'));
    // Each codec of hello.compression, as "compression:zstd", "compression:lz4".
    if (Array.isArray(message.compression))
      capabilities.push(...message.compression.filter((c) => typeof c === 'string').map((c) => `compression:${c}`));
    return capabilities;
  } catch {
    return capabilities;
  } finally {
    await connection.close();
  }
}

async function runOne(
  context: RunContext,
  scenario: Scenario,
  options: SuiteOptions,
  capabilities: string[],
): Promise<ScenarioResult> {
  const base = { id: scenario.id, title: scenario.title, level: scenario.level, spec: scenario.spec };
  const missing = scenario.requires.filter((capability) => !capabilities.includes(capability));
  if (missing.length > 0) return { ...base, status: 'skip', message: `needs ${missing.join(', ')}`, durationMs: 0 };
  const expected = options.expectedFailures?.[scenario.id];
  const started = performance.now();
  let failure: string | undefined;
  try {
    await runScenario(context, scenario);
  } catch (error) {
    failure = error instanceof CheckFailure ? error.message : `runner error: ${(error as Error).stack ?? error}`;
  }
  const durationMs = Math.round(performance.now() - started);
  if (failure === undefined) {
    return expected === undefined
      ? { ...base, status: 'pass', durationMs }
      : {
          ...base,
          status: 'stale-expected-failure',
          message: `listed as expected to fail (${expected}) but passes`,
          durationMs,
        };
  }
  return expected === undefined
    ? { ...base, status: 'fail', message: failure, durationMs }
    : { ...base, status: 'expected-failure', message: `${expected} — ${failure}`, durationMs };
}

/** Run scenarios against a server and report. */
export async function runSuite(scenarios: readonly Scenario[], options: SuiteOptions): Promise<SuiteReport> {
  const startedAt = new Date();
  const started = performance.now();
  const context: RunContext = {
    url: options.url,
    authToken: options.authToken === '' ? undefined : options.authToken,
    timeoutMs: options.timeoutMs ?? 5000,
    settleMs: options.settleMs ?? 40,
  };
  const capabilities = await probeCapabilities(options.url, context.authToken, context.timeoutMs);
  const selected = options.only
    ? scenarios.filter((s) => options.only!.some((prefix) => s.id.startsWith(prefix)))
    : scenarios;
  const results = new Map<string, ScenarioResult>();
  let stopped = false;
  const record = (result: ScenarioResult) => {
    if (options.stopOnMustFailure && result.status === 'fail' && result.level === 'MUST') stopped = true;
    results.set(result.id, result);
    options.onResult?.(result);
  };
  const parallel = selected.filter((scenario) => !scenario.serial);
  const queue = [...parallel];
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 4) }, async () => {
    for (let next = queue.shift(); next && !stopped; next = queue.shift())
      record(await runOne(context, next, options, capabilities));
  });
  await Promise.all(workers);
  for (const scenario of selected.filter((s) => s.serial)) {
    if (!stopped) record(await runOne(context, scenario, options, capabilities));
  }
  const notRun = (scenario: Scenario): ScenarioResult => ({
    id: scenario.id,
    title: scenario.title,
    level: scenario.level,
    spec: scenario.spec,
    status: 'skip',
    message: 'not run: stopped at the first MUST failure',
    durationMs: 0,
  });
  const ordered = selected.map((scenario) => results.get(scenario.id) ?? notRun(scenario));
  return buildReport(options.url, capabilities, startedAt, started, ordered);
}

/** Fold results into a report: counts, MUST failures, and whether the run is OK. */
export function buildReport(
  url: string,
  capabilities: string[],
  startedAt: Date,
  started: number,
  results: ScenarioResult[],
): SuiteReport {
  const summary = {
    total: results.length,
    pass: 0,
    fail: 0,
    skip: 0,
    'expected-failure': 0,
    'stale-expected-failure': 0,
    mustFailed: 0,
  };
  for (const result of results) {
    summary[result.status]++;
    if (result.status === 'fail' && result.level === 'MUST') summary.mustFailed++;
  }
  return {
    url,
    capabilities,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    results,
    summary,
    ok: summary.fail === 0 && summary['stale-expected-failure'] === 0,
  };
}

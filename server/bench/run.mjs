#!/usr/bin/env node
// duckwire benchmark: `pnpm bench` (builds the server first), or `node server/bench/run.mjs [flags]`.
// See docs/benchmarks.md for the workloads, the goals and how to read the output.

// The in-process floor runs 32 DuckDB connections at once; each running query holds a libuv
// pool thread. Size the pool like the server's CLI does. The pool is already running by the time
// an ES module's first line executes (the module loader started it), so when the size is not set
// yet, run this script again in a child process that has it.
if (process.env.UV_THREADPOOL_SIZE === undefined) {
  const { spawnSync } = await import('node:child_process');
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, UV_THREADPOOL_SIZE: '36' },
  });
  process.exit(child.status ?? 1);
}

const { parseArgs } = await import('node:util');
const { writeFileSync } = await import('node:fs');
const { availableParallelism, cpus, totalmem } = await import('node:os');
const { fileURLToPath } = await import('node:url');
const { BenchClient } = await import('./lib/client.mjs');
const { V1Client } = await import('./lib/stream-workloads.mjs');
const { startServerProcess, RssMonitor } = await import('./lib/server-process.mjs');
const { summarize, formatTable, formatGoals } = await import('./lib/report.mjs');
const { WORKLOADS } = await import('./lib/workloads.mjs');
const { InProcess, wsEchoLatencies } = await import('./lib/floor.mjs');
const { VERSUS_WORKLOADS } = await import('./lib/versus.mjs');

const USAGE = `usage: node server/bench/run.mjs [flags]

  --url ws://HOST:PORT/  benchmark that server (any baseline-protocol server) instead of
                         starting duckwire's CLI as a child process
  --pid N                with --url: the server's process id, to read its RSS
  --quick                few repetitions (CI smoke); sizes stay the same
  --only a,b             run only these workloads: ${WORKLOADS.map((w) => w.name).join(', ')}
  --json FILE            also write every number to FILE
  --token TOKEN          send {"type":"auth"} with this token first
  --vs-python            compare with the Python SQLRooms server: install the newest
                         sqlrooms-server from PyPI into a throwaway venv, start both servers
                         fresh per workload on 127.0.0.1, alternate requests, print ratios
                         (without PyPI: says so and runs duckwire alone)
  --python-venv DIR      with --vs-python: use (and keep) this venv instead of a throwaway one
  -h, --help             this text`;

let args;
try {
  args = parseArgs({
    options: {
      url: { type: 'string' },
      pid: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      json: { type: 'string' },
      token: { type: 'string' },
      'vs-python': { type: 'boolean', default: false },
      'python-venv': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  }).values;
} catch (error) {
  process.stderr.write(`${error.message}\n${USAGE}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const only = args.only
  ? args.only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  : undefined;
const known = args['vs-python'] ? VERSUS_WORKLOADS : WORKLOADS;
if (only) {
  const unknown = only.filter((name) => !known.some((w) => w.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown workload(s): ${unknown.join(', ')}\n${USAGE}\n`);
    process.exit(2);
  }
}
const workloads = WORKLOADS.filter((w) => !only || only.includes(w.name));
const quick = args.quick;
const log = (text) => process.stderr.write(`${text}\n`);

if (args['vs-python']) {
  const { runVersus } = await import('./lib/versus.mjs');
  const { runVersusCommand } = await import('./lib/versus-command.mjs');
  await runVersusCommand({ args, only, quick, log, runVersus, InProcess });
  process.exit(0);
}

// --- the target -------------------------------------------------------------------------------
const CLI = fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
let target;
if (args.url) {
  const pid = args.pid === undefined ? undefined : Number(args.pid);
  if (pid !== undefined && !(Number.isSafeInteger(pid) && pid > 0)) {
    process.stderr.write('--pid must be a process id\n');
    process.exit(2);
  }
  target = { kind: 'url', url: args.url, pid, describe: `${args.url}${pid ? ` (pid ${pid})` : ' (no --pid: no RSS)'}` };
} else {
  target = { kind: 'child', cli: CLI, proc: undefined, url: undefined, pid: undefined, describe: '' };
}

async function ensureServer() {
  if (target.kind !== 'child') return;
  if (target.proc && target.proc.exitCode === null && target.proc.signalCode === null) return;
  if (target.proc) log(`  the server exited (${target.proc.exitCode ?? target.proc.signalCode}); starting a new one`);
  const server = await startServerProcess(CLI, ['--no-cache']);
  target.proc = server.child;
  target.server = server;
  target.url = `ws://127.0.0.1:${server.port}/`;
  target.pid = server.child.pid;
  target.describe = `duckwire child process: node dist/cli.cjs --port 0 --no-cache (pid ${target.pid})`;
}

async function connect({ protocols } = {}) {
  return BenchClient.connect(target.url, { token: args.token, protocols });
}

// --- run --------------------------------------------------------------------------------------
const inProcess = await InProcess.open();
const results = [];
let echo;
const started = Date.now();
try {
  await ensureServer();
  log(`duckwire bench — target: ${target.describe}${quick ? ' — quick' : ''}`);

  if (workloads.some((w) => w.needsEcho)) {
    const reps = quick ? 200 : 2000;
    log(`raw ws echo (${reps} round trips)…`);
    const times = await wsEchoLatencies(reps, Math.ceil(reps / 10));
    echo = summarize(times);
  }

  for (const workload of workloads) {
    if (workload.freshServer && target.kind === 'child' && target.proc?.exitCode === null) {
      // Its memory is measured from a server that has not grown its heap on earlier workloads.
      target.proc.kill('SIGTERM');
      await target.server.exited;
      target.proc = undefined;
    }
    await ensureServer();
    log(`${workload.name}: ${workload.title}…`);
    const monitor = target.pid ? new RssMonitor(target.pid) : undefined;
    let result;
    try {
      result = await workload.run({
        quick,
        inProcess,
        connect,
        connectV1: () => V1Client.connect(target.url, { token: args.token }),
        echo,
        startRss: () => monitor?.start(),
        log: (text) => log(`  ${text}`),
      });
    } catch (error) {
      result = { error: String(error?.message ?? error).split('\n')[0] };
    }
    const rss = monitor?.stop();
    const record = { name: workload.name, title: workload.title, ...result, rss };
    if (record.goal?.memory && rss) {
      // Peak over idle against 64 MiB + one Arrow record batch of the reply.
      const limit = 64 * 1024 * 1024 + (record.maxBatchBytes ?? 0);
      record.goal.memory = {
        ...record.goal.memory,
        limit,
        value: rss.peak - rss.idle,
        pass: rss.peak - rss.idle <= limit,
      };
      // The row's mark covers both goals.
      record.goal.timePass = record.goal.pass;
      record.goal.pass = (record.goal.pass ?? true) && record.goal.memory.pass;
    }
    results.push(record);
    if (record.error) log(`  error: ${record.error}`);
  }
} finally {
  await inProcess.close();
  if (target.kind === 'child' && target.proc && target.proc.exitCode === null) {
    target.proc.kill('SIGTERM');
    await target.server.exited;
  }
}

const report = {
  date: new Date().toISOString(),
  durationSeconds: (Date.now() - started) / 1000,
  quick,
  target: { kind: target.kind, url: target.kind === 'url' ? target.url : undefined, pid: target.pid ?? null },
  machine: {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
  },
  floor: {
    kind: 'in-process @duckdb/node-api runAndReadAll',
    duckdb: inProcess.version,
    wsEcho: echo ?? null,
  },
  workloads: results,
};

process.stdout.write(`\n${formatTable(report)}\n\n${formatGoals(report)}\n`);
if (args.json) {
  writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${args.json}`);
}

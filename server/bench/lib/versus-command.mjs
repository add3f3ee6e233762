// `run.mjs --vs-python`: prepare the Python server, run the side-by-side workloads, print.
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { preparePythonServer, startPythonServer } from './python-server.mjs';
import { formatVersus } from './versus.mjs';
import { startServerProcess } from './server-process.mjs';

const CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));

export async function runVersusCommand({ args, only, quick, log, runVersus, InProcess }) {
  const python = preparePythonServer({ venv: args['python-venv'], log });
  const targets = [{ name: 'duckwire', start: () => startServerProcess(CLI, ['--no-cache']) }];
  if (python.unavailable) {
    log(`sqlrooms-server unavailable — ${python.unavailable}; running duckwire alone`);
  } else {
    log(`sqlrooms-server ${python.version} (DuckDB ${python.duckdb}) from PyPI`);
    targets.push({ name: `sqlrooms-server ${python.version}`, start: () => startPythonServer(python.python) });
  }
  const inProcess = await InProcess.open();
  const started = Date.now();
  let report;
  try {
    report = await runVersus({ targets, quick, only, inProcess, log });
  } finally {
    await inProcess.close();
    python.dispose?.();
  }
  const names = targets.map((t) => t.name);
  const head =
    `duckwire vs ${names[1] ?? '(Python server unavailable)'} — ${process.version}, ${availableParallelism()} CPUs ` +
    `(${cpus()[0]?.model ?? 'unknown'}), DuckDB ${inProcess.version} in-process — ` +
    `${((Date.now() - started) / 1000).toFixed(0)} s${quick ? ' — quick' : ''}`;
  process.stdout.write(`\n${head}\n\n${formatVersus(report, names)}\n`);
  if (args.json) {
    writeFileSync(
      args.json,
      `${JSON.stringify({ date: new Date().toISOString(), quick, targets: names, python: python.unavailable ? { unavailable: python.unavailable } : { version: python.version, duckdb: python.duckdb }, ...report }, null, 2)}\n`,
    );
    log(`wrote ${args.json}`);
  }
}

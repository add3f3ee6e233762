// Hostile-load figures (issue 8 §4, §5), printed, never asserted:
//   flood    — one socket sends 10,000 queries at once; how long does another socket's `select 1` wait?
//   bigtext  — resident memory of the server for a near-limit text message and for a 200 MB one.
// Usage: node bench/hostile.mjs [--cli path/to/cli.cjs] [flood|bigtext] [-- server flags…]
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { RssMonitor, readRss, startServerProcess } from './lib/server-process.mjs';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const serverArgs = dash >= 0 ? argv.slice(dash + 1) : [];
const own = dash >= 0 ? argv.slice(0, dash) : argv;
const cliAt = own.indexOf('--cli');
const cli = cliAt >= 0 ? own[cliAt + 1] : fileURLToPath(new URL('../dist/cli.cjs', import.meta.url));
const which = own.filter((arg, i) => !arg.startsWith('--') && own[i - 1] !== '--cli');
const run = (name) => which.length === 0 || which.includes(name);

const MiB = 1024 * 1024;
const mib = (bytes) => `${(bytes / MiB).toFixed(0)} MiB`;

function connect(port) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { maxPayload: 2 ** 31 });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Resolve with the terminal reply of `queryId` on `ws` (its parsed JSON), an error without queryId, or the close code. */
function reply(ws, queryId) {
  return new Promise((resolve) => {
    const onMessage = (data, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(String(data));
      // An error without queryId (e.g. message_too_large) answers the message that was refused.
      const refused = message.type === 'error' && message.queryId === undefined;
      if ((message.queryId !== queryId && !refused) || message.type === 'cancelAck') return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
    ws.once('close', (code) => resolve({ type: 'closed', code }));
  });
}

/** The flooding socket lives in a worker thread, so that handling its 10,000 replies does not delay the bystander's measurement. */
const FLOODER = `
const { parentPort, workerData } = require('node:worker_threads');
const WebSocket = require(workerData.ws);
const ws = new WebSocket('ws://127.0.0.1:' + workerData.port + '/');
const tally = {};
let answered = 0;
ws.on('open', () => {
  for (let i = 0; i < workerData.count; i++) {
    ws.send(JSON.stringify({ type: 'json', queryId: 'f' + i, sql: 'select count(*) as n from range(20000)' }));
  }
  parentPort.postMessage({ sent: true });
});
ws.on('message', (data) => {
  const text = String(data);
  const kind = text.includes('"overloaded"') ? 'overloaded' : text.startsWith('{"type":"json"') ? 'json' : 'other';
  tally[kind] = (tally[kind] ?? 0) + 1;
  if (++answered === workerData.count) { parentPort.postMessage({ tally }); ws.close(); }
});
`;

async function flood(port, pid) {
  const FLOOD = 10_000;
  const { Worker } = await import('node:worker_threads');
  const { createRequire } = await import('node:module');
  const wsPath = createRequire(import.meta.url).resolve('ws');
  const bystander = await connect(port);
  const rssBefore = readRss(pid)?.rss;
  const monitor = new RssMonitor(pid);
  monitor.start();
  const worker = new Worker(FLOODER, { eval: true, workerData: { port, count: FLOOD, ws: wsPath } });
  const tally = new Promise((resolve) => worker.on('message', (message) => message.tally && resolve(message.tally)));
  await new Promise((resolve) => worker.on('message', (message) => message.sent && resolve()));
  // The bystander asks once the flood has been sent.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const asked = performance.now();
  const answer = reply(bystander, 'bystander');
  bystander.send(JSON.stringify({ type: 'json', queryId: 'bystander', sql: 'select 1 as one' }));
  const got = await answer;
  const waitMs = performance.now() - asked;
  const counts = await tally;
  const memory = monitor.stop();
  await worker.terminate();
  console.log(
    `flood: ${FLOOD} queries from one socket; bystander select 1 waited ${waitMs.toFixed(1)} ms (${got.type}); ` +
      `flood replies ${JSON.stringify(counts)}; server RSS ${mib(rssBefore)} -> peak ${mib(memory?.peak ?? 0)}`,
  );
  bystander.close();
}

async function bigText(port, pid, bytes, label) {
  const ws = await connect(port);
  const sql = `select length('${'x'.repeat(bytes - 40)}') as n`;
  const message = JSON.stringify({ type: 'json', queryId: 'big', sql });
  const before = readRss(pid)?.rss;
  const monitor = new RssMonitor(pid);
  monitor.start();
  const answer = reply(ws, 'big');
  ws.send(message);
  const got = await answer;
  const memory = monitor.stop();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = readRss(pid)?.rss;
  const outcome = got.type === 'error' ? `${got.code}: ${got.error}` : got.type;
  console.log(
    `bigtext ${label} (${mib(message.length)}): ${outcome}; RSS ${mib(before)} -> peak ${mib(memory?.peak ?? 0)}, ${mib(after)} 2 s later`,
  );
  if (ws.readyState === ws.OPEN) ws.close();
}

if (run('flood')) {
  const server = await startServerProcess(cli, ['--no-cache', ...serverArgs]);
  await flood(server.port, server.child.pid);
  server.child.kill('SIGTERM');
  await server.exited;
}
if (run('bigtext')) {
  const server = await startServerProcess(cli, ['--no-cache', ...serverArgs]);
  await bigText(server.port, server.child.pid, 4 * MiB - 1024, 'near the 4 MiB text limit');
  await bigText(server.port, server.child.pid, 200 * MiB, '200 MB');
  server.child.kill('SIGTERM');
  await server.exited;
}

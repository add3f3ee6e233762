// Cost of the client layer per query: `select 1` through @duckwire/client (json and Arrow; json also on a
// baseline connection) against the same message over a raw `ws` socket, sequentially and 32 in flight, against one in-process duckwire server.
// Prints p50/p99 latencies and throughput with ratios; run `pnpm bench` in client/ (after `pnpm build`).
import { createLogger, startServer } from '@duckwire/server';
import WebSocket from 'ws';
import { connect } from '../dist/node.js';

const N = Number(process.env.N ?? 3000);
const server = await startServer({ host: '127.0.0.1', port: 0, noCache: true, logger: createLogger('error') });

const raw = new WebSocket(server.url);
raw.binaryType = 'arraybuffer';
await new Promise((resolve) => raw.once('open', resolve));
const waiting = new Map();
let id = 0;
raw.on('message', (data, isBinary) => {
  if (isBinary) {
    const bytes = new Uint8Array(data);
    const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
    const header = JSON.parse(Buffer.from(bytes.subarray(4, 4 + length)).toString());
    waiting.get(header.queryId)?.();
    waiting.delete(header.queryId);
    return;
  }
  const message = JSON.parse(data);
  waiting.get(message.queryId)?.();
  waiting.delete(message.queryId);
});
const rawQuery = (type) =>
  new Promise((resolve) => {
    const queryId = `r${++id}`;
    waiting.set(queryId, resolve);
    raw.send(JSON.stringify({ type, sql: 'select 1', queryId }));
  });

const client = await connect(server.url);
const baseline = await connect(server.url, { v1: false });
const subjects = {
  'raw ws json': () => rawQuery('json'),
  'client.json': () => client.json('select 1'),
  'client.json (v1: false)': () => baseline.json('select 1'),
  'raw ws arrow': () => rawQuery('arrow'),
  'client.query (arrow, decoded)': () => client.query('select 1'),
};

async function sequential(run) {
  const times = [];
  for (let i = 0; i < N; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(N * 0.5)], p99: times[Math.floor(N * 0.99)] };
}

async function parallel(run, inFlight = 32) {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < N) await run();
    }),
  );
  return N / ((performance.now() - start) / 1000);
}

for (const run of Object.values(subjects)) for (let i = 0; i < 300; i++) await run(); // warm up
const results = {};
for (const [name, run] of Object.entries(subjects)) {
  const { p50, p99 } = await sequential(run);
  results[name] = { p50, p99, qps: await parallel(run) };
}
console.log(`select 1, ${N} queries each, one connection, loopback`);
console.log('subject                         p50 ms   p99 ms   32-in-flight q/s');
for (const [name, r] of Object.entries(results)) {
  console.log(`${name.padEnd(30)} ${r.p50.toFixed(3).padStart(7)} ${r.p99.toFixed(3).padStart(8)} ${r.qps.toFixed(0).padStart(12)}`);
}
const ratio = (a, b) => (results[a].p50 / results[b].p50).toFixed(2);
console.log(`client/raw p50: json ${ratio('client.json', 'raw ws json')}x, arrow ${ratio('client.query (arrow, decoded)', 'raw ws arrow')}x`);
console.log(
  `client layer cost per query (p50 difference): json ${((results['client.json'].p50 - results['raw ws json'].p50) * 1000).toFixed(0)} µs, arrow ${((results['client.query (arrow, decoded)'].p50 - results['raw ws arrow'].p50) * 1000).toFixed(0)} µs`,
);
client.close();
baseline.close();
raw.close();
await server.close();

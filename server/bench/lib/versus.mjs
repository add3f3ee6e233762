// `--vs-python`: duckwire and the Python SQLRooms server side by side in one run. For every
// workload both servers start fresh, then the timed requests alternate between them (A B, B A, …)
// so that drift in the machine's speed hits both alike; the report is ours ÷ Python per workload.
// Each start also yields a startup time (spawn → first query answered) and an idle RSS.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { BenchClient } from './client.mjs';
import { startPythonServer } from './python-server.mjs';
import { fmtMs, summarize } from './report.mjs';
import { RssMonitor, readRss, startServerProcess } from './server-process.mjs';
import { MIXED_1M, NESTED_1M, NUMERIC_10M, buildUploadIpc, countJsonRows, inspectArrow } from './workloads.mjs';

const MiB = 1024 * 1024;

/** A TPC-H-lineitem-like table: 2M rows × 16 columns (integers, DECIMAL(15,2), DATEs, VARCHARs). */
export const LINEITEM_2M = `create or replace table lineitem as
select range as l_orderkey,
  (range * 7919 % 200000)::INTEGER as l_partkey,
  (range * 104729 % 10000)::INTEGER as l_suppkey,
  (range % 7 + 1)::INTEGER as l_linenumber,
  (range % 50 + 1)::DECIMAL(15,2) as l_quantity,
  ((range * 7919 % 10000000) / 100)::DECIMAL(15,2) as l_extendedprice,
  ((range % 11) / 100)::DECIMAL(15,2) as l_discount,
  ((range % 9) / 100)::DECIMAL(15,2) as l_tax,
  ['A', 'N', 'R'][range % 3 + 1] as l_returnflag,
  ['F', 'O'][range % 2 + 1] as l_linestatus,
  DATE '1992-01-02' + (range % 2526)::INTEGER as l_shipdate,
  DATE '1992-01-31' + (range * 7 % 2466)::INTEGER as l_commitdate,
  DATE '1992-01-03' + (range * 13 % 2556)::INTEGER as l_receiptdate,
  ['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN'][range % 4 + 1] as l_shipinstruct,
  ['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'][range % 7 + 1] as l_shipmode,
  substr(md5(range::VARCHAR) || md5((range + 1)::VARCHAR), 1, 10 + (range % 34)::INTEGER) as l_comment
from range(2000000)`;

const query = (type, sql) => (client) => client.query(type, sql);

/** `select *` from a table holding the rows of `sql`, as Arrow: workload `<name>-table`. */
function fromTable(name, table, sql, rows) {
  return {
    name: `${name}-table`,
    title: `the ${name} rows from a table (created before timing), as Arrow`,
    setup: [`create or replace table ${table} as ${sql}`],
    send: query('arrow', `select * from ${table}`),
    rows,
  };
}

/** The workloads of the comparison; `reps`/`warmup` are per server. */
export const VERSUS_WORKLOADS = [
  {
    name: 'select1',
    title: "'select 1' as Arrow, sequential round trips (p50)",
    send: query('arrow', 'select 1'),
    rows: 1,
    plan: { full: { reps: 400, warmup: 50 }, quick: { reps: 100, warmup: 20 } },
  },
  {
    name: 'arrow-numeric-10m',
    title: '10M rows × (INTEGER, DOUBLE, BIGINT) as Arrow',
    send: query('arrow', NUMERIC_10M),
    rows: 10_000_000,
    limit: true,
  },
  {
    name: 'arrow-mixed-1m',
    title: '1M rows × (VARCHAR ~20, VARCHAR 5, TIMESTAMP, BOOLEAN 10% NULL) as Arrow',
    send: query('arrow', MIXED_1M),
    rows: 1_000_000,
  },
  {
    name: 'arrow-nested-1m',
    title: '1M rows × (BIGINT, LIST, STRUCT, MAP) as Arrow',
    send: query('arrow', NESTED_1M),
    rows: 1_000_000,
  },
  // The same three results read from tables (created on each server before timing): a table is
  // scanned in parallel, while `range()` is a single-threaded source that makes DuckDB's streamed
  // results wake a worker for every chunk (docs/benchmarks.md, "DuckDB threads").
  fromTable('arrow-numeric-10m', 'numeric_10m', NUMERIC_10M, 10_000_000),
  fromTable('arrow-mixed-1m', 'mixed_1m', MIXED_1M, 1_000_000),
  fromTable('arrow-nested-1m', 'nested_1m', NESTED_1M, 1_000_000),
  {
    // A server that has been running a while: the same numeric result, timed after each server
    // answered one nested result (arrow-nested-1m) since it started.
    name: 'arrow-numeric-10m-after-nested',
    title: 'the arrow-numeric-10m result on a server that answered one arrow-nested-1m result before',
    prime: [NESTED_1M],
    send: query('arrow', NUMERIC_10M),
    rows: 10_000_000,
  },
  {
    name: 'arrow-wide-2m',
    title: 'select * from a lineitem-like table, 2M rows × 16 columns, as Arrow',
    setup: [LINEITEM_2M],
    send: query('arrow', 'select * from lineitem'),
    rows: 2_000_000,
  },
  {
    name: 'json-mixed-1m',
    title: 'the arrow-mixed-1m SQL as JSON',
    send: query('json', MIXED_1M),
    rows: 1_000_000,
    firstColumn: 's20',
    plan: { full: { reps: 3, warmup: 1 }, quick: { reps: 1, warmup: 0 } },
  },
  {
    name: 'upload-1m',
    title: 'uploadArrow, 1M rows × (INTEGER, DOUBLE, VARCHAR, BOOLEAN), one message',
    upload: true,
    rows: 1_000_000,
  },
];

const DEFAULT_PLAN = { full: { reps: 5, warmup: 1 }, quick: { reps: 1, warmup: 0 } };

/** Start a server, answer one `select 1`, wait a moment, read RSS: one "start" sample. */
async function startFresh(target) {
  const t0 = performance.now();
  const server = await target.start();
  try {
    const client = await BenchClient.connect(`ws://127.0.0.1:${server.port}/`);
    const first = await client.query('arrow', 'select 1');
    const startupMs = performance.now() - t0;
    if (first.type !== 'arrow') throw new Error(`${target.name}: first query failed: ${first.error ?? first.type}`);
    await sleep(500);
    const idleRss = readRss(server.child.pid)?.rss;
    return { target, server, client, startupMs, idleRss };
  } catch (error) {
    server.child.kill('SIGKILL');
    throw error;
  }
}

async function stop(live) {
  await live.client.close().catch(() => {});
  if (live.server.child.exitCode === null && live.server.child.signalCode === null) live.server.child.kill('SIGTERM');
  const killer = setTimeout(() => live.server.child.kill('SIGKILL'), 5000);
  await live.server.exited;
  clearTimeout(killer);
}

/** The raw-transfer floor: a bare ws server in a child process that sends N bytes on request. */
async function startRawSender() {
  const script = new URL('./raw-ws-sender.mjs', import.meta.url);
  const child = spawn(process.execPath, [script.pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve(JSON.parse(line).port);
    });
    child.once('exit', (code) => reject(new Error(`raw ws sender exited (${code})`)));
  });
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { maxPayload: 2 ** 32, perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    /** ms from request to the last byte of an N-byte binary message. */
    async transfer(n) {
      const t0 = performance.now();
      await new Promise((resolve) => {
        ws.once('message', resolve);
        ws.send(String(n));
      });
      return performance.now() - t0;
    },
    async close() {
      ws.close();
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Rows in a reply (or the uploaded table), checked once after timing. */
async function countRows(workload, live, reply) {
  if (workload.upload) {
    const count = await live.client.query('json', 'select count(*)::INTEGER as n from bench_upload');
    const data = count.message?.data;
    return (typeof data === 'string' ? JSON.parse(data) : data)?.[0]?.n;
  }
  if (reply.type === 'arrow') return inspectArrow(reply);
  if (reply.type === 'json') return { rows: countJsonRows(reply, workload.firstColumn) };
  return { rows: undefined };
}

/**
 * Run the comparison. `targets`: `[{ name, start() → { child, port, exited } }]`, the first being
 * duckwire. Returns the report object; `log` gets progress lines.
 */
export async function runVersus({ targets, quick, only, inProcess, log }) {
  const workloads = VERSUS_WORKLOADS.filter((w) => !only || only.includes(w.name));
  const starts = targets.map(() => ({ startupMs: [], idleRss: [] }));
  const results = [];
  let uploadIpc;
  for (const workload of workloads) {
    const plan = (workload.plan ?? DEFAULT_PLAN)[quick ? 'quick' : 'full'];
    log(`${workload.name}: ${workload.title}…`);
    const record = { name: workload.name, title: workload.title, reps: plan.reps, warmup: plan.warmup, per: [] };
    let live = [];
    let raw;
    try {
      if (workload.upload && !uploadIpc) uploadIpc = buildUploadIpc(workload.rows);
      const send = workload.upload ? (client) => client.upload('bench_upload', uploadIpc) : workload.send;
      for (const [i, target] of targets.entries()) {
        const one = await startFresh(target);
        live.push(one);
        starts[i].startupMs.push(one.startupMs);
        if (one.idleRss) starts[i].idleRss.push(one.idleRss);
        for (const sql of workload.setup ?? []) {
          const reply = await one.client.query('exec', sql);
          if (reply.type === 'error') throw new Error(`${target.name}: setup failed: ${reply.error}`);
        }
        for (const sql of workload.prime ?? []) {
          const reply = await one.client.query('arrow', sql);
          if (reply.type === 'error') throw new Error(`${target.name}: priming query failed: ${reply.error}`);
        }
      }
      const extras = [];
      if (workload.limit) {
        const aggregate = `select count(*), sum(a), sum(b), sum(c) from (${NUMERIC_10M})`;
        raw = await startRawSender();
        extras.push({ name: 'duckdb-aggregate', time: async () => (await inProcess.read(aggregate)).ms, times: [] });
        extras.push({ name: 'raw-ws-transfer', time: undefined, times: [] });
      }
      const monitors = live.map((one) => new RssMonitor(one.server.child.pid));
      for (const m of monitors) m.start();
      const times = live.map(() => []);
      const last = [];
      let bytes = 0;
      for (let i = 0; i < plan.warmup + plan.reps; i++) {
        const order = i % 2 === 0 ? live.map((_, k) => k) : live.map((_, k) => live.length - 1 - k);
        for (const k of order) {
          last[k] = undefined;
          const reply = await send(live[k].client);
          if (reply.type === 'error') throw new Error(`${live[k].target.name}: ${reply.error}`);
          if (i >= plan.warmup) times[k].push(reply.ms);
          last[k] = reply;
          if (k === 0) bytes = reply.bytes;
        }
        for (const extra of extras) {
          const ms = extra.name === 'raw-ws-transfer' ? await raw.transfer(bytes) : await extra.time();
          if (i >= plan.warmup) extra.times.push(ms);
        }
      }
      const rss = monitors.map((m) => m.stop());
      for (const [k, one] of live.entries()) {
        const shape = await countRows(workload, one, last[k]);
        const rows = typeof shape === 'object' ? shape?.rows : shape;
        record.per.push({
          name: one.target.name,
          latency: summarize(times[k]),
          bytes: last[k].bytes,
          rss,
          deltaRss: rss[k] ? rss[k].peak - rss[k].idle : undefined,
          rows,
          rowsOk: rows === workload.rows,
          arrow: typeof shape === 'object' && shape.batches !== undefined ? shape : undefined,
        });
      }
      record.ratio = record.per[1] ? record.per[0].latency.median / record.per[1].latency.median : undefined;
      if (extras.length) {
        const parts = Object.fromEntries(extras.map((e) => [e.name, summarize(e.times)]));
        const sum = parts['duckdb-aggregate'].median + parts['raw-ws-transfer'].median;
        record.limit = { parts, sum, ratio: record.per[0].latency.median / sum, transferBytes: bytes };
      }
    } catch (error) {
      record.error = String(error?.message ?? error).split('\n')[0];
      log(`  error: ${record.error}`);
    } finally {
      for (const one of live) await stop(one);
      live = [];
      await raw?.close();
    }
    results.push(record);
  }
  return {
    workloads: results,
    starts: starts.map((s, i) => ({
      name: targets[i].name,
      startupMs: summarize(s.startupMs),
      idleRss: summarize(s.idleRss),
    })),
  };
}

function fmtMiB(bytes) {
  return bytes === undefined || Number.isNaN(bytes) ? '—' : `${(bytes / MiB).toFixed(0)} MiB`;
}

function table(rows, right) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => (right[i] ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(rows[0]), line(widths.map((w) => '─'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}

/** The side-by-side table, the start figures and the numeric result's limit. */
export function formatVersus(report, names) {
  const [ours, theirs] = names;
  const header = ['workload', ours, theirs ?? '', 'ratio', `ΔRSS ${ours}`, theirs ? `ΔRSS ${theirs}` : '', 'reply'];
  const rows = [header];
  const errors = [];
  for (const w of report.workloads) {
    if (w.error) {
      rows.push([w.name, 'error', '', '', '', '', '']);
      errors.push(`${w.name}: ${w.error}`);
      continue;
    }
    const [a, b] = w.per;
    const metric = w.name === 'select1' ? 'p50' : 'median';
    rows.push([
      `${w.name} (${metric})`,
      fmtMs(a.latency.median),
      b ? fmtMs(b.latency.median) : '',
      w.ratio === undefined ? '' : `${w.ratio.toFixed(2)}×`,
      fmtMiB(a.deltaRss),
      b ? fmtMiB(b.deltaRss) : '',
      `${(a.bytes / 1e6).toFixed(1)} MB`,
    ]);
    for (const p of w.per)
      if (!p.rowsOk) errors.push(`${w.name}: ${p.name} returned ${p.rows} rows, expected ${w.rows}`);
  }
  const [sa, sb] = report.starts;
  const startRow = (label, key, format) => [
    label,
    format(sa[key].median),
    sb ? format(sb[key].median) : '',
    sb ? `${(sa[key].median / sb[key].median).toFixed(2)}×` : '',
    '',
    '',
    '',
  ];
  rows.push(startRow(`startup, spawn → first answer (median of ${sa.startupMs.n})`, 'startupMs', fmtMs));
  rows.push(startRow('idle RSS after the first answer (median)', 'idleRss', fmtMiB));
  const out = [table(rows, [false, true, true, true, true, true, true])];
  out.push('', 'ratio = ours ÷ theirs (below 1 is faster / smaller); every figure from this one run.');
  for (const w of report.workloads) {
    if (w.limit) {
      const l = w.limit;
      out.push(
        `${w.name} limit: DuckDB computing the rows (aggregate) ${fmtMs(l.parts['duckdb-aggregate'].median)} + ` +
          `raw ws transfer of ${(l.transferBytes / 1e6).toFixed(0)} MB ${fmtMs(l.parts['raw-ws-transfer'].median)} = ` +
          `${fmtMs(l.sum)}; ${ours} ${fmtMs(w.per[0].latency.median)} = ${l.ratio.toFixed(2)}× (goal ≤ 1.5×)`,
      );
    }
    for (const p of w.per) {
      if (p.arrow)
        out.push(
          `  ${w.name} ${p.name}: ${p.arrow.batches} record batch(es), largest ${(p.arrow.maxBatchBytes / MiB).toFixed(1)} MiB`,
        );
    }
  }
  if (errors.length) out.push('', 'errors:', ...errors.map((e) => `  ${e}`));
  return out.join('\n');
}

export { startPythonServer, startServerProcess };

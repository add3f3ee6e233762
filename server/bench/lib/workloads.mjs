// The workloads. Each `run(ctx)` measures its in-process floor, then the server, and returns
// the numbers; decoding and row checks happen outside the timed regions.
import { performance } from 'node:perf_hooks';
import {
  Bool,
  Float64,
  Int32,
  MessageHeader,
  MessageReader,
  Table,
  Utf8,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { fmtCount, fmtMs, median, summarize } from './report.mjs';
import { v1Workloads } from './stream-workloads.mjs';

const MB = 1e6;

export const NUMERIC_10M = 'select range::INTEGER as a, range::DOUBLE as b, range::BIGINT as c from range(10000000)';
// s20: 12–28 characters (20 on average; short ones are inlined by DuckDB, long ones are not),
// s5: 5 characters, ts: a TIMESTAMP, flag: a BOOLEAN that is NULL on every 10th row.
export const MIXED_1M = `select substr(h, 1, 12 + (range % 17)::INTEGER) as s20, substr(h, 28, 5) as s5,
  make_timestamp(1704067200000000 + range * 1000003) as ts,
  case when range % 10 = 0 then null else range % 3 = 0 end as flag
from (select range, md5(range::VARCHAR) as h from range(1000000))`;
export const NESTED_1M = `select range as id, [range, range + 1, range + 2] as l,
  {'x': range::INTEGER, 'y': substr(md5(range::VARCHAR), 1, 8)} as s,
  map([range % 7, 100 + range % 5], ['a' || range, 'b']) as m
from range(1000000)`;

/** Repetitions: { reps, warmup } for a workload class. */
function reps(ctx, kind) {
  if (kind === 'select1') return ctx.quick ? { reps: 200, warmup: 20 } : { reps: 2000, warmup: 200 };
  if (kind === 'inflight')
    return ctx.quick ? { rounds: 1, perRound: 320, warmup: 64 } : { rounds: 5, perRound: 1000, warmup: 320 };
  return ctx.quick ? { reps: 1, warmup: 0 } : { reps: 5, warmup: 1 };
}

/** Floor: `runAndReadAll(sql)` `warmup + reps` times; times in ms and the row count. */
async function floorRead(ctx, sql, { reps: n, warmup }) {
  const times = [];
  let rows;
  for (let i = 0; i < warmup + n; i++) {
    const r = await ctx.inProcess.read(sql);
    rows = r.rows;
    if (i >= warmup) times.push(r.ms);
  }
  return { latency: summarize(times), rows };
}

/** Server: `warmup + reps` sequential requests on one connection; keeps the last reply. */
async function serverSequential(ctx, send, { reps: n, warmup }) {
  const client = await ctx.connect();
  ctx.startRss();
  const times = [];
  let bytes = 0;
  let last;
  try {
    for (let i = 0; i < warmup + n; i++) {
      last = undefined; // let the previous reply go before the next arrives
      const reply = await send(client);
      if (reply.type === 'error') return { error: reply.error, client };
      if (i >= warmup) {
        times.push(reply.ms);
        bytes += reply.type === 'uploadAck' ? reply.sentBytes : reply.bytes;
      }
      last = reply;
    }
  } catch (error) {
    await client.close();
    throw error;
  }
  return { times, bytes, last, client };
}

function serverNumbers(run, rows) {
  const latency = summarize(run.times);
  const seconds = run.times.reduce((a, b) => a + b, 0) / 1000;
  return {
    latency,
    totalBytes: run.bytes,
    bytesPerRun: run.bytes / run.times.length,
    rowsPerSecond: (rows * run.times.length) / seconds,
    megabytesPerSecond: run.bytes / MB / seconds,
  };
}

/** Arrow IPC payload of a binary reply; row count, batch count, largest batch body. */
export function inspectArrow(reply) {
  const data = reply.data;
  const n = data.readUInt32BE(0);
  const payload = new Uint8Array(data.buffer, data.byteOffset + 4 + n, data.length - 4 - n);
  const table = tableFromIPC(payload);
  let batches = 0;
  let maxBatchBytes = 0;
  const reader = new MessageReader(payload);
  for (let message = reader.readMessage(); message; message = reader.readMessage()) {
    if (message.headerType === MessageHeader.RecordBatch || message.headerType === MessageHeader.DictionaryBatch) {
      if (message.headerType === MessageHeader.RecordBatch) batches++;
      maxBatchBytes = Math.max(maxBatchBytes, Number(message.bodyLength));
      reader.readMessageBody(message.bodyLength);
    }
  }
  return {
    rows: table.numRows,
    columns: table.schema.fields.map((f) => `${f.name}: ${f.type}`),
    batches,
    maxBatchBytes,
    ipcBytes: payload.length,
  };
}

/** Rows of a JSON reply: parsed when small, else the row-start marker `{"<first column>":` counted. */
export function countJsonRows(reply, firstColumn) {
  const data = reply.data;
  if (data.length < 64 * MB) {
    const message = JSON.parse(data.toString('utf8'));
    const rows = typeof message.data === 'string' ? JSON.parse(message.data) : message.data;
    return rows.length;
  }
  let count = 0;
  for (const marker of [`{\\"${firstColumn}\\":`, `{"${firstColumn}":`]) {
    const needle = Buffer.from(marker);
    for (let at = data.indexOf(needle); at >= 0; at = data.indexOf(needle, at + needle.length)) count++;
    if (count > 0) break;
  }
  return count;
}

function timeGoal(ratio, limit, what) {
  return {
    text: `≤ ${limit}× floor`,
    metric: 'median time',
    limit,
    pass: ratio <= limit,
    description: `median ${what} ${ratio.toFixed(2)}× the in-process floor (goal ≤ ${limit}×)`,
  };
}

/** A large-result workload: `type` query of `sql`, compared with runAndReadAll of `sql`. */
function largeResult({ name, title, sql, type, rows, firstColumn, goalLimit, memoryGoal, full }) {
  return {
    name,
    title,
    async run(ctx) {
      const plan = !ctx.quick && full ? full : reps(ctx, 'large');
      ctx.log(`floor: runAndReadAll × ${plan.warmup + plan.reps}`);
      const floor = await floorRead(ctx, sql, plan);
      ctx.log(`server: ${type} × ${plan.warmup + plan.reps}`);
      const run = await serverSequential(ctx, (client) => client.query(type, sql), plan);
      await run.client.close();
      const result = { sql, type, expectedRows: rows, reps: plan.reps, warmup: plan.warmup };
      result.floor = { latency: floor.latency, rows: floor.rows, display: fmtMs(floor.latency.median) };
      if (run.error) {
        result.error = run.error;
        if (memoryGoal) result.goal = { text: '', memory: {} };
        return result;
      }
      result.server = serverNumbers(run, rows);
      result.ratio = result.server.latency.median / floor.latency.median;
      // Row check once, outside the timed region.
      if (run.last.type === 'arrow') {
        const info = inspectArrow(run.last);
        result.check = { rows: info.rows, ok: info.rows === rows && floor.rows === rows };
        result.arrow = info;
        result.maxBatchBytes = info.maxBatchBytes;
        result.details = [
          `${info.batches} record batch(es), largest body ${(info.maxBatchBytes / 1024 / 1024).toFixed(1)} MiB; ${info.columns.join(', ')}`,
        ];
      } else if (run.last.type === 'json') {
        const counted = countJsonRows(run.last, firstColumn);
        result.check = { rows: counted, ok: counted === rows && floor.rows === rows };
        result.details = [`reply ${(run.last.bytes / 1024 / 1024).toFixed(0)} MiB of JSON text`];
      } else {
        result.check = { rows: 0, ok: rows === 0 };
      }
      if (!result.check.ok) result.error = `row check failed: got ${result.check.rows} rows, expected ${rows}`;
      if (goalLimit) result.goal = timeGoal(result.ratio, goalLimit, `SQL → last byte`);
      if (memoryGoal) result.goal = { ...(result.goal ?? { text: '' }), memory: {} };
      return result;
    },
  };
}

/** Point lookups, one sequential round trip each: `?` bound by a v1 client, or the value written into the SQL. */
async function pointLookups(client, plan, makeRequest) {
  const times = [];
  for (let i = 0; i < plan.warmup + plan.reps; i++) {
    const reply = await makeRequest(i % 100_000);
    if (reply.type !== 'json') return { error: reply.error ?? reply.type };
    if (i >= plan.warmup) times.push(reply.ms);
  }
  return { times };
}

export const WORKLOADS = [
  {
    name: 'params-small',
    title: 'point lookups: v1 params (? bound, prepared once) vs the value in the SQL text',
    async run(ctx) {
      const table = 'bench_params';
      const paramSql = `select id, v from ${table} where id = ?`;
      const plan = reps(ctx, 'select1');
      const client = await ctx.connect({ protocols: ['duckwire.v1'] });
      try {
        const setup = await client.query(
          'exec',
          `create or replace table ${table} as select range as id, md5(range::varchar) as v from range(100000)`,
        );
        if (setup.type !== 'ok') return { sql: paramSql, error: setup.error };
        ctx.startRss();
        // Alternate the two kinds in blocks so that both see the same machine load.
        const literal = [];
        const bound = [];
        for (let block = 0; block < 4; block++) {
          const part = { reps: Math.ceil(plan.reps / 4), warmup: block === 0 ? plan.warmup : 0 };
          const l = await pointLookups(client, part, (id) => client.query('json', `select id, v from ${table} where id = ${id}`));
          const p = await pointLookups(client, part, (id) => client.query('json', paramSql, { params: [id] }));
          if (l.error || p.error) return { sql: paramSql, error: l.error ?? p.error };
          literal.push(...l.times);
          bound.push(...p.times);
        }
        const server = serverNumbers({ times: bound, bytes: 0 }, 1);
        const literalLatency = summarize(literal);
        const ratio = server.latency.median / literalLatency.median;
        return {
          sql: paramSql,
          reps: plan.reps,
          warmup: plan.warmup,
          server,
          floor: { latency: literalLatency, value: literalLatency.median, display: fmtMs(literalLatency.median), describe: 'literal SQL p50' },
          ratio,
          details: [
            `params p50 ${fmtMs(server.latency.median)}, p99 ${fmtMs(server.latency.p99)}; ` +
              `literal p50 ${fmtMs(literalLatency.median)}, p99 ${fmtMs(literalLatency.p99)}; ` +
              `params save ${fmtMs(literalLatency.median - server.latency.median)} per query (${((1 - ratio) * 100).toFixed(0)}%)`,
          ],
        };
      } finally {
        await client.close();
      }
    },
  },
  {
    name: 'select1',
    title: "'select 1' as Arrow, sequential round trips",
    needsEcho: true,
    async run(ctx) {
      const sql = 'select 1';
      const plan = reps(ctx, 'select1');
      const floor = await floorRead(ctx, sql, plan);
      const run = await serverSequential(ctx, (client) => client.query('arrow', sql), plan);
      await run.client.close();
      if (run.error) return { sql, error: run.error };
      const info = inspectArrow(run.last);
      const server = serverNumbers(run, 1);
      const floorMs = floor.latency.median + ctx.echo.median;
      const ratio = server.latency.median / floorMs;
      return {
        sql,
        reps: plan.reps,
        warmup: plan.warmup,
        server,
        floor: {
          latency: floor.latency,
          wsEcho: ctx.echo,
          value: floorMs,
          display: fmtMs(floorMs),
          describe: 'in-process p50 + raw ws echo p50',
        },
        ratio,
        check: { rows: info.rows, ok: info.rows === 1 },
        error: info.rows === 1 ? undefined : `row check failed: ${info.rows} rows`,
        details: [
          `server p50 ${fmtMs(server.latency.median)}, p99 ${fmtMs(server.latency.p99)}; ` +
            `in-process p50 ${fmtMs(floor.latency.median)} + ws echo p50 ${fmtMs(ctx.echo.median)} = ${fmtMs(floorMs)}`,
        ],
        goal: {
          text: '≤ 1.5× floor',
          metric: 'p50',
          limit: 1.5,
          pass: ratio <= 1.5,
          description: `p50 ${ratio.toFixed(2)}× (in-process p50 + ws echo p50) (goal ≤ 1.5×)`,
        },
      };
    },
  },
  {
    name: 'inflight32',
    title: '32 small Arrow queries in flight on one connection',
    async run(ctx) {
      const sql = 'select 1';
      const plan = reps(ctx, 'inflight');
      const total = plan.rounds * plan.perRound;
      // Floor: 32 connections in parallel, in-process.
      await ctx.inProcess.parallel(sql, 32, plan.warmup);
      const floorRates = [];
      const floorLatencies = [];
      for (let r = 0; r < plan.rounds; r++) {
        const { rate, latencies } = await ctx.inProcess.parallel(sql, 32, plan.perRound);
        floorRates.push(rate);
        floorLatencies.push(...latencies);
      }
      const floorRate = median(floorRates);
      // Server: a window of 32 requests in flight on one WebSocket.
      const client = await ctx.connect();
      ctx.startRss();
      const round = async (count) => {
        const latencies = [];
        let issued = 0;
        let bytes = 0;
        let error;
        const start = performance.now();
        await Promise.all(
          Array.from({ length: 32 }, async () => {
            while (issued < count && !error) {
              issued++;
              const reply = await client.query('arrow', sql);
              if (reply.type === 'error') error = reply.error;
              latencies.push(reply.ms);
              bytes += reply.bytes;
            }
          }),
        );
        return {
          rate: count / ((performance.now() - start) / 1000),
          latencies,
          bytes,
          seconds: (performance.now() - start) / 1000,
          error,
        };
      };
      try {
        const warm = await round(plan.warmup);
        if (warm.error) return { sql, error: warm.error };
        const rates = [];
        const latencies = [];
        let bytes = 0;
        let seconds = 0;
        for (let r = 0; r < plan.rounds; r++) {
          const result = await round(plan.perRound);
          if (result.error) return { sql, error: result.error };
          rates.push(result.rate);
          latencies.push(...result.latencies);
          bytes += result.bytes;
          seconds += result.seconds;
        }
        const rate = median(rates);
        const ratio = rate / floorRate;
        return {
          sql,
          rounds: plan.rounds,
          queriesPerRound: plan.perRound,
          server: {
            latency: summarize(latencies),
            queriesPerSecond: rate,
            rates,
            totalBytes: bytes,
            rowsPerSecond: rate,
            megabytesPerSecond: bytes / MB / seconds,
          },
          floor: {
            queriesPerSecond: floorRate,
            rates: floorRates,
            latency: summarize(floorLatencies),
            display: `${fmtCount(floorRate)} q/s`,
            describe: 'in-process, 32 connections in parallel',
          },
          ratio,
          details: [
            `server ${fmtCount(rate)} queries/s vs in-process ${fmtCount(floorRate)} queries/s (${total} queries)`,
          ],
          goal: {
            text: '≥ 0.7× floor q/s',
            metric: 'queries/s',
            limit: 0.7,
            pass: ratio >= 0.7,
            description: `${ratio.toFixed(2)}× the in-process 32-connection rate (goal ≥ 0.7×)`,
          },
        };
      } finally {
        await client.close();
      }
    },
  },
  largeResult({
    name: 'arrow-numeric-10m',
    title: '10M rows × (INTEGER, DOUBLE, BIGINT) as Arrow',
    sql: NUMERIC_10M,
    type: 'arrow',
    rows: 10_000_000,
    goalLimit: 1.25,
    memoryGoal: true,
  }),
  largeResult({
    name: 'arrow-mixed-1m',
    title: '1M rows × (VARCHAR ~20, VARCHAR 5, TIMESTAMP, BOOLEAN 10% NULL) as Arrow',
    sql: MIXED_1M,
    type: 'arrow',
    rows: 1_000_000,
    goalLimit: 2.5,
  }),
  largeResult({
    name: 'arrow-nested-1m',
    title: '1M rows × (BIGINT, LIST, STRUCT, MAP) as Arrow',
    sql: NESTED_1M,
    type: 'arrow',
    rows: 1_000_000,
  }),
  largeResult({
    name: 'json-numeric-10m',
    title: '10M rows × (INTEGER, DOUBLE, BIGINT) as JSON',
    sql: NUMERIC_10M,
    type: 'json',
    rows: 10_000_000,
    firstColumn: 'a',
    // ~20 s a run today: three runs keep the whole bench within a few minutes.
    full: { reps: 3, warmup: 0 },
  }),
  largeResult({
    name: 'json-mixed-1m',
    title: '1M rows × (VARCHAR ~20, VARCHAR 5, TIMESTAMP, BOOLEAN 10% NULL) as JSON',
    sql: MIXED_1M,
    type: 'json',
    rows: 1_000_000,
    firstColumn: 's20',
    full: { reps: 3, warmup: 1 },
  }),
  {
    name: 'upload-1m',
    title: 'uploadArrow of 1M rows × (INTEGER, DOUBLE, VARCHAR, BOOLEAN 10% NULL)',
    async run(ctx) {
      const rows = 1_000_000;
      const ipc = buildUploadIpc(rows);
      const plan = reps(ctx, 'large');
      const tableName = 'bench_upload';
      ctx.log(
        `IPC stream ${(ipc.length / 1024 / 1024).toFixed(1)} MiB; floor: decode + appender × ${plan.warmup + plan.reps}`,
      );
      const floorTimes = [];
      for (let i = 0; i < plan.warmup + plan.reps; i++) {
        const t0 = performance.now();
        const table = tableFromIPC(ipc);
        await ctx.inProcess.append(table, tableName);
        if (i >= plan.warmup) floorTimes.push(performance.now() - t0);
      }
      const floorLatency = summarize(floorTimes);
      ctx.log(`server: uploadArrow × ${plan.warmup + plan.reps}`);
      const run = await serverSequential(ctx, (client) => client.upload(tableName, ipc), plan);
      const result = {
        tableName,
        expectedRows: rows,
        ipcBytes: ipc.length,
        reps: plan.reps,
        warmup: plan.warmup,
        floor: {
          latency: floorLatency,
          display: fmtMs(floorLatency.median),
          describe: 'in-process tableFromIPC + DuckDB appender (2048-row data chunks)',
        },
      };
      try {
        if (run.error) {
          result.error = run.error;
          return result;
        }
        result.server = serverNumbers(run, rows);
        result.server.note = 'MB/s counts bytes sent';
        result.ratio = result.server.latency.median / floorLatency.median;
        const count = await run.client.query('json', `select count(*)::INTEGER as n from ${tableName}`);
        const n = count.type === 'json' ? JSON.parse(count.message.data)[0]?.n : undefined;
        result.check = { rows: n, ok: n === rows };
        if (!result.check.ok) result.error = `row check failed: ${count.error ?? `${n} rows`}, expected ${rows}`;
        return result;
      } finally {
        await run.client.close();
      }
    },
  },
  ...v1Workloads({ NUMERIC_10M, MIXED_1M }),
  uploadMemory({
    name: 'upload-1m-single-rss',
    title: 'uploadArrow of the 1M-row stream in one message, fresh server: time and peak RSS',
    send: (client, tableName, ipc) => client.upload(tableName, ipc),
  }),
  uploadMemory({
    name: 'upload-1m-chunked',
    title: 'v1 chunked uploadArrow of the 1M-row stream in 1 MiB parts, fresh server: time and peak RSS',
    protocols: ['duckwire.v1'],
    send: (client, tableName, ipc) => client.uploadChunked(tableName, ipc, UPLOAD_PART_BYTES),
  }),
];

/** The part size of the chunked-upload workload. */
const UPLOAD_PART_BYTES = 1024 * 1024;
/** Rows per record batch of the upload-memory workloads' stream. */
const UPLOAD_BATCH_ROWS = 65536;

/**
 * An upload workload that runs on a fresh server (so its peak RSS over idle is the upload's own)
 * and reports time, peak RSS over idle, and the row check: one entry per way of sending.
 */
function uploadMemory({ name, title, send, protocols }) {
  return {
    name,
    title,
    freshServer: true,
    async run(ctx) {
      const rows = 1_000_000;
      // Record batches of 64k rows: a chunked upload holds one part and one batch at a time.
      const ipc = buildUploadIpc(rows, UPLOAD_BATCH_ROWS);
      const plan = reps(ctx, 'large');
      const tableName = 'bench_upload_memory';
      ctx.log(`IPC stream ${(ipc.length / 1024 / 1024).toFixed(1)} MiB × ${plan.warmup + plan.reps}`);
      const client = await ctx.connect({ protocols });
      ctx.startRss();
      const times = [];
      try {
        for (let i = 0; i < plan.warmup + plan.reps; i++) {
          const reply = await send(client, tableName, ipc);
          if (reply.type === 'error') return { error: reply.error };
          if (i >= plan.warmup) times.push(reply.ms);
        }
        const run = { times, bytes: ipc.length * times.length };
        const result = { expectedRows: rows, ipcBytes: ipc.length, reps: plan.reps, warmup: plan.warmup };
        result.server = serverNumbers(run, rows);
        result.server.note = 'MB/s counts bytes sent; see the RSS column for peak memory over idle';
        const count = await client.query('json', `select count(*)::INTEGER as n from ${tableName}`);
        const n = count.type === 'json' ? JSON.parse(count.message.data)[0]?.n : undefined;
        result.check = { rows: n, ok: n === rows };
        if (!result.check.ok) result.error = `row check failed: ${count.error ?? `${n} rows`}, expected ${rows}`;
        // What DuckDB itself holds (the table): the part of the RSS growth no upload path avoids.
        const memory = await client.query('json', 'select sum(memory_usage_bytes)::BIGINT as b from duckdb_memory()');
        const held = memory.type === 'json' ? JSON.parse(memory.message.data)[0]?.b : undefined;
        result.duckdbMemoryBytes = held;
        ctx.log(`DuckDB holds ${((held ?? 0) / 1024 / 1024).toFixed(1)} MiB after the uploads (duckdb_memory())`);
        return result;
      } finally {
        await client.close();
      }
    },
  };
}

/** A 1M-row IPC stream built with apache-arrow (outside any timed region); one batch unless `batchRows`. */
export function buildUploadIpc(rows, batchRows = rows) {
  const a = new Int32Array(rows);
  const b = new Float64Array(rows);
  const c = new Array(rows);
  const d = new Array(rows);
  for (let i = 0; i < rows; i++) {
    a[i] = i;
    b[i] = i / 7;
    c[i] = `name-${(i * 2654435761) % 1000003}`.padEnd(8 + (i % 13), 'x');
    d[i] = i % 10 === 0 ? null : i % 3 === 0;
  }
  const table = new Table({
    a: vectorFromArray(a, new Int32()),
    b: vectorFromArray(b, new Float64()),
    c: vectorFromArray(c, new Utf8()),
    d: vectorFromArray(d, new Bool()),
  });
  if (batchRows >= rows) return tableToIPC(table, 'stream');
  const batches = [];
  for (let start = 0; start < rows; start += batchRows) batches.push(...table.slice(start, start + batchRows).batches);
  return tableToIPC(new Table(batches), 'stream');
}

// duckwire.v1 workloads: streamed results (time to first batch, streamed vs whole), and Arrow IPC
// body compression (bytes and time, plain vs lz4 vs zstd). They speak v1 through their own small
// client (the baseline bench client stays as it is); nothing is decoded on the timed path, the
// row counts are checked from the frame headers and `end`.
import { performance } from 'node:perf_hooks';
import { decodeFrame, stringifyClientMessage } from '@duckwire/protocol';
import WebSocket from 'ws';
import { fmtMs, summarize } from './report.mjs';

const MB = 1e6;
/** A v1 connection: sends one query at a time and times its frames. */
class V1Client {
  #ws;
  #current;
  #next = 0;

  static async connect(url, { token } = {}) {
    const ws = new WebSocket(url, ['duckwire.v1'], { maxPayload: 2 ** 32, perMessageDeflate: false });
    const client = new V1Client();
    client.#ws = ws;
    const hello = new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    if (ws.protocol !== 'duckwire.v1') throw new Error('the server did not select duckwire.v1');
    client.hello = await hello;
    ws.on('message', (data, isBinary) => client.#onMessage(data, isBinary));
    if (token !== undefined) {
      ws.send(stringifyClientMessage({ type: 'auth', token }));
      await new Promise((resolve) => ws.once('message', resolve));
    }
    return client;
  }

  /**
   * Run one arrow query; resolves with { firstBatchMs, lastByteMs, bytes, rows, batches, type }.
   * `bytes` counts the Arrow payload bytes (frames' payloads, or the whole binary result's).
   */
  run(sql, extra = {}) {
    const queryId = `v${++this.#next}`;
    return new Promise((resolve, reject) => {
      this.#current = { queryId, start: performance.now(), firstBatchMs: undefined, bytes: 0, rows: 0, batches: 0, resolve, reject };
      this.#ws.send(stringifyClientMessage({ type: 'arrow', queryId, sql, ...extra }));
    });
  }

  #onMessage(data, isBinary) {
    const now = performance.now();
    const q = this.#current;
    if (!q) return;
    if (isBinary) {
      const frame = decodeFrame(data);
      if (!frame.ok) return q.reject(new Error('bad frame'));
      const { header, payload } = frame.value;
      q.bytes += payload.byteLength;
      if (header.type === 'batch') {
        q.firstBatchMs ??= now - q.start;
        q.rows += header.rows;
        q.batches++;
      }
      if (header.type === 'arrow') this.#finish({ type: 'arrow', lastByteMs: now - q.start });
      return;
    }
    const message = JSON.parse(String(data));
    if (message.queryId !== q.queryId) return;
    if (message.type === 'end') this.#finish({ type: 'end', lastByteMs: now - q.start, rows: message.rows });
    else if (message.type === 'error') q.reject(new Error(message.error));
  }

  #finish(extra) {
    const q = this.#current;
    this.#current = undefined;
    q.resolve({ firstBatchMs: q.firstBatchMs, bytes: q.bytes, rows: q.rows, batches: q.batches, ...extra });
  }

  close() {
    this.#ws.close();
  }
}

const plan = (ctx) => (ctx.quick ? { reps: 1, warmup: 0 } : { reps: 5, warmup: 1 });

async function repeat(ctx, fn) {
  const { reps, warmup } = plan(ctx);
  const runs = [];
  for (let i = 0; i < warmup + reps; i++) {
    const run = await fn();
    if (i >= warmup) runs.push(run);
  }
  return runs;
}

const medianOf = (runs, key) => summarize(runs.map((run) => run[key])).median;

function serverNumbers(runs, rows, key = 'lastByteMs') {
  const times = runs.map((run) => run[key]);
  const seconds = times.reduce((a, b) => a + b, 0) / 1000;
  const bytes = runs.reduce((a, run) => a + run.bytes, 0);
  return {
    latency: summarize(times),
    totalBytes: bytes,
    bytesPerRun: bytes / runs.length,
    rowsPerSecond: (rows * runs.length) / seconds,
    megabytesPerSecond: bytes / MB / seconds,
  };
}


/** Streamed 10M rows: time to the first batch, and end to end against the same result unstreamed. */
const streamWorkload = (NUMERIC_10M) => ({
  name: 'stream-numeric-10m',
  title: '10M rows × (INTEGER, DOUBLE, BIGINT) streamed (v1): first batch, and end to end vs unstreamed',
  async run(ctx) {
    const client = await ctx.connectV1();
    try {
      ctx.log('unstreamed (one binary message)…');
      const whole = await repeat(ctx, () => client.run(NUMERIC_10M));
      ctx.log('streamed…');
      ctx.startRss();
      const streamed = await repeat(ctx, () => client.run(NUMERIC_10M, { stream: true }));
      const rows = 10_000_000;
      const bad = streamed.find((run) => run.rows !== rows);
      const result = { sql: NUMERIC_10M, expectedRows: rows };
      if (bad) return { ...result, error: `row check failed: ${bad.rows} rows streamed` };
      const wholeMs = medianOf(whole, 'lastByteMs');
      const ttfb = medianOf(streamed, 'firstBatchMs');
      result.server = serverNumbers(streamed, rows);
      result.floor = { latency: summarize(whole.map((run) => run.lastByteMs)), display: `${fmtMs(wholeMs)} whole` };
      result.ratio = result.server.latency.median / wholeMs;
      result.firstBatch = summarize(streamed.map((run) => run.firstBatchMs));
      result.details = [
        `time to first batch ${fmtMs(ttfb)} (median; p95 ${fmtMs(result.firstBatch.p95)}) vs ${fmtMs(wholeMs)} for the whole unstreamed result (${(wholeMs / ttfb).toFixed(0)}× sooner)`,
        `streamed end to end ${fmtMs(result.server.latency.median)} = ${result.ratio.toFixed(2)}× unstreamed; ${streamed[0].batches} batches`,
      ];
      result.goal = {
        text: 'TTFB < 50 ms, ≤ 1.05× whole',
        metric: 'first batch, end to end',
        pass: ttfb < 50 && result.ratio <= 1.05,
        description: `first batch after ${fmtMs(ttfb)} (goal < 50 ms); streamed end to end ${result.ratio.toFixed(2)}× the unstreamed result (goal no slower, ≤ 1.05× with noise)`,
      };
      return result;
    } finally {
      client.close();
    }
  },
});

/** Plain vs lz4 vs zstd: bytes on the wire and time to the last byte, unstreamed. */
function compressionWorkload(name, title, sql, rows) {
  return {
    name,
    title,
    async run(ctx) {
      const client = await ctx.connectV1();
      try {
        const runs = {};
        for (const codec of [undefined, 'lz4', 'zstd']) {
          ctx.log(`${codec ?? 'plain'}…`);
          if (codec === 'lz4') ctx.startRss();
          runs[codec ?? 'plain'] = await repeat(ctx, () => client.run(sql, codec ? { compression: codec } : {}));
        }
        const plain = runs.plain;
        const plainMs = medianOf(plain, 'lastByteMs');
        const result = { sql, expectedRows: rows };
        result.server = serverNumbers(runs.zstd, rows);
        result.floor = { latency: summarize(plain.map((run) => run.lastByteMs)), display: `${fmtMs(plainMs)} plain` };
        result.ratio = result.server.latency.median / plainMs;
        result.compression = {};
        result.details = [];
        for (const [codec, list] of Object.entries(runs)) {
          const ms = medianOf(list, 'lastByteMs');
          const bytes = list[0].bytes;
          result.compression[codec] = { ms, bytes, sizeRatio: bytes / plain[0].bytes, timeRatio: ms / plainMs };
          result.details.push(
            `${codec.padEnd(5)} ${(bytes / MB).toFixed(1)} MB (${((100 * bytes) / plain[0].bytes).toFixed(0)}% of plain), ${fmtMs(ms)} to the last byte (${(ms / plainMs).toFixed(2)}× plain)`,
          );
        }
        result.goal = { text: 'report', metric: 'bytes and time', pass: undefined, description: 'compressed vs plain, loopback (no bandwidth limit)' };
        return result;
      } finally {
        client.close();
      }
    },
  };
}

/** The v1 workloads, appended to the bench's list; the SQL is the baseline workloads' own. */
export const v1Workloads = ({ NUMERIC_10M, MIXED_1M }) => [
  streamWorkload(NUMERIC_10M),
  compressionWorkload('compress-numeric-10m', '10M rows × (INTEGER, DOUBLE, BIGINT) as Arrow: plain, lz4, zstd (v1)', NUMERIC_10M, 10_000_000),
  compressionWorkload(
    'compress-mixed-1m',
    '1M rows × (VARCHAR ~20, VARCHAR 5, TIMESTAMP, BOOLEAN 10% NULL) as Arrow: plain, lz4, zstd (v1)',
    MIXED_1M,
    1_000_000,
  ),
];

export { V1Client };

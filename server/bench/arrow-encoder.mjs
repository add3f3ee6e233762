// Micro-benchmark of the Arrow encoder, in process: for each query, the time to encode the
// streaming result into Arrow IPC bytes (encodeArrowStream) against DuckDB's own
// runAndReadAll, and against only pulling the streaming result's chunks.
//
//   pnpm --filter @duckwire/server build && node server/bench/arrow-encoder.mjs [--runs N] [--verify]
//     [--streaming-buffer SIZE]   e.g. 64MB: DuckDB's streaming_buffer_size (default 976.5 KiB)
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { encodeArrowStream } from '../dist/arrow/encode-result.js';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const verify = args.includes('--verify');
const streamingBuffer = args.includes('--streaming-buffer') ? args[args.indexOf('--streaming-buffer') + 1] : null;

const cases = [
  ['10M × INTEGER, DOUBLE, BIGINT', 'select i::INTEGER a, i::DOUBLE b, i::BIGINT c from range(10000000) t(i)'],
  ['1M × VARCHAR ~20 chars', `select 'value-' || lpad(i::VARCHAR, 14, '0') s from range(1000000) t(i)`],
  ['1M × VARCHAR ~5 chars', `select (10000 + i % 90000)::VARCHAR s from range(1000000) t(i)`],
  ['1M × TIMESTAMP', `select TIMESTAMP '2020-01-01' + to_microseconds(i * 1000003) t from range(1000000) t(i)`],
  ['1M × BOOLEAN 10% NULL', `select case when i % 10 = 0 then null else i % 3 = 0 end b from range(1000000) t(i)`],
  [
    '1M × all four above',
    `select 'value-' || lpad(i::VARCHAR, 14, '0') s20, (10000 + i % 90000)::VARCHAR s5,
       TIMESTAMP '2020-01-01' + to_microseconds(i * 1000003) t,
       case when i % 10 = 0 then null else i % 3 = 0 end b from range(1000000) t(i)`,
  ],
];

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
if (streamingBuffer) await connection.run(`SET streaming_buffer_size = '${streamingBuffer}'`);

async function time(fn) {
  const start = process.hrtime.bigint();
  const out = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, out };
}

async function readAll(sql) {
  const reader = await connection.runAndReadAll(sql);
  return reader.currentRowCount;
}

async function pullChunks(sql) {
  const result = await connection.stream(sql);
  let rows = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return rows;
    rows += chunk.rowCount;
  }
}

async function encode(sql) {
  const result = await connection.stream(sql);
  const pieces = [];
  let bytes = 0;
  for await (const piece of encodeArrowStream(result)) {
    bytes += piece.byteLength;
    if (verify) pieces.push(piece);
  }
  return { bytes, pieces };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(
  `node ${process.version}, ${runs} runs each, median ms, streaming_buffer_size ${streamingBuffer ?? 'default'}`,
);
console.log(['case', 'runAndReadAll', 'stream+fetch', 'encode', 'encode/readAll', 'MB'].join('\t'));
for (const [label, sql] of cases) {
  await readAll(sql); // warm up
  const t = { read: [], pull: [], encode: [] };
  let bytes = 0;
  for (let r = 0; r < runs; r++) {
    t.read.push((await time(() => readAll(sql))).ms);
    t.pull.push((await time(() => pullChunks(sql))).ms);
    const e = await time(() => encode(sql));
    t.encode.push(e.ms);
    bytes = e.out.bytes;
    if (verify && r === 0) {
      const table = tableFromIPC(e.out.pieces);
      console.log(`  verified ${table.numRows} rows, ${table.batches.length} batches`);
    }
  }
  const [read, pull, enc] = [median(t.read), median(t.pull), median(t.encode)];
  console.log(
    [
      label,
      read.toFixed(0),
      pull.toFixed(0),
      enc.toFixed(0),
      (enc / read).toFixed(2) + '×',
      (bytes / 1e6).toFixed(1),
    ].join('\t'),
  );
}
connection.closeSync();
instance.closeSync();

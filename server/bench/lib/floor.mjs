// The in-process floor: the same work done by @duckdb/node-api inside the bench process (no
// server, no socket, no encoding), and a raw `ws` echo round trip.
import { performance } from 'node:perf_hooks';
import { DuckDBDataChunk, DuckDBInstance, DuckDBTypeId, INTEGER, DOUBLE, VARCHAR, BOOLEAN } from '@duckdb/node-api';
import WebSocket, { WebSocketServer } from 'ws';

export class InProcess {
  instance;
  connection;
  version;

  static async open() {
    const self = new InProcess();
    self.instance = await DuckDBInstance.create(':memory:');
    self.connection = await self.instance.connect();
    const reader = await self.connection.runAndReadAll('select version() as v');
    self.version = String(reader.getRows()[0][0]);
    return self;
  }

  /** Wall time of `runAndReadAll(sql)` in ms, and its row count. */
  async read(sql) {
    const start = performance.now();
    const reader = await this.connection.runAndReadAll(sql);
    const ms = performance.now() - start;
    return { ms, rows: reader.currentRowCount };
  }

  /**
   * `total` queries spread over `connections` connections running in parallel (each runs its
   * share one after another). Resolves with the rate and each query's latency.
   */
  async parallel(sql, connections, total) {
    const conns = await Promise.all(Array.from({ length: connections }, () => this.instance.connect()));
    const latencies = [];
    let issued = 0;
    const start = performance.now();
    await Promise.all(
      conns.map(async (conn) => {
        while (issued < total) {
          issued++;
          const t0 = performance.now();
          await conn.runAndReadAll(sql);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    for (const conn of conns) conn.closeSync();
    return { rate: total / seconds, latencies };
  }

  /**
   * Load an apache-arrow Table of (INTEGER, DOUBLE, VARCHAR, BOOLEAN) columns into a new table
   * with DuckDB's appender, one data chunk of 2048 rows at a time: the cheapest way a Node
   * program gets those rows into DuckDB with node-api. Returns ms (decoded table → committed).
   */
  async append(table, tableName) {
    const types = table.schema.fields.map((field) => {
      const id = field.type.typeId;
      // apache-arrow Type ids: Int=2, Float=3, Utf8=5, Bool=6
      if (id === 2) return INTEGER;
      if (id === 3) return DOUBLE;
      if (id === 5) return VARCHAR;
      if (id === 6) return BOOLEAN;
      throw new Error(`append floor: unsupported arrow type ${field.type}`);
    });
    const columns = table.schema.fields.map((field) => table.getChild(field.name));
    const start = performance.now();
    const ddl = table.schema.fields.map((f, i) => `"${f.name}" ${sqlTypeName(types[i].typeId)}`).join(', ');
    await this.connection.run(`create or replace table ${tableName} (${ddl})`);
    const appender = await this.connection.createAppender(tableName);
    const size = 2048;
    for (let offset = 0; offset < table.numRows; offset += size) {
      const n = Math.min(size, table.numRows - offset);
      const chunk = DuckDBDataChunk.create(types, n);
      chunk.setColumns(columns.map((column) => sliceValues(column, offset, n)));
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
    return performance.now() - start;
  }

  async close() {
    this.connection?.closeSync();
    this.instance?.closeSync();
  }
}

function sqlTypeName(typeId) {
  switch (typeId) {
    case DuckDBTypeId.INTEGER:
      return 'INTEGER';
    case DuckDBTypeId.DOUBLE:
      return 'DOUBLE';
    case DuckDBTypeId.VARCHAR:
      return 'VARCHAR';
    case DuckDBTypeId.BOOLEAN:
      return 'BOOLEAN';
    default:
      throw new Error(`unsupported type ${typeId}`);
  }
}

function sliceValues(column, offset, n) {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = column.get(offset + i);
  return out;
}

/** Round-trip times (ms) of a small message through a `ws` echo server in this process. */
export async function wsEchoLatencies(reps, warmup) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise((resolve) => wss.once('listening', resolve));
  wss.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
  const ws = new WebSocket(`ws://127.0.0.1:${wss.address().port}/`, { perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const message = JSON.stringify({ type: 'arrow', sql: 'select 1', queryId: 'q000001' });
  const times = [];
  for (let i = 0; i < warmup + reps; i++) {
    const t0 = performance.now();
    await new Promise((resolve) => {
      ws.once('message', resolve);
      ws.send(message);
    });
    if (i >= warmup) times.push(performance.now() - t0);
  }
  ws.close();
  await new Promise((resolve) => wss.close(resolve));
  return times;
}

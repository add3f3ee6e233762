// Streamed results and cursors at the protocol level: a scripted v1 server sends schema, batch, paused and end
// frames cut from a real Arrow IPC stream, as docs/protocol.md ("Streamed results and cursors") describes;
// the client decodes each batch on arrival, paces with fetch, cancels what it leaves, and surfaces errors.
// (Against our own server: v1-server.test.ts and the browser tests.)
import { Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import { encodeFrame } from '@duckwire/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DuckwireClient, ServerError, connect } from '../src/node.js';
import { splitIpcStream } from './support/ipc-parts.js';
import { type ScriptedServer, selectV1, startScriptedServer, v1Hello } from './support/scripted-server.js';

const ROWS = 10_000;
const BATCH_ROWS = 1_000;
const table = tableFromArrays({ i: Int32Array.from({ length: ROWS }, (_, i) => i) });
const batched = new Table(
  Array.from({ length: ROWS / BATCH_ROWS }, (_, k) => table.slice(k * BATCH_ROWS, (k + 1) * BATCH_ROWS).batches).flat(),
);
const parts = splitIpcStream(tableToIPC(batched, 'stream'));

/** What the client sent, for assertions. */
let received: Array<Record<string, unknown>> = [];
/** Per query: the next batch to send and how many rows the client may still get before `paused`. */
const cursors = new Map<string, { next: number; budget: number; sql: string }>();

function pump(queryId: string, send: (data: string | Uint8Array) => void): void {
  const cursor = cursors.get(queryId);
  if (!cursor) return;
  const failAfter = cursor.sql === 'fail after 2' ? 2 : Number.POSITIVE_INFINITY;
  const holdAfter = cursor.sql === 'hold after 1' ? 1 : Number.POSITIVE_INFINITY;
  while (cursor.next < parts.batches.length && cursor.budget > 0) {
    if (cursor.next === failAfter) {
      cursors.delete(queryId);
      send(
        JSON.stringify({
          type: 'error',
          queryId,
          error: 'Out of Memory Error: boom',
          code: 'query_failed',
          errorType: 'Out of Memory',
        }),
      );
      return;
    }
    if (cursor.next === holdAfter) return; // until the client's notify "go"
    const batch = parts.batches[cursor.next] as Uint8Array;
    send(encodeFrame({ type: 'batch', queryId, seq: cursor.next, rows: BATCH_ROWS }, batch));
    cursor.next++;
    cursor.budget -= BATCH_ROWS;
  }
  if (cursor.next >= parts.batches.length) {
    cursors.delete(queryId);
    send(JSON.stringify({ type: 'end', queryId, rows: ROWS, bytes: 0, batches: parts.batches.length, elapsedMs: 1 }));
  } else if (cursor.budget <= 0) {
    send(JSON.stringify({ type: 'paused', queryId, rows: cursor.next * BATCH_ROWS }));
  }
}

let server: ScriptedServer;
let client: DuckwireClient;
beforeAll(async () => {
  server = await startScriptedServer({
    select: selectV1,
    hello: v1Hello(['stream', 'cursor']),
    answer: (message, send) => {
      received.push(message);
      const queryId = message.queryId as string;
      switch (message.type) {
        case 'arrow':
          cursors.set(queryId, {
            next: 0,
            budget: (message.fetchRows as number | undefined) ?? Number.POSITIVE_INFINITY,
            sql: message.sql as string,
          });
          send(encodeFrame({ type: 'schema', queryId }, parts.schema));
          pump(queryId, send);
          return;
        case 'fetch': {
          const cursor = cursors.get(queryId);
          if (cursor) cursor.budget = message.rows as number;
          pump(queryId, send);
          return;
        }
        case 'cancel':
          send(JSON.stringify({ type: 'cancelAck', queryId, cancelled: cursors.has(queryId) }));
          if (cursors.delete(queryId)) {
            send(JSON.stringify({ type: 'error', queryId, error: 'Query cancelled', code: 'cancelled' }));
          }
          return;
        case 'notify':
          send(JSON.stringify({ type: 'notifyAck', channel: message.channel }));
          for (const [id, cursor] of cursors) {
            if (cursor.sql === 'hold after 1') {
              cursor.sql = 'released';
              pump(id, send);
            }
          }
          return;
      }
    },
  });
  client = await connect(server.url);
});
afterAll(async () => {
  client?.close();
  await server?.close();
});
beforeEach(() => {
  received = [];
});

const sent = (type: string) => received.filter((message) => message.type === type);

describe('streamed results (scripted v1 server)', () => {
  it('asks for stream: true and yields every batch, decoded, in order', async () => {
    const seen: number[] = [];
    for await (const batch of client.stream('select * from t')) {
      expect(batch.numRows).toBe(BATCH_ROWS);
      seen.push(batch.getChild('i')?.get(0) as number);
    }
    expect(seen).toEqual(Array.from({ length: ROWS / BATCH_ROWS }, (_, k) => k * BATCH_ROWS));
    expect(sent('arrow')).toMatchObject([{ sql: 'select * from t', stream: true }]);
    expect(sent('arrow')[0]).not.toHaveProperty('fetchRows');
  });

  it('yields a batch as soon as it arrives, before the server has sent the rest', async () => {
    const firsts: number[] = [];
    for await (const batch of client.stream('hold after 1')) {
      firsts.push(batch.getChild('i')?.get(0) as number);
      // The server holds the rest until this notify: the loop would wait forever if batches were collected first.
      if (firsts.length === 1) await client.notify('go');
    }
    expect(firsts).toHaveLength(ROWS / BATCH_ROWS);
  });

  it('paces with fetchRows: fetch is sent whenever the server paused', async () => {
    let rows = 0;
    for await (const batch of client.stream('select * from t', { fetchRows: 3000 })) rows += batch.numRows;
    expect(rows).toBe(ROWS);
    expect(sent('arrow')).toMatchObject([{ stream: true, fetchRows: 3000 }]);
    expect(sent('fetch').map((message) => message.rows)).toEqual([3000, 3000, 3000]);
  });

  it('leaving the loop early cancels the query', async () => {
    for await (const batch of client.stream('select * from t', { fetchRows: 2000 })) {
      expect(batch.numRows).toBe(BATCH_ROWS);
      break;
    }
    await expect.poll(() => sent('cancel').length).toBe(1);
    // The connection is still usable.
    await client.notify('after');
  });

  it('an error mid-stream ends the loop with a ServerError after the batches that came before it', async () => {
    let rows = 0;
    const error = await (async () => {
      for await (const batch of client.stream('fail after 2')) rows += batch.numRows;
    })().catch((e) => e);
    expect(rows).toBe(2 * BATCH_ROWS);
    expect(error).toBeInstanceOf(ServerError);
    expect(error.errorType).toBe('Out of Memory');
  });
});

describe('cursors (scripted v1 server)', () => {
  it('next(n) gives the next n rows as a Table; undefined once exhausted', async () => {
    const cursor = client.cursor('select * from t');
    const first = await cursor.next(3000);
    expect(first?.numRows).toBe(3000);
    expect(first?.getChild('i')?.get(2999)).toBe(2999);
    const second = await cursor.next(5000);
    expect(second?.numRows).toBe(5000);
    expect(second?.getChild('i')?.get(0)).toBe(3000);
    const rest = await cursor.next(5000);
    expect(rest?.numRows).toBe(2000);
    expect(cursor.done).toBe(true);
    expect(await cursor.next(1)).toBeUndefined();
    expect(sent('arrow')).toMatchObject([{ stream: true, fetchRows: 3000 }]);
    expect(sent('fetch').map((message) => message.rows)).toEqual([5000, 5000]);
  });

  it('close() cancels the rest', async () => {
    const cursor = client.cursor('select * from t');
    expect((await cursor.next(1000))?.numRows).toBe(1000);
    await cursor.close();
    expect(cursor.done).toBe(true);
    await expect.poll(() => sent('cancel').length).toBe(1);
    expect(await cursor.next(1000)).toBeUndefined();
  });
});

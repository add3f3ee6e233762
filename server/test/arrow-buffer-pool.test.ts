// Recycled output buffers: the pool itself, record batches written into reused (dirty) buffers,
// and SocketWriter's onSent hook that gives a piece back only once the socket is done with it.
import { encodeFrameHead } from '@duckwire/protocol';
import { tableFromIPC } from 'apache-arrow';
import type { WebSocket } from 'ws';
import { expect, test } from 'vitest';
import { BufferPool } from '../src/arrow/buffer-pool.js';
import { encodeArrowStream } from '../src/arrow/encode-result.js';
import { SocketWriter } from '../src/session/socket-writer.js';
import { concatBytes } from './arrow-helpers.js';
import { useDuckDB } from './support/duckdb-fixture.js';

const db = useDuckDB();

const MiB = 1024 * 1024;

test('the pool reuses only buffers given back, and never a buffer it did not lend', () => {
  const pool = new BufferPool();
  const a = pool.take(MiB);
  expect(a.byteLength).toBe(MiB);
  expect(a.byteOffset).toBe(0);
  const b = pool.take(MiB);
  expect(b.buffer).not.toBe(a.buffer);
  pool.give(a);
  pool.give(a); // twice: ignored
  expect(pool.freeCount).toBe(1);
  const c = pool.take(MiB - 100);
  expect(c.buffer).toBe(a.buffer);
  expect(c.byteLength).toBe(MiB - 100);
  pool.give(new Uint8Array(2 * MiB)); // not from the pool: ignored
  pool.give('text');
  expect(pool.freeCount).toBe(0);
  // Small messages are plain allocations.
  const small = pool.take(100);
  pool.give(small);
  expect(pool.freeCount).toBe(0);
});

test('the pool keeps a bounded number of free bytes and skips buffers far too large', () => {
  const pool = new BufferPool({ maxFree: 2, maxFreeBytes: 5 * MiB });
  const taken = [pool.take(MiB), pool.take(2 * MiB), pool.take(3 * MiB)];
  for (const piece of taken) pool.give(piece);
  expect(pool.freeCount).toBe(2);
  expect(pool.freeBytes).toBeLessThanOrEqual(5 * MiB);
  // A 100 KiB message does not take a multi-megabyte buffer.
  const small = pool.take(100 * 1024);
  expect(small.buffer.byteLength).toBeLessThan(MiB);
});

test('batches written into reused buffers full of garbage are byte for byte the same', async () => {
  const sql = `select range::INTEGER a, (range * 1.5)::DOUBLE b, if(range % 7 = 0, null, range::VARCHAR || 'xxxxxxxxxxxxxxxx') s,
    range % 3 = 0 c from range(300000)`;
  const fresh: Uint8Array[] = [];
  for await (const piece of encodeArrowStream(await db.connection.stream(sql), { bufferPool: new BufferPool() })) {
    fresh.push(piece.slice());
  }
  // A pool whose free buffers are filled with 0xAB before every reuse.
  const pool = new BufferPool();
  const dirty: Uint8Array[] = [];
  for (let round = 0; round < 2; round++) {
    dirty.length = 0;
    for await (const piece of encodeArrowStream(await db.connection.stream(sql), { bufferPool: pool })) {
      dirty.push(piece.slice());
      const before = pool.freeBytes;
      pool.give(piece);
      // Scribble over buffers the pool took back (never over the shared schema head).
      if (pool.freeBytes > before) new Uint8Array(piece.buffer).fill(0xab);
    }
  }
  expect(pool.freeCount).toBeGreaterThan(0);
  expect(dirty.length).toBe(fresh.length);
  for (let i = 0; i < fresh.length; i++) {
    const at = dirty[i].findIndex((byte, j) => byte !== fresh[i][j]);
    expect({ piece: i, at, length: dirty[i].length }).toEqual({ piece: i, at: -1, length: fresh[i].length });
  }
  const table = tableFromIPC(concatBytes(dirty));
  expect(table.numRows).toBe(300000);
  expect(table.getChild('s')?.get(7)).toBeNull();
  expect(table.getChild('s')?.get(8)).toBe('8xxxxxxxxxxxxxxxx');
});

/** A stand-in for a `ws` WebSocket: records sends and calls their callbacks when `flush()` is called. */
class FakeSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: { data: unknown; fin: boolean | undefined }[] = [];
  #callbacks: ((error?: Error) => void)[] = [];

  send(data: string | Uint8Array, options: { fin?: boolean }, callback?: (error?: Error) => void): void {
    if (this.readyState !== this.OPEN) {
      if (callback) queueMicrotask(() => callback(new Error('closed')));
      return;
    }
    this.sent.push({ data, fin: options.fin });
    if (callback) this.#callbacks.push(callback);
  }

  flush(): void {
    for (const callback of this.#callbacks.splice(0)) callback();
  }

  pause(): void {}
  resume(): void {}
}

async function* piecesOf(pieces: Uint8Array[], failAt = -1): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < pieces.length; i++) {
    if (i === failAt) throw new Error('boom');
    yield pieces[i];
  }
}

const options = (onSent: (piece: Uint8Array) => void) => ({
  isCancelled: () => false,
  cancelledError: () => new Error('cancelled'),
  abortTail: Uint8Array.of(0xff),
  onSent,
});

test('onSent reports every piece of a streamed message once, and only after its send called back', async () => {
  const socket = new FakeSocket();
  const writer = new SocketWriter(socket as unknown as WebSocket);
  const head = encodeFrameHead({ type: 'arrow', queryId: 'q1' });
  const pieces = [new Uint8Array(700 * 1024), new Uint8Array(700 * 1024), new Uint8Array(700 * 1024)];
  const done: Uint8Array[] = [];
  await writer.sendStreamed(head, piecesOf(pieces), options((piece) => done.push(piece)));
  // Fragments were sent; nothing reported before the socket called back.
  expect(socket.sent.length).toBeGreaterThan(1);
  expect(socket.sent.at(-1)?.fin).toBe(true);
  const sentNow = new Set(socket.sent.map((s) => s.data));
  for (const piece of done) expect(sentNow.has(piece)).toBe(false); // only joined (copied) pieces so far
  socket.flush();
  expect(new Set(done)).toEqual(new Set([head, ...pieces]));
  expect(done).toHaveLength(4);
});

test('onSent reports the pieces of a small (whole) message and of a failed one', async () => {
  const socket = new FakeSocket();
  const writer = new SocketWriter(socket as unknown as WebSocket);
  const small = [Uint8Array.of(4), Uint8Array.of(5)];
  const done: Uint8Array[] = [];
  await writer.sendStreamed(encodeFrameHead({ type: 'arrow', queryId: 'q2' }), piecesOf(small), options((piece) => done.push(piece)));
  expect(done).toHaveLength(3); // joined into one copy: all done at once
  expect(socket.sent).toHaveLength(1);

  const failed: Uint8Array[] = [];
  const big = [new Uint8Array(700 * 1024), new Uint8Array(700 * 1024), new Uint8Array(700 * 1024)];
  await expect(
    writer.sendStreamed(encodeFrameHead({ type: 'arrow', queryId: 'q2' }), piecesOf(big, 2), options((piece) => failed.push(piece))),
  ).rejects.toThrow('boom');
  socket.flush();
  // Head and the two pieces that were produced: each exactly once.
  expect(failed).toHaveLength(3);
  expect(new Set(failed).size).toBe(3);
});

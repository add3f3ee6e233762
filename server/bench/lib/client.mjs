// A minimal baseline-protocol client for the bench: it only needs queryId matching, byte counts
// and the raw reply. Requests are built with the protocol's encoders; replies are not validated and
// results not decoded on the timed path (a binary reply's frame structure only, by the protocol's codec).
import { performance } from 'node:perf_hooks';
import { decodeFrame, encodeFrame, stringifyClientMessage } from '@duckwire/protocol';
import WebSocket from 'ws';

const QUERY_TIMEOUT_MS = 300_000;

// In a big text reply, `data` (a JSON string) escapes every quote, so `"queryId":"` can only
// be the envelope's own field: look for it near both ends instead of parsing 100s of MB.
const QUERY_ID = /"queryId":"((?:[^"\\]|\\.)*)"/;
const TYPE = /"type":"([A-Za-z]+)"/;
const PARSE_LIMIT = 1 << 20;

function describeText(data) {
  if (data.length <= PARSE_LIMIT) {
    try {
      const message = JSON.parse(data.toString('utf8'));
      return { type: message.type, queryId: message.queryId, message };
    } catch {
      return { type: undefined, queryId: undefined };
    }
  }
  const head = data.toString('utf8', 0, 512);
  const tail = data.toString('utf8', Math.max(0, data.length - 512));
  const type = TYPE.exec(head)?.[1];
  const queryId = QUERY_ID.exec(head)?.[1] ?? QUERY_ID.exec(tail)?.[1];
  return { type, queryId };
}

/**
 * One WebSocket to the server. `request()` sends a message and resolves with the terminal reply
 * of its queryId: `{ type, bytes, data, isBinary, ms, message?, error? }`.
 */
export class BenchClient {
  #ws;
  #pending = new Map();
  #next = 0;
  #closed = false;

  constructor(ws) {
    this.#ws = ws;
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('close', (code, reason) => {
      this.#closed = true;
      for (const entry of this.#pending.values()) {
        clearTimeout(entry.timer);
        entry.reject(new Error(`connection closed (${code} ${String(reason)})`));
      }
      this.#pending.clear();
    });
    ws.on('error', () => {});
  }

  /** `protocols`: WebSocket subprotocols to offer, e.g. `['duckwire.v1']` (its `hello` is ignored). */
  static async connect(url, { token, protocols = [] } = {}) {
    // Large results arrive as one message; compression off to measure the server, not zlib.
    const ws = new WebSocket(url, protocols, { maxPayload: 2 ** 32, perMessageDeflate: false });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const client = new BenchClient(ws);
    if (token !== undefined) {
      const reply = await client.request({ type: 'auth', token }, { waitForType: 'authAck' });
      if (reply.type !== 'authAck') throw new Error(`auth failed: ${reply.error ?? reply.type}`);
    }
    return client;
  }

  /** Send `{type, sql, queryId}`; resolve with the reply. */
  query(type, sql, extra = {}) {
    return this.request({ type, sql, ...extra });
  }

  /** Send a binary frame (uploadArrow); `header.queryId` is filled in. */
  upload(tableName, ipc) {
    const queryId = `b${++this.#next}`;
    const frame = encodeFrame({ type: 'uploadArrow', queryId, tableName }, ipc);
    return this.#send(queryId, frame, frame.byteLength);
  }

  /**
   * A duckwire.v1 chunked upload (the connection must have negotiated duckwire.v1): `ipc` sent in
   * parts of `partBytes`, the first with `uploadArrow` + `chunked`, the rest as `uploadChunk`.
   */
  uploadChunked(tableName, ipc, partBytes) {
    const queryId = `b${++this.#next}`;
    const first = encodeFrame({ type: 'uploadArrow', queryId, tableName, chunked: true }, ipc.subarray(0, partBytes));
    const reply = this.#send(queryId, first, ipc.byteLength);
    for (let at = partBytes; at < ipc.byteLength || at === partBytes; at += partBytes) {
      const last = at + partBytes >= ipc.byteLength;
      this.#ws.send(
        encodeFrame({ type: 'uploadChunk', queryId, ...(last ? { last } : {}) }, ipc.subarray(at, at + partBytes)),
      );
      if (last) break;
    }
    return reply;
  }

  request(message, { waitForType } = {}) {
    const queryId = message.queryId ?? (waitForType ? `__${waitForType}` : `b${++this.#next}`);
    const text = stringifyClientMessage(waitForType ? message : { ...message, queryId });
    return this.#send(queryId, text, Buffer.byteLength(text), waitForType);
  }

  #send(queryId, payload, sentBytes, waitForType) {
    if (this.#closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(queryId);
        reject(new Error(`no reply within ${QUERY_TIMEOUT_MS / 1000} s`));
      }, QUERY_TIMEOUT_MS);
      const start = performance.now();
      this.#pending.set(queryId, { resolve, reject, timer, start, sentBytes, waitForType });
      this.#ws.send(payload);
    });
  }

  #onMessage(data, isBinary) {
    const end = performance.now();
    let type;
    let queryId;
    let message;
    if (isBinary) {
      const frame = decodeFrame(data);
      if (frame.ok) ({ type, queryId } = frame.value.header);
      else type = 'bad-binary';
    } else {
      ({ type, queryId, message } = describeText(data));
    }
    let key = queryId;
    if (type === 'authAck') key = '__authAck';
    if (key === undefined || !this.#pending.has(key)) {
      // Not ours (cancelAck, notify, …), or a reply without a queryId while exactly one is pending.
      if (type === 'error' && this.#pending.size === 1) key = this.#pending.keys().next().value;
      else return;
    }
    if (!['arrow', 'json', 'ok', 'error', 'uploadAck', 'authAck'].includes(type)) return;
    const entry = this.#pending.get(key);
    this.#pending.delete(key);
    clearTimeout(entry.timer);
    entry.resolve({
      type,
      isBinary,
      bytes: data.length,
      sentBytes: entry.sentBytes,
      data,
      ms: end - entry.start,
      message,
      error: type === 'error' ? (message?.error ?? 'error') : undefined,
    });
  }

  close() {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#ws.once('close', resolve);
      this.#ws.close();
    });
  }
}

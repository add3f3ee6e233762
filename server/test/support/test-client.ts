import { type ServerMessage, parseServerFrame, parseServerMessage } from '@duckwire/protocol';
import { type Table, tableFromIPC } from 'apache-arrow';
import WebSocket from 'ws';

/** A reply as the test client saw it: a validated text message, or a decoded Arrow frame. */
export type Reply =
  | (ServerMessage & { kind: 'text' })
  | { kind: 'arrow'; type: 'arrow'; queryId: string; table: Table; bytes: Uint8Array }
  | { kind: 'bad-binary'; type: 'bad-binary'; queryId?: string; reason: string }
  | { kind: 'bad-text'; type: 'bad-text'; reason: string };

/**
 * A minimal protocol client for tests: real `ws`, every reply validated against the protocol
 * schemas, Arrow results decoded with apache-arrow.
 */
export class TestClient {
  readonly ws: WebSocket;
  readonly replies: Reply[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #consumed = new Set<Reply>();
  readonly #waiters: Array<{ match: (reply: Reply) => boolean; resolve: (reply: Reply) => void }> = [];
  #next = 0;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
  }

  static connect(url: string, options: WebSocket.ClientOptions = {}, protocols: string[] = []): Promise<TestClient> {
    const ws = new WebSocket(url, protocols, { maxPayload: 2 ** 31, ...options });
    const client = new TestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    let reply: Reply;
    if (isBinary) {
      const frame = parseServerFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (!frame.ok) throw new Error(`server sent an invalid frame: ${frame.error.message}`);
      try {
        const table = tableFromIPC(frame.value.payload);
        reply = { kind: 'arrow', type: 'arrow', queryId: frame.value.header.queryId, table, bytes: frame.value.payload };
      } catch (error) {
        reply = { kind: 'bad-binary', type: 'bad-binary', queryId: frame.value.header.queryId, reason: String(error) };
      }
    } else {
      // A streamed reply that the server had to abort arrives as text that is not valid JSON.
      const parsed = parseServerMessage(data.toString('utf8'));
      reply = parsed.ok ? { ...parsed.value, kind: 'text' } : { kind: 'bad-text', type: 'bad-text', reason: parsed.error.message };
    }
    this.replies.push(reply);
    const index = this.#waiters.findIndex((waiter) => waiter.match(reply));
    if (index >= 0) this.#waiters.splice(index, 1)[0].resolve(reply);
  }

  /** Resolve with the first reply (already received or future) that `match` accepts and no earlier wait took. */
  waitFor(match: (reply: Reply) => boolean): Promise<Reply> {
    const found = this.replies.find((reply) => match(reply) && !this.#consumed.has(reply));
    if (found) {
      this.#consumed.add(found);
      return Promise.resolve(found);
    }
    return new Promise((resolve) =>
      this.#waiters.push({
        match: (reply) => match(reply) && !this.#consumed.has(reply),
        resolve: (reply) => {
          this.#consumed.add(reply);
          resolve(reply);
        },
      }),
    );
  }

  /** Resolve with the terminal reply of `queryId` (result, ok, uploadAck or error). */
  terminal(queryId: string): Promise<Reply> {
    return this.waitFor(
      (reply) => 'queryId' in reply && reply.queryId === queryId && reply.type !== 'cancelAck',
    );
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  sendBinary(bytes: Uint8Array): void {
    this.ws.send(bytes, { binary: true });
  }

  /** Send a query and resolve with its terminal reply. */
  query(type: 'arrow' | 'json' | 'exec', sql: string, extra: Record<string, unknown> = {}): Promise<Reply> {
    const queryId = (extra.queryId as string | undefined) ?? `q${++this.#next}`;
    this.send({ type, sql, queryId, ...extra });
    return this.terminal(queryId);
  }

  /** Run `exec` and fail unless it answers ok. */
  async exec(sql: string): Promise<void> {
    const reply = await this.query('exec', sql);
    if (reply.type !== 'ok') throw new Error(`exec failed: ${JSON.stringify(reply)}`);
  }

  /** Run a `json` query and return the parsed rows, failing on an error reply. */
  async rows(sql: string): Promise<Array<Record<string, unknown>>> {
    const reply = await this.query('json', sql);
    if (reply.type !== 'json') throw new Error(`json query failed: ${JSON.stringify(reply)}`);
    return JSON.parse(reply.data);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}

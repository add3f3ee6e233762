import {
  alignedArrowPayload,
  type ServerMessage,
  readServerFrame,
  readServerText,
  terminalQueryIdOf,
} from '@duckwire/protocol';
import { type Table, tableFromIPC } from 'apache-arrow';
import WebSocket from 'ws';

/**
 * A reply as the test client saw it: a validated text message, a decoded Arrow result, or a result
 * the server aborted while streaming it (binary: `bad-binary`; text that is not JSON: `bad-text`).
 */
export type Reply =
  | (ServerMessage & { kind: 'text' })
  | { kind: 'arrow'; type: 'arrow'; queryId: string; table: Table; bytes: Uint8Array }
  /** A frame of a duckwire.v1 streamed result, undecoded (`schema`, or `batch` with its `seq` and `rows`). */
  | { kind: 'frame'; type: 'schema' | 'batch'; queryId: string; seq?: number; rows?: number; payload: Uint8Array }
  | { kind: 'bad-binary'; type: 'bad-binary'; queryId?: string; reason: string }
  | { kind: 'bad-text'; type: 'bad-text'; reason: string };

/** The queryId a reply ends, by the protocol's rule (an aborted result ends nothing: its `error` does). */
function terminalQueryIdOfReply(reply: Reply): string | undefined {
  switch (reply.kind) {
    case 'text':
      return terminalQueryIdOf(reply);
    case 'arrow':
      return reply.queryId;
    default:
      return undefined;
  }
}

const throwViolation = (message: string): never => {
  throw new Error(message);
};

/**
 * A minimal protocol client for tests: real `ws`, every reply validated against the protocol
 * schemas (a reply that breaks them throws, failing the test run), Arrow results decoded with
 * apache-arrow, queries followed to their end by the protocol's rules.
 */
export class TestClient {
  readonly ws: WebSocket;
  readonly replies: Reply[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #consumed = new Set<Reply>();
  readonly #waiters: Array<{ match: (reply: Reply) => boolean; resolve: (reply: Reply) => void }> = [];
  #next = 0;

  readonly #onViolation: (message: string) => void;

  private constructor(ws: WebSocket, onViolation: (message: string) => void) {
    this.ws = ws;
    this.#onViolation = onViolation;
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    ws.on('message', (data, isBinary) => this.#onMessage(data as Buffer, isBinary));
  }

  /**
   * Connect to `url`, offering the WebSocket subprotocols `protocols`. A reply that breaks the
   * protocol's schemas is reported to `onViolation`, which by default throws: the error escapes the
   * socket's handler and fails the test run.
   */
  static connect(
    url: string,
    options: WebSocket.ClientOptions = {},
    protocols: string[] = [],
    onViolation: (message: string) => void = throwViolation,
  ): Promise<TestClient> {
    const ws = new WebSocket(url, protocols, { maxPayload: 2 ** 31, ...options });
    const client = new TestClient(ws, onViolation);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  #onMessage(data: Buffer, isBinary: boolean): void {
    const reply = isBinary ? this.#readBinary(data) : this.#readText(data);
    if (!reply) return;
    this.replies.push(reply);
    const index = this.#waiters.findIndex((waiter) => waiter.match(reply));
    if (index >= 0) this.#waiters.splice(index, 1)[0].resolve(reply);
  }

  #readBinary(data: Buffer): Reply | undefined {
    const read = readServerFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (read.kind === 'invalid') {
      this.#onViolation(`server sent an invalid frame: ${read.error.message}`);
      return undefined;
    }
    if (read.kind === 'aborted') {
      return { kind: 'bad-binary', type: 'bad-binary', queryId: read.header.queryId, reason: 'aborted result' };
    }
    const { header, payload } = read.frame;
    if (header.type === 'schema') return { kind: 'frame', type: 'schema', queryId: header.queryId, payload };
    if (header.type === 'batch') {
      return { kind: 'frame', type: 'batch', queryId: header.queryId, seq: header.seq, rows: header.rows, payload };
    }
    try {
      return { kind: 'arrow', type: 'arrow', queryId: header.queryId, table: tableFromIPC(alignedArrowPayload(payload)), bytes: payload };
    } catch (error) {
      return { kind: 'bad-binary', type: 'bad-binary', queryId: header.queryId, reason: String(error) };
    }
  }

  #readText(data: Buffer): Reply | undefined {
    const read = readServerText(data.toString('utf8'));
    if (read.kind === 'invalid') {
      this.#onViolation(`server sent an invalid message: ${read.error.message}`);
      return undefined;
    }
    // A streamed reply that the server had to abort arrives as text that is not valid JSON.
    if (read.kind === 'aborted') return { kind: 'bad-text', type: 'bad-text', reason: 'aborted result' };
    return { ...read.message, kind: 'text' };
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

  /**
   * Resolve with the terminal reply of `queryId` (result, ok, uploadAck or error), by the protocol's
   * rule: not a `duplicate_query_id` error, a `cancelAck` or an aborted result.
   */
  terminal(queryId: string): Promise<Reply> {
    return this.waitFor((reply) => terminalQueryIdOfReply(reply) === queryId);
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

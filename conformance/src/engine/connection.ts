/**
 * One WebSocket connection of a scenario, seen from the client side: every message received is
 * kept in an inbox until a step consumes it, so a scenario can wait for replies in any order and
 * the runner can tell, at the end, which messages nobody expected (duplicates, strays).
 */
import WebSocket from 'ws';

/** A message received from the server. */
export type Received =
  | { readonly kind: 'text'; readonly text: string; readonly seq: number }
  | { readonly kind: 'binary'; readonly bytes: Uint8Array; readonly seq: number };

/** How the connection ended. */
export interface Closed {
  readonly code: number;
  readonly reason: string;
}

/** Settings of a connection attempt. */
export interface OpenOptions {
  readonly protocols?: string[];
  readonly origin?: string;
  /** Largest message accepted from the server. */
  readonly maxPayload?: number;
}

/** A client connection with an inbox. */
export class Connection {
  readonly ws: WebSocket;
  readonly inbox: Received[] = [];
  closed: Closed | undefined;
  #seq = 0;
  #wakers = new Set<() => void>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data, isBinary) => {
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      const seq = this.#seq++;
      this.inbox.push(
        isBinary
          ? { kind: 'binary', bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), seq }
          : { kind: 'text', text: buffer.toString('utf8'), seq },
      );
      this.#wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.#wake();
    });
    ws.on('error', () => this.#wake());
  }

  /** Open a connection; rejects when the upgrade fails. */
  static open(url: string, options: OpenOptions = {}): Promise<Connection> {
    const ws = new WebSocket(url, options.protocols ?? [], {
      maxPayload: options.maxPayload ?? 2 ** 31 - 1,
      ...(options.origin ? { origin: options.origin } : {}),
      handshakeTimeout: 10_000,
    });
    const connection = new Connection(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(connection));
      ws.once('error', reject);
      ws.once('unexpected-response', (_request, response) => {
        reject(new Error(`upgrade refused with HTTP ${response.statusCode}`));
        ws.terminate();
      });
    });
  }

  #wake(): void {
    for (const wake of this.#wakers) wake();
  }

  /**
   * Wait until `pick` returns a result for the inbox (or the connection closes and `pick` still
   * returns nothing), at most `ms` milliseconds.
   */
  async waitFor<T>(pick: () => T | undefined, ms: number): Promise<T | undefined> {
    const now = pick();
    if (now !== undefined) return now;
    return new Promise<T | undefined>((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        settle();
      };
      const attempt = (final: boolean) => {
        let value: T | undefined;
        try {
          value = pick();
        } catch (error) {
          finish(() => reject(error));
          return;
        }
        if (value !== undefined || final || this.closed) finish(() => resolve(value));
      };
      const wake = () => attempt(false);
      const timer = setTimeout(() => attempt(true), ms);
      this.#wakers.add(wake);
      if (this.closed) wake();
    });
  }

  /** Send text or bytes; resolves once handed to the socket. */
  send(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState !== WebSocket.OPEN) {
        reject(
          new Error(`cannot send: the connection is ${this.closed ? `closed (${this.closed.code})` : 'not open'}`),
        );
        return;
      }
      this.ws.send(data, { binary: typeof data !== 'string' }, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Close (normal closure) and wait for the close to complete, briefly. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(1000);
    await this.waitFor(() => (this.closed ? true : undefined), 1000);
    if (!this.closed) this.ws.terminate();
  }
}

/**
 * The plain promise API: {@link connect} gives a {@link DuckwireClient} that runs queries, uploads and
 * publish/subscribe over one WebSocket, and keeps that connection alive across drops. The SQLRooms connector
 * is a thin layer over it.
 */
import type { ClientBinaryHeader, ClientMessage } from '@duckwire/protocol';
import type { RecordBatch, Table } from 'apache-arrow';
import { encodeArrowStream } from './arrow.js';
import { backoffDelay } from './backoff.js';
import { AuthenticationError, ConnectionError, DuckwireError, QueryTimeoutError, abortError } from './errors.js';
import { Link, type LinkEvents, type PendingRequest } from './link.js';
import type { ClientOptions, ConnectionStatus, InternalOptions, QueryOptions, RequestOptions } from './options.js';
import { type ReplyHandler, expectAck, expectRows, expectTable } from './replies.js';
import { resolveWebSocket } from './websocket.js';

type Outbound = ClientMessage | { header: ClientBinaryHeader; payload: Uint8Array };

let clientCount = 0;

/**
 * A connection to a duckwire server (or any server of the SQLRooms DuckDB protocol). Create one with
 * {@link connect}. Requests may run concurrently; each resolves with its own reply.
 */
export class DuckwireClient {
  /** The server's WebSocket URL. */
  readonly url: string;
  readonly #options: InternalOptions;
  readonly #channels: Set<string>;
  readonly #notificationHandlers = new Set<(channel: string, payload: unknown) => void>();
  readonly #statusListeners = new Set<(status: ConnectionStatus) => void>();
  readonly #idPrefix: string;
  #nextId = 0;
  #status: ConnectionStatus = 'idle';
  #link: Link | undefined;
  #connecting: Promise<Link> | undefined;
  #lifetime = new AbortController();
  #closed = false;
  #wasConnected = false;

  /** Prefer {@link connect}, which also opens the connection. */
  constructor(url: string, options: ClientOptions = {}) {
    this.url = url;
    this.#options = options;
    this.#channels = new Set(options.subscribeChannels ?? []);
    this.#idPrefix = `c${(++clientCount).toString(36)}${Math.random().toString(36).slice(2, 6)}-`;
  }

  /** The connection status: `idle` (not opened yet, or closed), `connecting`, `connected`, `disconnected`. */
  get status(): ConnectionStatus {
    return this.#status;
  }

  /** The channels this client is subscribed to (re-subscribed after every reconnect). */
  get channels(): readonly string[] {
    return [...this.#channels];
  }

  /** Open the connection now (requests also open it on demand). Resolves once connected and initialized. */
  async open(): Promise<void> {
    await this.#linkFor(undefined);
  }

  /** Close the connection for good. In-flight requests reject with a `client_closed` {@link ConnectionError}. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#lifetime.abort();
    const link = this.#link;
    this.#link = undefined;
    link?.close();
    this.#setStatus('idle');
  }

  /** Close the current connection and open a new one (re-authenticate, re-subscribe, re-run initializationQuery). */
  async reconnect(): Promise<void> {
    if (this.#closed) throw new ConnectionError('client_closed', 'the client was closed');
    const link = this.#link;
    this.#link = undefined;
    if (link) link.close(1000, 'reconnecting');
    await this.#linkFor(undefined);
  }

  /** Run SQL and resolve with the result of its last statement as an Arrow table (an empty table when it has none). */
  query(sql: string, options: QueryOptions = {}): Promise<Table> {
    return this.#request(
      (queryId) => ({ type: 'arrow', queryId, sql, ...resultFields(options) }),
      expectTable(),
      options,
    );
  }

  /** Run SQL and resolve with the rows of its last statement as objects (types: see docs/client.md). */
  json<T = Record<string, unknown>>(sql: string, options: QueryOptions = {}): Promise<T[]> {
    return this.#request(
      (queryId) => ({ type: 'json', queryId, sql, ...resultFields(options) }),
      expectRows<T>(),
      options,
    );
  }

  /** Run SQL for its effect: every statement runs to completion; resolves when it has. */
  exec(sql: string, options: RequestOptions = {}): Promise<void> {
    return this.#request((queryId) => ({ type: 'exec', queryId, sql }), expectAck('ok', 'exec'), options);
  }

  /**
   * The result of `sql` as Arrow record batches, for `for await (const batch of client.stream(sql))`. With a
   * server that cannot stream, the whole result is fetched and its batches are yielded from memory.
   */
  async *stream(sql: string, options: QueryOptions = {}): AsyncGenerator<RecordBatch, void, undefined> {
    const table = await this.query(sql, options);
    for (const batch of table.batches) yield batch;
  }

  /**
   * Create or replace table `tableName` (`t`, `s.t`, `"my table"`, `db.s.t`) with the rows of an Arrow table or
   * IPC stream. The table must come from the app's own apache-arrow.
   */
  async upload(tableName: string, data: Table | Uint8Array, options: RequestOptions = {}): Promise<void> {
    const payload = encodeArrowStream(data);
    return this.#request(
      (queryId) => ({ header: { type: 'uploadArrow', queryId, tableName }, payload }),
      expectAck('uploadAck', 'upload'),
      options,
    );
  }

  /** Receive `notify` messages of `channel` (also after reconnects). Resolves once the server confirmed. */
  async subscribe(channel: string): Promise<void> {
    this.#channels.add(channel);
    const link = await this.#linkFor(undefined);
    await link.control({ type: 'subscribe', channel }, 'subscribed');
  }

  /** Stop receiving `channel`. Resolves once the server confirmed (servers without `unsubscribe` reject). */
  async unsubscribe(channel: string): Promise<void> {
    this.#channels.delete(channel);
    const link = await this.#linkFor(undefined);
    await link.control({ type: 'unsubscribe', channel }, 'unsubscribed');
  }

  /** Publish `payload` to every subscriber of `channel` (this client receives it too). Resolves on `notifyAck`. */
  async notify(channel: string, payload?: unknown): Promise<void> {
    const link = await this.#linkFor(undefined);
    await link.control({ type: 'notify', channel, ...(payload === undefined ? {} : { payload }) }, 'notifyAck');
  }

  /** Call `handler(channel, payload)` for every notification. Returns a function that removes it. */
  onNotification(handler: (channel: string, payload: unknown) => void): () => void {
    this.#notificationHandlers.add(handler);
    return () => this.#notificationHandlers.delete(handler);
  }

  /** Call `listener(status)` on every status change. Returns a function that removes it. */
  onStatusChange(listener: (status: ConnectionStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  // ---- requests ----

  async #request<T>(
    build: (queryId: string) => Outbound,
    handler: ReplyHandler<T>,
    options: RequestOptions,
  ): Promise<T> {
    if (options.signal?.aborted) throw abortError();
    const link = await this.#linkFor(options.signal);
    return this.#send(link, build, handler, options);
  }

  #send<T>(
    link: Link,
    build: (queryId: string) => Outbound,
    handler: ReplyHandler<T>,
    options: RequestOptions,
  ): Promise<T> {
    const queryId = `${this.#idPrefix}${(++this.#nextId).toString(36)}`;
    const { signal } = options;
    const timeoutMs = options.timeoutMs ?? this.#options.queryTimeoutMs ?? 0;
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const giveUp = (error: Error) => {
        link.forget(queryId);
        link.cancel(queryId);
        finish();
        reject(error);
      };
      const onAbort = () => giveUp(abortError());
      const pending: PendingRequest = {
        reply: (reply) => {
          const outcome = handler(reply, queryId);
          if (outcome === 'wait') return 'wait';
          finish();
          if ('error' in outcome) reject(outcome.error);
          else resolve(outcome.value);
          return 'done';
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs > 0) timer = setTimeout(() => giveUp(new QueryTimeoutError(queryId, timeoutMs)), timeoutMs);
      try {
        link.request(queryId, pending, build(queryId));
      } catch (error) {
        finish();
        reject(error);
      }
    });
  }

  // ---- the connection ----

  async #linkFor(signal: AbortSignal | undefined): Promise<Link> {
    if (this.#closed) throw new ConnectionError('client_closed', 'the client was closed');
    if (this.#link?.open && this.#status === 'connected') return this.#link;
    if (this.#link) {
      // The socket is going away and its close event has not come yet: drop it now.
      this.#link = undefined;
      this.#setStatus('disconnected');
    }
    const retry = this.#wasConnected && this.#options.reconnect !== false;
    const connecting = this.#connecting ?? this.#startConnecting(retry, false);
    return waitFor(connecting, this.#options.waitForConnectionMs ?? 30_000, signal, this.url);
  }

  /**
   * Open a connection; with `retry`, keep trying with backoff (after a drop, `backoffFirst` waits before the
   * first attempt too). Auth failures are never retried.
   */
  #startConnecting(retry: boolean, backoffFirst: boolean): Promise<Link> {
    const reconnect = this.#options.reconnect ?? true;
    const policy = typeof reconnect === 'object' ? reconnect : {};
    const maxAttempts = retry ? (policy.maxAttempts ?? Number.POSITIVE_INFINITY) : 1;
    const connecting = (async () => {
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0 || backoffFirst) await sleep(backoffDelay(attempt, policy), this.#lifetime.signal);
        if (this.#closed) throw new ConnectionError('client_closed', 'the client was closed');
        try {
          return await this.#openLink();
        } catch (error) {
          const fatal = error instanceof AuthenticationError || this.#closed;
          if (fatal || attempt + 1 >= maxAttempts) throw error;
        }
      }
    })();
    this.#connecting = connecting;
    connecting.then(
      () => {
        if (this.#connecting === connecting) this.#connecting = undefined;
      },
      (error) => {
        if (this.#connecting === connecting) this.#connecting = undefined;
        if (!this.#closed) this.#setStatus('disconnected');
        if (retry) this.#reportError(error);
      },
    );
    return connecting;
  }

  async #openLink(): Promise<Link> {
    this.#setStatus('connecting');
    const WebSocket = await resolveWebSocket(this.#options.WebSocket, this.#options.loadWebSocket);
    const link = await Link.open({
      url: this.url,
      WebSocket,
      ...(this.#options.authToken === undefined ? {} : { authToken: this.#options.authToken }),
      connectTimeoutMs: this.#options.connectTimeoutMs ?? 10_000,
      events: this.#linkEvents,
    });
    try {
      for (const channel of this.#channels) await link.control({ type: 'subscribe', channel }, 'subscribed');
      const initializationQuery = this.#options.initializationQuery;
      if (initializationQuery) {
        await this.#send(
          link,
          (queryId) => ({ type: 'exec', queryId, sql: initializationQuery }),
          expectAck('ok', 'exec'),
          {},
        );
      }
    } catch (error) {
      link.close(1000, 'setup failed');
      throw error;
    }
    if (this.#closed) {
      link.close();
      throw new ConnectionError('client_closed', 'the client was closed');
    }
    this.#link = link;
    this.#wasConnected = true;
    this.#setStatus('connected');
    return link;
  }

  readonly #linkEvents: LinkEvents = {
    notify: (channel, payload) => {
      this.#callback(() => this.#options.onNotification?.(channel, payload));
      for (const handler of this.#notificationHandlers) this.#callback(() => handler(channel, payload));
    },
    stray: (error) => this.#reportError(error),
    closed: (link, { intentional }) => {
      if (link !== this.#link) return;
      this.#link = undefined;
      if (this.#closed || intentional) return;
      this.#setStatus('disconnected');
      if (this.#options.reconnect !== false && !this.#connecting) this.#startConnecting(true, true);
    },
  };

  #setStatus(status: ConnectionStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.#callback(() => this.#options.onStatusChange?.(status));
    for (const listener of this.#statusListeners) this.#callback(() => listener(status));
  }

  #reportError(error: unknown): void {
    const onError = this.#options.onError;
    if (onError) this.#callback(() => onError(error as Error));
  }

  /** Run app code from an event handler: what it throws is reported, never rethrown. */
  #callback(action: () => void): void {
    try {
      action();
    } catch (error) {
      if (this.#options.onError) {
        try {
          this.#options.onError(error as Error);
        } catch {
          // nothing left to tell
        }
      }
    }
  }
}

function resultFields(options: QueryOptions): { persist?: boolean; maxRows?: number; maxBytes?: number } {
  return {
    ...(options.persist === undefined ? {} : { persist: options.persist }),
    ...(options.maxRows === undefined ? {} : { maxRows: options.maxRows }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new ConnectionError('client_closed', 'the client was closed'));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ConnectionError('client_closed', 'the client was closed'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wait for a connection, at most `timeoutMs`, and no longer than `signal` allows. */
function waitFor(
  connecting: Promise<Link>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  url: string,
): Promise<Link> {
  return new Promise<Link>((resolve, reject) => {
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            cleanup();
            reject(new ConnectionError('connect_timeout', `no connection to ${url} within ${timeoutMs} ms`));
          }, timeoutMs)
        : undefined;
    const onAbort = () => {
      cleanup();
      reject(abortError());
    };
    const cleanup = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    connecting.then(
      (link) => {
        cleanup();
        resolve(link);
      },
      (error) => {
        cleanup();
        reject(
          error instanceof DuckwireError
            ? error
            : new ConnectionError('connect_failed', String(error), { cause: error }),
        );
      },
    );
  });
}

/**
 * Connect to a duckwire server and resolve with a ready {@link DuckwireClient} (authenticated, subscribed,
 * `initializationQuery` done). Rejects with a {@link ConnectionError} or {@link AuthenticationError}.
 *
 * @example
 * ```ts
 * const client = await connect('ws://127.0.0.1:4000');
 * const table = await client.query('select 42 as answer');
 * ```
 */
export function connect(url: string, options: ClientOptions = {}): Promise<DuckwireClient> {
  return openClient(new DuckwireClient(url, options));
}

/** Open `client`; on failure close it (no background reconnects) and reject. */
export async function openClient(client: DuckwireClient): Promise<DuckwireClient> {
  try {
    await client.open();
  } catch (error) {
    client.close();
    throw error;
  }
  return client;
}

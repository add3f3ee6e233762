/**
 * The plain promise API: {@link connect} gives a {@link DuckwireClient} that runs queries, uploads and
 * publish/subscribe over one WebSocket, and keeps that connection alive across drops. The SQLRooms connector
 * is a thin layer over it.
 */
import {
  type ArrowQuery,
  Capability,
  type HelloLimits,
  SUBPROTOCOL_V1,
  type ServerInfo,
  type UploadArrowHeader,
  type UploadFileHeader,
} from '@duckwire/protocol';
import type { RecordBatch, Table } from 'apache-arrow';
import { encodeArrowStream } from './arrow.js';
import { backoffDelay } from './backoff.js';
import { Cursor } from './cursor.js';
import {
  AuthenticationError,
  ConnectionError,
  DuckwireError,
  InvalidRequestError,
  NotSupportedError,
  QueryTimeoutError,
  ServerError,
  abortError,
} from './errors.js';
import { fileFormatOf, sendInParts } from './upload.js';
import {
  Link,
  type LinkEvents,
  type Outbound,
  type PendingRequest,
  type Reply,
  SubprotocolRefusedError,
} from './link.js';
import type {
  ArrowQueryOptions,
  ClientOptions,
  ConnectionStatus,
  ExecOptions,
  InternalOptions,
  JsonOptions,
  RequestOptions,
  StreamOptions,
  UploadFileOptions,
  UploadOptions,
} from './options.js';
import { arrowQuery, execQuery, jsonQuery, need } from './requests.js';
import { type ReplyHandler, expectAck, expectRows, expectTable } from './replies.js';
import { ResultStream } from './result-stream.js';
import { resolveWebSocket } from './websocket.js';

/** A streamed query in progress: its event queue, and how to ask for more rows or stop it. */
interface RunningStream {
  readonly stream: ResultStream;
  fetch(rows: number): void;
  stop(): void;
}

/** How long past its `timeoutMs` the client waits for a v1 server's own `timeout` reply before giving up itself. */
const SERVER_TIMEOUT_GRACE_MS = 2_000;

/** Default size of one part of a chunked upload. */
const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

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
  /** Whether a session was asked for (option or beginSession): every new connection opens one. */
  #sessionWanted: boolean;
  /** The connections on which a session is open. */
  readonly #sessionLinks = new WeakSet<Link>();

  /** Prefer {@link connect}, which also opens the connection. */
  constructor(url: string, options: ClientOptions = {}) {
    this.url = url;
    this.#options = options;
    this.#channels = new Set(options.subscribeChannels ?? []);
    this.#sessionWanted = options.session ?? false;
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

  /**
   * The protocol of the current connection: `duckwire.v1`, or `baseline` (a server that does not speak v1, or
   * the `v1: false` option); undefined while not connected.
   */
  get protocol(): typeof SUBPROTOCOL_V1 | 'baseline' | undefined {
    const link = this.#link;
    if (!link) return undefined;
    return link.hello ? SUBPROTOCOL_V1 : 'baseline';
  }

  /** The duckwire.v1 capabilities the connected server announced (empty on a baseline connection). */
  get capabilities(): readonly string[] {
    return this.#link?.hello?.capabilities ?? [];
  }

  /** The limits the connected v1 server announced (`{}` on a baseline connection); 0 or absent: no limit. */
  get limits(): HelloLimits {
    return this.#link?.hello?.limits ?? {};
  }

  /** The server's name and versions (v1 servers, after authentication), else undefined. */
  get serverInfo(): ServerInfo | undefined {
    return this.#link?.serverInfo;
  }

  /** Whether the connected server announced `capability` (see `Capability` of `@duckwire/protocol`). */
  supports(capability: string): boolean {
    return this.#link?.supports(capability) ?? false;
  }

  /** Run SQL and resolve with the result of its last statement as an Arrow table (an empty table when it has none). */
  query(sql: string, options: ArrowQueryOptions = {}): Promise<Table> {
    return this.#request(
      (queryId, link) => arrowQuery(queryId, sql, link, options, this.#timeoutOf(options)),
      expectTable(),
      options,
    );
  }

  /** Run SQL and resolve with the rows of its last statement as objects (types: see docs/client.md). */
  json<T = Record<string, unknown>>(sql: string, options: JsonOptions = {}): Promise<T[]> {
    return this.#request(
      (queryId, link) => jsonQuery(queryId, sql, link, options, this.#timeoutOf(options)),
      expectRows<T>(),
      options,
    );
  }

  /** Run SQL for its effect: every statement runs to completion; resolves when it has. */
  exec(sql: string, options: ExecOptions = {}): Promise<void> {
    return this.#request(
      (queryId, link) => execQuery(queryId, sql, link, options, this.#timeoutOf(options)),
      expectAck('ok', 'exec'),
      options,
    );
  }

  /**
   * The result of `sql` as Arrow record batches, for `for await (const batch of client.stream(sql))`. A v1
   * server with capability `stream` sends the batches as they are computed, and each is decoded on arrival;
   * with `fetchRows` (capability `cursor`) the server computes no further than the loop has read. With a
   * server that cannot stream, the whole result is fetched and its batches are yielded from memory.
   * Leaving the loop early cancels the query.
   */
  async *stream(sql: string, options: StreamOptions = {}): AsyncGenerator<RecordBatch, void, undefined> {
    if (options.signal?.aborted) throw abortError();
    const link = await this.#linkFor(options.signal);
    const { fetchRows, ...queryOptions } = options;
    if (fetchRows !== undefined) need(link, Capability.Cursor, 'stream with fetchRows');
    if (!link.supports(Capability.Stream)) {
      const table = await this.#send(
        link,
        (queryId) => arrowQuery(queryId, sql, link, queryOptions, this.#timeoutOf(queryOptions)),
        expectTable(),
        queryOptions,
      );
      yield* table.batches;
      return;
    }
    const running = this.#startStream(link, sql, options, fetchRows);
    const { stream } = running;
    try {
      for (;;) {
        const event = await stream.next();
        if (event.kind === 'end') return;
        if (event.kind === 'paused') {
          if (fetchRows !== undefined) running.fetch(fetchRows);
          continue;
        }
        yield event.batch;
      }
    } finally {
      running.stop();
    }
  }

  /**
   * A cursor over the result of `sql` (duckwire.v1 capabilities `stream` and `cursor`): `await
   * cursor.next(n)` gives the next up to `n` rows as a Table, `undefined` when none are left; the server
   * computes nothing beyond what was asked for. `close()` cancels the rest. Cursors idle longer than
   * `limits.cursorIdleTimeoutMs` are closed by the server (`cursor_timeout`).
   */
  cursor(sql: string, options: ArrowQueryOptions = {}): Cursor {
    let running: RunningStream | undefined;
    return new Cursor({
      start: async (rows) => {
        if (options.signal?.aborted) throw abortError();
        const link = await this.#linkFor(options.signal);
        need(link, Capability.Cursor, 'cursor');
        running = this.#startStream(link, sql, options, rows);
        return running.stream;
      },
      fetch: (rows) => running?.fetch(rows),
      cancel: () => running?.stop(),
    });
  }

  /**
   * Create or replace table `tableName` (`t`, `s.t`, `"my table"`, `db.s.t`) with the rows of an Arrow table or
   * IPC stream. The table must come from the app's own apache-arrow. On a v1 server with capability
   * `chunkedUpload`, data larger than `chunkBytes` is sent in parts.
   */
  async upload(tableName: string, data: Table | Uint8Array, options: UploadOptions = {}): Promise<void> {
    const payload = encodeArrowStream(data);
    const link = await this.#linkFor(options.signal);
    const chunkBytes = this.#chunkBytes(link, options);
    if (payload.byteLength <= chunkBytes || !link.supports(Capability.ChunkedUpload)) {
      return this.#send(
        link,
        (queryId) => ({ header: { type: 'uploadArrow', queryId, tableName }, payload }),
        expectAck('uploadAck', 'upload'),
        options,
      );
    }
    return this.#sendParts(
      link,
      (queryId) => ({ type: 'uploadArrow', queryId, tableName, chunked: true }),
      (offset) => Promise.resolve(payload.subarray(offset, offset + chunkBytes)),
      payload.byteLength,
      options,
    );
  }

  /**
   * Create or replace table `tableName` from a file's bytes (a browser `File` or `Blob`, or bytes): CSV,
   * Parquet, JSON or Arrow, read by the server with DuckDB's reader for the format (duckwire.v1 capability
   * `fileUpload`; parts of `chunkBytes` with `chunkedUpload`, read from the Blob one at a time).
   */
  async uploadFile(tableName: string, file: Blob | Uint8Array, options: UploadFileOptions = {}): Promise<void> {
    const link = await this.#linkFor(options.signal);
    need(link, Capability.FileUpload, 'uploadFile (loading a File or Blob)');
    const format = options.format ?? fileFormatOf(file);
    const chunkBytes = this.#chunkBytes(link, options);
    const size = file instanceof Uint8Array ? file.byteLength : file.size;
    const read = async (offset: number, end: number): Promise<Uint8Array> =>
      file instanceof Uint8Array
        ? file.subarray(offset, end)
        : new Uint8Array(await file.slice(offset, end).arrayBuffer());
    if (size <= chunkBytes || !link.supports(Capability.ChunkedUpload)) {
      const payload = await read(0, size);
      return this.#send(
        link,
        (queryId) => ({ header: { type: 'uploadFile', queryId, tableName, format }, payload }),
        expectAck('uploadAck', 'uploadFile'),
        options,
      );
    }
    return this.#sendParts(
      link,
      (queryId) => ({ type: 'uploadFile', queryId, tableName, format, chunked: true }),
      (offset) => read(offset, Math.min(size, offset + chunkBytes)),
      size,
      options,
    );
  }

  /**
   * Pin one server connection to this client (duckwire.v1 capability `session`): from now on requests run
   * one at a time, in order, on that connection, so `SET`, `USE`, temp tables and `BEGIN … COMMIT` carry
   * between them. After a reconnect the session is opened again — with fresh state: an open transaction was
   * rolled back, temp tables and settings are gone.
   */
  async beginSession(): Promise<void> {
    const link = await this.#linkFor(undefined);
    if (!this.#sessionLinks.has(link)) await this.#openSession(link);
    this.#sessionWanted = true;
  }

  /** End the session: the server rolls back an open transaction, resets the connection and releases it. */
  async endSession(): Promise<void> {
    this.#sessionWanted = false;
    const link = await this.#linkFor(undefined);
    if (!this.#sessionLinks.has(link)) return;
    this.#sessionLinks.delete(link);
    await this.#send(link, (queryId) => ({ type: 'endSession', queryId }), expectAck('ok', 'endSession'), {});
  }

  /** Whether requests run in a pinned session (see {@link beginSession}). */
  get inSession(): boolean {
    return this.#link !== undefined && this.#sessionLinks.has(this.#link);
  }

  /** Measure a round trip to the server (`ping` → `pong`, capability `ping`), in ms. */
  async ping(options: RequestOptions = {}): Promise<number> {
    const link = await this.#linkFor(options.signal);
    need(link, Capability.Ping, 'ping');
    const started = now();
    await link.ping(`${this.#idPrefix}p${(++this.#nextId).toString(36)}`);
    return now() - started;
  }

  /** Receive `notify` messages of `channel` (also after reconnects). Resolves once the server confirmed. */
  async subscribe(channel: string): Promise<void> {
    this.#channels.add(channel);
    try {
      const link = await this.#linkFor(undefined);
      await link.control({ type: 'subscribe', channel }, 'subscribed');
    } catch (error) {
      // A channel the protocol refuses must not be re-subscribed after every reconnect.
      if (error instanceof InvalidRequestError || error instanceof ServerError) this.#channels.delete(channel);
      throw error;
    }
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
    build: (queryId: string, link: Link) => Outbound,
    handler: ReplyHandler<T>,
    options: ExecOptions,
  ): Promise<T> {
    if (options.signal?.aborted) throw abortError();
    const link = await this.#linkFor(options.signal);
    return this.#send(link, build, handler, options);
  }

  #newQueryId(): string {
    return `${this.#idPrefix}${(++this.#nextId).toString(36)}`;
  }

  /** The request's timeout: its own, else the client's default; 0: none. */
  #timeoutOf(options: RequestOptions): number {
    return options.timeoutMs ?? this.#options.queryTimeoutMs ?? 0;
  }

  /** A reply filter that hands `progress` messages to `onProgress` (from an event handler: never throws). */
  #progressFilter(options: ExecOptions): ((reply: Reply) => boolean) | undefined {
    const { onProgress } = options;
    if (!onProgress) return undefined;
    return (reply) => {
      if (reply.kind !== 'text' || reply.message.type !== 'progress') return false;
      const { percent, rowsProcessed, totalRows } = reply.message;
      this.#callback(() =>
        onProgress({
          percent,
          ...(rowsProcessed === undefined ? {} : { rowsProcessed }),
          ...(totalRows === undefined ? {} : { totalRows }),
        }),
      );
      return true;
    };
  }

  /**
   * Send a request and settle with its terminal reply. Aborting, or the client-side timeout, sends `cancel`.
   * With a v1 server that enforces `timeoutMs` itself, the client waits a little longer for its truthful
   * `timeout` reply before giving up on its own.
   */
  #send<T>(
    link: Link,
    build: (queryId: string, link: Link) => Outbound,
    handler: ReplyHandler<T>,
    options: ExecOptions,
    queryId: string = this.#newQueryId(),
  ): Promise<T> {
    const { signal } = options;
    const timeoutMs = this.#timeoutOf(options);
    const progress = this.#progressFilter(options);
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
          if (progress?.(reply)) return 'wait';
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
      let message: Outbound;
      try {
        message = build(queryId, link);
      } catch (error) {
        reject(error);
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs > 0) {
        const serverEnforces = 'type' in message && 'timeoutMs' in message;
        const wait = serverEnforces ? timeoutMs + SERVER_TIMEOUT_GRACE_MS : timeoutMs;
        timer = setTimeout(() => giveUp(new QueryTimeoutError(queryId, timeoutMs)), wait);
      }
      try {
        link.request(queryId, pending, message);
      } catch (error) {
        finish();
        reject(error);
      }
    });
  }

  /** Send a streamed `arrow` query; the caller pulls its events and must call `stop()` when done with it. */
  #startStream(link: Link, sql: string, options: ArrowQueryOptions, fetchRows: number | undefined): RunningStream {
    if (options.signal?.aborted) throw abortError();
    const queryId = this.#newQueryId();
    const stream = new ResultStream(queryId, this.#progressFilter(options));
    const message: ArrowQuery = {
      ...arrowQuery(queryId, sql, link, options, this.#timeoutOf(options)),
      stream: true,
      ...(fetchRows === undefined ? {} : { fetchRows }),
    };
    const { signal } = options;
    const timeoutMs = this.#timeoutOf(options);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = (error?: Error) => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (stream.finished) return;
      link.forget(queryId);
      link.cancel(queryId);
      stream.fail(error ?? abortError('the stream was closed'));
    };
    const onAbort = () => stop(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs > 0) {
      const wait = message.timeoutMs === undefined ? timeoutMs : timeoutMs + SERVER_TIMEOUT_GRACE_MS;
      timer = setTimeout(() => stop(new QueryTimeoutError(queryId, timeoutMs)), wait);
    }
    try {
      link.request(queryId, stream, message);
    } catch (error) {
      stop();
      throw error;
    }
    return {
      stream,
      fetch: (rows) => {
        if (stream.finished) return;
        try {
          link.send({ type: 'fetch', queryId, rows }, queryId);
        } catch (error) {
          stop(error as Error);
        }
      },
      stop: () => stop(),
    };
  }

  /**
   * Send an upload in parts: the first frame (`chunked: true`), then `uploadChunk` frames, pacing on the
   * socket's buffer. Settles with the server's terminal reply; a failure to read the data cancels the upload.
   */
  async #sendParts(
    link: Link,
    header: (queryId: string) => UploadArrowHeader | UploadFileHeader,
    read: (offset: number) => Promise<Uint8Array>,
    size: number,
    options: RequestOptions,
  ): Promise<void> {
    const first = await read(0);
    const queryId = this.#newQueryId();
    const local = new AbortController();
    const signal = options.signal ? anySignal([options.signal, local.signal]) : local.signal;
    let settled = false;
    const result = this.#send(
      link,
      () => ({ header: header(queryId), payload: first }),
      expectAck('uploadAck', 'upload'),
      { ...options, signal },
      queryId,
    ).finally(() => {
      settled = true;
    });
    try {
      await sendInParts(link, queryId, read, first.byteLength, size, () => settled);
    } catch (error) {
      if (settled) return result;
      local.abort();
      await result.catch(() => undefined);
      throw error;
    }
    return result;
  }

  #chunkBytes(link: Link, options: UploadOptions): number {
    const wanted = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    const limit = link.hello?.limits.maxBinaryMessageBytes ?? 0;
    // Leave room for the frame header within the server's message limit.
    return Math.max(1, limit > 0 ? Math.min(wanted, limit - 2048) : wanted);
  }

  async #openSession(link: Link): Promise<void> {
    need(link, Capability.Session, 'sessions');
    await this.#send(link, (queryId) => ({ type: 'beginSession', queryId }), expectAck('ok', 'beginSession'), {});
    this.#sessionLinks.add(link);
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
          // A refused token, or a session the server cannot give: trying again would not help.
          const fatal = error instanceof AuthenticationError || error instanceof NotSupportedError || this.#closed;
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
    const open = (subprotocols: readonly string[]) =>
      Link.open({
        url: this.url,
        WebSocket,
        ...(this.#options.authToken === undefined ? {} : { authToken: this.#options.authToken }),
        subprotocols,
        connectTimeoutMs: this.#options.connectTimeoutMs ?? 10_000,
        events: this.#linkEvents,
      });
    let link: Link;
    try {
      link = await open(this.#options.v1 === false ? [] : [SUBPROTOCOL_V1]);
    } catch (error) {
      // A `ws` client refuses a server that selected no subprotocol: that server speaks the baseline only.
      if (!(error instanceof SubprotocolRefusedError)) throw error;
      link = await open([]);
    }
    try {
      for (const channel of this.#channels) await link.control({ type: 'subscribe', channel }, 'subscribed');
      if (this.#sessionWanted) await this.#openSession(link);
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

/** A signal aborted when any of `signals` is. */
function anySignal(signals: readonly AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true, signal: controller.signal });
  }
  return controller.signal;
}

const now = (): number => globalThis.performance?.now() ?? Date.now();

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

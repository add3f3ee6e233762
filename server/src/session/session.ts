import { randomUUID } from 'node:crypto';
import {
  alignedArrowPayload,
  type ArrowQuery,
  type ClientBinaryHeader,
  type ClientMessage,
  CloseCode,
  ErrorCode,
  type ProtocolError,
  type ServerMessage,
  type ServerMessageText,
  errorReply,
  parseClientFrame,
  SUBPROTOCOL_V1,
  parseClientMessage,
  streamRequestProblem,
  v1FeaturesOf,
  stringifyServerMessage,
} from '@duckwire/protocol';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RawData, WebSocket } from 'ws';
import { tokenMatches } from '../auth/token.js';
import { Database } from '../database/database.js';
import type { ConnectionSource } from '../database/connection-source.js';
import { duckdbErrorType } from '../database/duckdb-error-type.js';
import { PinnedConnection } from '../database/pinned-connection.js';
import { WireError } from '../errors.js';
import type { ChannelRegistry, Subscriber } from '../pubsub/channel-registry.js';
import { type Admission, OverloadedError } from './admission.js';
import { Heartbeat } from './heartbeat.js';
import { type CancelReason, QueryTask } from './query-task.js';
import { type QueryContext, runQuery } from './run-query.js';
import { runChunkedArrowUpload, runFileUpload, runUpload } from './run-upload.js';
import { IncomingParts } from '../upload/incoming-parts.js';
import { SocketClosedError, SocketWriter } from './socket-writer.js';
import { SERVER_CAPABILITIES, buildHello } from './capabilities.js';
import { describeServer } from '../version.js';
import { CursorRegistry } from '../stream/cursor-registry.js';

/** The error a chunked upload's parts end with once nobody reads them. */
const DISCARDED = new Error('upload discarded');
/** Chunked uploads ended early whose late parts a session drops quietly (older ones are then unknown). */
const MAX_DISCARDING = 64;

/** What a session needs from the server. */
export interface SessionContext extends Omit<QueryContext, 'writer' | 'v1' | 'lessee' | 'connections' | 'cursors'> {
  readonly channels: ChannelRegistry;
  /** Whether the server is shutting down (new work is refused). */
  readonly isShuttingDown: () => boolean;
  /** The server-wide bound on queries in flight. */
  readonly admission: Admission;
}

/** Server-side state of one WebSocket connection: auth, in-flight queries, subscriptions. */
export class Session implements Subscriber {
  readonly #ws: WebSocket;
  readonly #context: SessionContext;
  readonly #queryContext: QueryContext;
  readonly #writer: SocketWriter;
  readonly #tasks = new Map<string, { task: QueryTask; done: Promise<void> }>();
  readonly #subscriptions = new Set<string>();
  readonly #cursors: CursorRegistry;
  /** Chunked uploads whose last part has not arrived yet, by queryId. */
  readonly #uploads = new Map<string, IncomingParts>();
  /** Chunked uploads that ended before their last part arrived: the rest of their parts are dropped. */
  readonly #discarding = new Set<string>();
  #authenticated: boolean;
  #closed = false;
  /** Whether this connection negotiated duckwire.v1 (the `duckwire.v1` subprotocol was selected). */
  readonly #v1: boolean;
  readonly #heartbeat: Heartbeat;
  /** The v1 session's pinned connection, from `beginSession` until `endSession` (or the socket's close). */
  #pinned: PinnedConnection | undefined;
  /** Settles once the last `endSession` has given its connection back; queries sent after it wait for it. */
  #sessionEnded: Promise<void> = Promise.resolve();

  constructor(ws: WebSocket, context: SessionContext) {
    this.#ws = ws;
    this.#context = context;
    this.#writer = new SocketWriter(ws);
    this.#v1 = ws.protocol === SUBPROTOCOL_V1;
    const { pool } = context.database;
    const pooled: ConnectionSource = {
      acquire: async (lessee, holder) => {
        await this.#sessionEnded;
        return pool.acquire(lessee, holder);
      },
      release: (connection, options) => pool.release(connection, options),
      pinned: false,
    };
    this.#cursors = new CursorRegistry({
      maxCursors: context.options.maxCursorsPerConnection,
      idleTimeoutMs: context.options.cursorIdleTimeoutMs,
    });
    this.#queryContext = {
      ...context,
      writer: this.#writer,
      v1: this.#v1,
      lessee: this,
      connections: pooled,
      cursors: this.#cursors,
    };
    this.#authenticated = context.options.authToken === undefined;
    this.#heartbeat = new Heartbeat(ws);
    if (this.#v1) this.#send(buildHello(context.options, describeServer(Database.version)));
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('close', () => this.#onClose());
    ws.on('error', (error) => context.logger.debug({ reason: error.message }, 'socket error'));
  }

  /** Queries of this session still running. */
  get inFlight(): number {
    return this.#tasks.size;
  }

  /** {@link Subscriber}: deliver a published notify. */
  deliver(text: ServerMessageText): void {
    this.#writer.sendText(text);
  }

  /** Cancel every in-flight query and wait until each has sent its terminal reply. */
  async cancelAll(reason: CancelReason): Promise<void> {
    const pending = [...this.#tasks.values()];
    for (const { task } of pending) task.cancel(reason);
    await Promise.all(pending.map(({ done }) => done));
  }

  /** Close the socket (after {@link cancelAll} at shutdown). */
  close(code: number, reason: string): void {
    this.#ws.close(code, reason);
  }

  /**
   * Called every ping interval: pings the peer, and drops it (interrupting its queries) once it
   * missed two pings.
   */
  heartbeat(): void {
    if (this.#closed || this.#heartbeat.beat()) return;
    this.#context.logger.info({ inFlight: this.#tasks.size }, 'peer missed two pings: connection dropped');
    this.#ws.terminate();
  }

  /** Drop the socket at once, without a closing handshake (a client that does not answer). */
  terminate(): void {
    this.#ws.terminate();
  }

  /** Resolves once every query of this session has ended (its terminal reply sent or its socket gone). */
  async settled(): Promise<void> {
    await Promise.all([...this.#tasks.values()].map(({ done }) => done));
  }

  /** Send a reply; one that breaks its schema (a bug of ours) is logged and never written. */
  #send(message: ServerMessage): void {
    let text: ServerMessageText;
    try {
      text = stringifyServerMessage(message);
    } catch (error) {
      this.#context.logger.error({ reason: (error as Error).message }, 'invalid reply not sent');
      text = stringifyServerMessage(errorReply({ code: ErrorCode.Internal, message: 'internal error: invalid reply' }));
    }
    this.#writer.sendText(text);
  }

  #sendError(error: ProtocolError & { readonly retryAfterMs?: number }): void {
    const reply = errorReply(error);
    // retryAfterMs is v1-only: baseline connections see exactly the baseline reply.
    this.#send(this.#v1 && error.retryAfterMs !== undefined ? { ...reply, retryAfterMs: error.retryAfterMs } : reply);
  }

  /**
   * Refuse a request that never started. Its error names its queryId only when no query or upload of
   * this connection is in flight under that id: an `error` with a queryId is that query's terminal
   * reply (protocol.md#errors), and the running one still gets its own.
   */
  #refuse(error: ProtocolError): void {
    const { queryId, ...rest } = error;
    this.#sendError(queryId === undefined || this.#tasks.has(queryId) ? rest : error);
  }

  #refuseUnauthorized(message: string): void {
    this.#context.logger.info('unauthorized connection closed');
    this.#sendError({ code: ErrorCode.Unauthorized, message: `unauthorized: ${message}` });
    this.#closed = true;
    this.#ws.close(CloseCode.Unauthorized, 'Unauthorized');
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (this.#closed) return;
    try {
      const bytes = toBytes(data);
      if (this.#refuseTooLarge(bytes.byteLength, isBinary)) return;
      if (isBinary) this.#onBinary(bytes);
      else this.#onText(bytes.toString('utf8'));
    } catch (error) {
      // A fault of ours must not take the process (or the other connections) down.
      this.#context.logger.error({ reason: (error as Error).stack }, 'message handler failed');
      this.#sendError({ code: ErrorCode.Internal, message: `internal error: ${(error as Error).message}` });
    }
  }

  /**
   * A message over its kind's limit is answered with `message_too_large` naming the limit, and the
   * connection is closed (1009). Checked before a text message is decoded or parsed: what it costs
   * is the bytes the WebSocket layer already holds, given back at once.
   */
  #refuseTooLarge(size: number, isBinary: boolean): boolean {
    const { maxTextMessageBytes, maxMessageBytes } = this.#context.options;
    const limit = isBinary ? maxMessageBytes : maxTextMessageBytes;
    if (size <= limit) return false;
    const kind = isBinary ? 'binary' : 'text';
    const name = isBinary ? 'maxBinaryMessageBytes' : 'maxTextMessageBytes';
    this.#context.logger.info({ bytes: size, limit, kind }, 'message too large: connection closed');
    this.#sendError({
      code: ErrorCode.MessageTooLarge,
      message: `message too large: a ${kind} message of ${size} bytes exceeds the limit of ${limit} bytes (${name})`,
    });
    this.#closed = true;
    this.#ws.close(CloseCode.MessageTooBig, 'Message Too Big');
    return true;
  }

  #onText(text: string): void {
    const parsed = parseClientMessage(text, { maxJsonDepth: this.#context.options.maxJsonDepth });
    if (!this.#authenticated) {
      if (!parsed.ok || parsed.value.type !== 'auth') {
        this.#refuseUnauthorized('authenticate with {"type":"auth","token":…} first');
        return;
      }
    }
    if (!parsed.ok) {
      this.#refuse(parsed.error);
      return;
    }
    if (this.#refuseNotNegotiated(parsed.value)) return;
    const problem = this.#v1 ? streamRequestProblem(parsed.value) : undefined;
    if (problem !== undefined) {
      const queryId = 'queryId' in parsed.value ? parsed.value.queryId : undefined;
      this.#refuse({ code: ErrorCode.InvalidMessage, message: problem, ...(queryId ? { queryId } : {}) });
      return;
    }
    this.#dispatch(parsed.value);
  }

  /**
   * A v1 field or message type is refused, never half-served, when this connection did not negotiate
   * duckwire.v1 or this server does not implement its capability.
   */
  #refuseNotNegotiated(message: ClientMessage | ClientBinaryHeader): boolean {
    const missing = v1FeaturesOf(message).find(
      (feature) => !this.#v1 || !SERVER_CAPABILITIES.has(feature.capability),
    );
    if (missing === undefined) return false;
    const queryId = 'queryId' in message ? message.queryId : undefined;
    this.#refuse({
      code: ErrorCode.NotNegotiated,
      message: this.#v1
        ? `"${missing.name}" is not supported by this server (capability "${missing.capability}" is not in hello)`
        : `"${missing.name}" requires the duckwire.v1 protocol (offer the WebSocket subprotocol duckwire.v1)`,
      ...(queryId ? { queryId } : {}),
    });
    return true;
  }

  #dispatch(message: ClientMessage): void {
    switch (message.type) {
      case 'auth':
        if (
          this.#context.options.authToken !== undefined &&
          (message.token === undefined || !tokenMatches(this.#context.options.authToken, message.token))
        ) {
          this.#refuseUnauthorized('wrong token');
          return;
        }
        this.#authenticated = true;
        // A v1 peer that had to authenticate learns the versions only now (hello did not carry them).
        if (this.#v1 && this.#context.options.authToken !== undefined) {
          this.#send({ type: 'authAck', server: describeServer(Database.version) });
        } else {
          this.#send({ type: 'authAck' });
        }
        return;
      case 'arrow':
      case 'json':
      case 'exec': {
        // Decided on arrival: a query sent inside a session runs on its connection, in order.
        const context = this.#pinned ? { ...this.#queryContext, connections: pinnedSource(this.#pinned) } : this.#queryContext;
        if (message.type === 'arrow' && message.stream) {
          this.#start(message.queryId, (task) => this.#runStream(context, message, task), message.timeoutMs);
          return;
        }
        this.#start(message.queryId, (task) => runQuery(context, message, task), message.timeoutMs);
        return;
      }
      case 'cancel': {
        const entry = this.#tasks.get(message.queryId);
        const cancelled = entry ? entry.task.cancel('client') : false;
        this.#send({ type: 'cancelAck', queryId: message.queryId, cancelled });
        return;
      }
      case 'subscribe':
        this.#subscriptions.add(message.channel);
        this.#context.channels.subscribe(message.channel, this);
        this.#send({ type: 'subscribed', channel: message.channel });
        return;
      case 'unsubscribe':
        this.#subscriptions.delete(message.channel);
        this.#context.channels.unsubscribe(message.channel, this);
        this.#send({ type: 'unsubscribed', channel: message.channel });
        return;
      case 'notify': {
        const text = stringifyServerMessage({ type: 'notify', channel: message.channel, payload: message.payload });
        this.#context.channels.publish(message.channel, text, this);
        this.#writer.sendText(text);
        this.#send({ type: 'notifyAck', channel: message.channel });
        return;
      }
      case 'ping':
        this.#send({ type: 'pong', ...(message.id !== undefined ? { id: message.id } : {}) });
        return;
      case 'fetch':
        // Not a query of its own: a fetch that fits no paused cursor is refused without a queryId,
        // so that the cursor's query (if any) still gets exactly one terminal reply.
        if (!this.#cursors.resume(message.queryId, message.rows)) {
          this.#sendError({
            code: ErrorCode.InvalidState,
            message: `fetch: "${message.queryId}" is not a paused cursor of this connection`,
          });
        }
        return;
      case 'beginSession':
        this.#beginSession(message.queryId);
        return;
      case 'endSession':
        this.#endSession(message.queryId);
        return;
      default: {
        // A message type added to ClientMessage but not handled here fails to compile.
        const unhandled: never = message;
        throw new Error(`unhandled client message ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** `beginSession`: pin a pooled connection to this socket; `ok` once it is held. */
  #beginSession(queryId: string | undefined): void {
    if (this.#pinned) {
      this.#refuseState(queryId, 'a session is already open on this connection (send endSession first)');
      return;
    }
    const pinned = new PinnedConnection();
    this.#pinned = pinned;
    const { pool } = this.#context.database;
    this.#start(queryId, async (task) => {
      let connection: DuckDBConnection;
      try {
        await this.#sessionEnded;
        connection = await pool.acquire(this, task);
      } catch (error) {
        if (this.#pinned === pinned) this.#pinned = undefined;
        pinned.fail(new WireError(ErrorCode.InvalidState, `the session did not start: ${(error as Error).message}`));
        throw error;
      }
      if (this.#closed) {
        // The socket closed while the connection was on its way: #onClose ends the session.
        pinned.ready(connection);
        return;
      }
      this.#send({ type: 'ok', queryId: task.queryId });
      pinned.ready(connection);
    });
  }

  /** `endSession`: after the session's earlier queries, roll back, reset and release its connection; then `ok`. */
  #endSession(queryId: string | undefined): void {
    const pinned = this.#pinned;
    if (!pinned) {
      this.#refuseState(queryId, 'no session is open on this connection (send beginSession first)');
      return;
    }
    this.#pinned = undefined;
    const ended = this.#closeSession(pinned);
    this.#sessionEnded = ended;
    this.#start(queryId, async (task) => {
      await ended;
      this.#send({ type: 'ok', queryId: task.queryId });
    });
  }

  /**
   * Wait for the session's queries (cancelled ones included) to give the connection back, roll back
   * an open transaction, and close the connection: its settings and temporary tables reach no one.
   * Never rejects.
   */
  async #closeSession(pinned: PinnedConnection): Promise<void> {
    const { pool } = this.#context.database;
    let connection: DuckDBConnection;
    try {
      connection = await pinned.acquire();
    } catch {
      return; // the session never got its connection
    }
    await connection.run('ROLLBACK').catch(() => undefined); // "no transaction is active" is fine
    pool.discard(connection);
  }

  #refuseState(queryId: string | undefined, message: string): void {
    this.#refuse({ code: ErrorCode.InvalidState, message, ...(queryId ? { queryId } : {}) });
  }

  /** A streamed arrow query: registered as a stream (a cursor with `fetchRows`) while it runs. */
  async #runStream(context: QueryContext, message: ArrowQuery, task: QueryTask): Promise<void> {
    this.#cursors.open(task.queryId, message.fetchRows !== undefined);
    try {
      await runQuery(context, message, task);
    } finally {
      this.#cursors.close(task.queryId);
    }
  }

  #onBinary(bytes: Buffer): void {
    if (!this.#authenticated) {
      this.#refuseUnauthorized('authenticate with {"type":"auth","token":…} first');
      return;
    }
    const frame = parseClientFrame(bytes);
    if (!frame.ok) {
      this.#refuse(frame.error);
      return;
    }
    if (this.#refuseNotNegotiated(frame.value.header)) return;
    const { header } = frame.value;
    // A whole upload is decoded in place: its bytes are moved to where apache-arrow need not copy them.
    const whole = header.type !== 'uploadChunk' && !header.chunked;
    const payload = whole ? alignedArrowPayload(frame.value.payload, bytes) : frame.value.payload;
    switch (header.type) {
      case 'uploadChunk':
        this.#continueUpload(header.queryId, payload, header.last === true);
        return;
      case 'uploadArrow':
        if (header.chunked) this.#startChunkedUpload(header, payload, (task, parts) => runChunkedArrowUpload(this.#queryContext, header, parts, task));
        else this.#start(header.queryId, (task) => runUpload(this.#queryContext, header, payload, task));
        return;
      case 'uploadFile':
        if (header.chunked) this.#startChunkedUpload(header, payload, (task, parts) => runFileUpload(this.#queryContext, header, parts, task));
        else this.#start(header.queryId, (task) => runFileUpload(this.#queryContext, header, payload, task));
        return;
      default: {
        const unhandled: never = header;
        throw new Error(`unhandled binary header ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /**
   * Start a chunked upload: its first part is `payload`, the rest arrive in `uploadChunk` frames
   * under its queryId (which it must therefore have). Until its last part arrives the upload stays
   * known here, even after it failed or was cancelled, so that the parts still in flight are
   * dropped quietly rather than answered as unknown.
   */
  #startChunkedUpload(
    header: { readonly queryId?: string | undefined },
    payload: Uint8Array,
    run: (task: QueryTask, parts: IncomingParts) => Promise<void>,
  ): void {
    const queryId = header.queryId;
    if (queryId === undefined) {
      this.#sendError({ code: ErrorCode.InvalidMessage, message: 'a chunked upload needs a queryId (its uploadChunk frames carry it)' });
      return;
    }
    const parts = new IncomingParts(this.#context.options.maxUploadBytes, {
      pause: () => this.#writer.holdReading(),
      resume: () => this.#writer.releaseReading(),
    });
    parts.push(payload, false);
    const task = this.#start(queryId, (task) =>
      run(task, parts).finally(() => {
        // Nobody reads the parts any more: let go of what is queued and of the socket.
        parts.fail(DISCARDED);
        if (this.#uploads.get(queryId) !== parts) return;
        // Ended before its last part (failed, cancelled): drop the parts still in flight.
        this.#uploads.delete(queryId);
        this.#discarding.add(queryId);
        if (this.#discarding.size > MAX_DISCARDING) this.#discarding.delete(this.#discarding.values().next().value!);
      }),
    );
    if (task === undefined) {
      parts.fail(DISCARDED);
      return;
    }
    this.#discarding.delete(queryId);
    this.#uploads.set(queryId, parts);
  }

  /** The next part of a chunked upload; for no upload in progress, `invalid_state` (without queryId: the id's own query, if any, is not ended by it). */
  #continueUpload(queryId: string, payload: Uint8Array, last: boolean): void {
    const parts = this.#uploads.get(queryId);
    if (parts === undefined && this.#discarding.has(queryId)) {
      if (last) this.#discarding.delete(queryId);
      return;
    }
    if (parts === undefined) {
      this.#sendError({
        code: ErrorCode.InvalidState,
        message: `uploadChunk for "${queryId}", which is not a chunked upload in progress on this connection`,
      });
      return;
    }
    parts.push(payload, last);
    if (last) this.#uploads.delete(queryId);
  }

  /**
   * Admit a query or upload, register its task under its queryId, run it, and send exactly one
   * terminal reply. Its timeout is the smaller of `timeoutMs` (v1) and the server's query timeout.
   */
  #start(requestedId: string | undefined, run: (task: QueryTask) => Promise<void>, timeoutMs?: number): QueryTask | undefined {
    const queryId = requestedId ?? randomUUID();
    if (this.#context.isShuttingDown()) {
      this.#refuse({ code: ErrorCode.ShuttingDown, message: 'the server is shutting down', queryId });
      return undefined;
    }
    if (this.#tasks.has(queryId)) {
      this.#sendError({
        code: ErrorCode.DuplicateQueryId,
        message: `queryId "${queryId}" is already in flight on this connection`,
        queryId,
      });
      return undefined;
    }
    const { admission, options } = this.#context;
    try {
      admission.enter(this.#tasks.size);
    } catch (error) {
      if (!(error instanceof OverloadedError)) throw error;
      this.#sendError({ code: error.code, message: error.message, queryId, retryAfterMs: error.retryAfterMs });
      return undefined;
    }
    const serverTimeout = options.queryTimeoutMs;
    const task = new QueryTask(queryId, {
      owner: this,
      timeoutMs: timeoutMs !== undefined && serverTimeout > 0 ? Math.min(timeoutMs, serverTimeout) : (timeoutMs ?? serverTimeout),
    });
    const done = run(task)
      .catch((error: unknown) => this.#reportFailure(task, error))
      .finally(() => {
        task.finish();
        this.#tasks.delete(queryId);
        admission.leave();
      });
    this.#tasks.set(queryId, { task, done });
    return task;
  }

  #reportFailure(task: QueryTask, error: unknown): void {
    const outcome = task.outcome(error);
    if (outcome instanceof SocketClosedError || !this.#writer.open) return;
    if (outcome instanceof WireError) {
      this.#sendError({ code: outcome.code, message: outcome.message, queryId: task.queryId });
      return;
    }
    if (outcome instanceof Error) {
      // DuckDB's own message (parser, binder, constraint, conflict after the retries, …).
      const reply = errorReply({ code: ErrorCode.QueryFailed, message: outcome.message, queryId: task.queryId });
      const errorType = this.#v1 ? duckdbErrorType(outcome.message) : undefined;
      this.#send(errorType === undefined ? reply : { ...reply, errorType });
      return;
    }
    this.#context.logger.error({ queryId: task.queryId, reason: String(outcome) }, 'unexpected query failure');
    this.#sendError({ code: ErrorCode.Internal, message: `internal error: ${String(outcome)}`, queryId: task.queryId });
  }

  #onClose(): void {
    this.#closed = true;
    for (const channel of this.#subscriptions) this.#context.channels.unsubscribe(channel, this);
    this.#subscriptions.clear();
    for (const { task } of this.#tasks.values()) task.cancel('disconnect');
    const pinned = this.#pinned;
    this.#pinned = undefined;
    // An open transaction of the session is rolled back, once its interrupted queries let go.
    if (pinned) void this.#closeSession(pinned);
    for (const parts of this.#uploads.values()) parts.fail(DISCARDED);
    this.#uploads.clear();
    this.#discarding.clear();
  }
}

/** A session's pinned connection as the source of its queries' connections. */
function pinnedSource(pinned: PinnedConnection): ConnectionSource {
  return { acquire: (_lessee, holder) => pinned.acquire(holder), release: () => pinned.release(), pinned: true };
}

function toBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}


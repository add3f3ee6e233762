/**
 * One WebSocket to a duckwire server: opens it (and authenticates), validates every message that arrives
 * with `@duckwire/protocol`, and routes it — query replies to the pending request of their `queryId`,
 * `subscribed` / `unsubscribed` / `notifyAck` to the control request waiting for them, `notify` to the
 * client. Nothing thrown while handling a message escapes the event handler. Reconnecting is the client's job.
 */
import {
  type ClientBinaryHeader,
  type ClientMessage,
  type ErrorReply,
  type HelloMessage,
  SUBPROTOCOL_V1,
  type ServerBinaryHeader,
  type ServerInfo,
  type ServerMessage,
  InvalidOutgoingMessageError,
  encodeFrame,
  parseServerFrame,
  stringifyClientMessage,
  validateServerMessage,
} from '@duckwire/protocol';
import {
  AuthenticationError,
  ConnectionError,
  type DuckwireError,
  InvalidRequestError,
  ProtocolViolationError,
  ServerError,
} from './errors.js';
import { OPEN, type WebSocketConstructor, type WebSocketLike } from './websocket.js';

/** What a request sends: a text message, or a binary frame (header and payload). */
export type Outbound = ClientMessage | { readonly header: ClientBinaryHeader; readonly payload: Uint8Array };

/** A reply addressed to one request by its `queryId`. */
export type Reply =
  | { readonly kind: 'text'; readonly message: ServerMessage }
  | { readonly kind: 'binary'; readonly header: ServerBinaryHeader; readonly payload: Uint8Array };

/** A request waiting for replies to its `queryId`. */
export interface PendingRequest {
  /** Handle a reply; return `'done'` when it ended the request, `'wait'` when more must come. May throw. */
  reply(reply: Reply): 'done' | 'wait';
  /** The request cannot finish (connection lost, malformed reply): reject it. */
  fail(error: Error): void;
}

/** What the client hears from a link. */
export interface LinkEvents {
  notify(channel: string, payload: unknown): void;
  /** A problem not tied to a request: a malformed message without `queryId`, an `error` nobody waits for. */
  stray(error: DuckwireError): void;
  /** The socket closed; every pending request has been rejected. */
  closed(link: Link, info: { code: number; reason: string; intentional: boolean }): void;
}

/** Settings of {@link Link.open}. */
export interface LinkOptions {
  readonly url: string;
  readonly WebSocket: WebSocketConstructor;
  readonly authToken?: string;
  /** Subprotocols to offer in the upgrade (`['duckwire.v1']`), or none for a baseline connection. */
  readonly subprotocols: readonly string[];
  readonly connectTimeoutMs: number;
  readonly events: LinkEvents;
}

/**
 * The connection attempt offered a subprotocol and failed during the handshake in a way that a server without
 * subprotocols causes: Node's `ws` says "Server sent no subprotocol"; browsers (Chromium) fail such a handshake
 * without giving a reason. The client tries once more at once without offering a subprotocol: if that works,
 * the server speaks only the baseline.
 */
export class SubprotocolRefusedError extends ConnectionError {
  constructor(url: string) {
    super('connect_failed', `could not connect to ${url} offering duckwire.v1 (the server may select no subprotocol)`);
    this.name = 'SubprotocolRefusedError';
  }
}

/** How `ws` reports a 101 answer without the subprotocol it offered. */
const NO_SUBPROTOCOL = /no subprotocol/i;

type ControlType = 'subscribed' | 'unsubscribed' | 'notifyAck';

interface ControlRequest {
  readonly type: ControlType;
  readonly channel: string;
  resolve(): void;
  reject(error: Error): void;
}

interface Handshake {
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The wire form of an outgoing message, built by the protocol's typed encoders (which check the schema).
 *
 * @throws InvalidRequestError when the message breaks its schema (e.g. a channel name over 256 characters).
 */
function encode(message: Outbound, queryId?: string): string | Uint8Array {
  try {
    return 'header' in message ? encodeFrame(message.header, message.payload) : stringifyClientMessage(message);
  } catch (error) {
    if (!(error instanceof InvalidOutgoingMessageError)) throw error;
    throw new InvalidRequestError(error.error.message, { ...(queryId === undefined ? {} : { queryId }), cause: error });
  }
}

/** Turn an `error` reply into the error a request rejects with. */
export function errorFromReply(message: ErrorReply): ServerError {
  const code = message.code ?? 'query_failed';
  if (code === 'unauthorized' && message.queryId === undefined) return new AuthenticationError(message.error);
  return new ServerError(code, message.error, {
    ...(message.queryId === undefined ? {} : { queryId: message.queryId }),
    ...(message.errorType === undefined ? {} : { errorType: message.errorType }),
    ...(message.retryAfterMs === undefined ? {} : { retryAfterMs: message.retryAfterMs }),
  });
}

/** An open, authenticated WebSocket to a duckwire server. */
export class Link {
  readonly #socket: WebSocketLike;
  readonly #options: LinkOptions;
  readonly #pending = new Map<string, PendingRequest>();
  readonly #controls: ControlRequest[] = [];
  readonly #pings = new Map<string, { resolve(): void; reject(error: Error): void }>();
  #handshake: Handshake | undefined;
  #intentionalClose = false;
  #closed = false;
  #refusedSubprotocol = false;
  #opened = false;
  /** Whether the server selected duckwire.v1 (known once the socket is open). */
  #v1 = false;
  #hello: HelloMessage | undefined;
  #authenticated = false;
  #serverInfo: ServerInfo | undefined;

  private constructor(socket: WebSocketLike, options: LinkOptions) {
    this.#socket = socket;
    this.#options = options;
  }

  /** Open a socket to `options.url` and authenticate when a token is given. Rejects with a {@link ConnectionError} or {@link AuthenticationError}. */
  static open(options: LinkOptions): Promise<Link> {
    let socket: WebSocketLike;
    try {
      socket =
        options.subprotocols.length > 0
          ? new options.WebSocket(options.url, [...options.subprotocols])
          : new options.WebSocket(options.url);
    } catch (error) {
      return Promise.reject(
        new ConnectionError('connect_failed', `could not connect to ${options.url}: ${(error as Error).message}`, {
          cause: error,
        }),
      );
    }
    socket.binaryType = 'arraybuffer';
    const link = new Link(socket, options);
    return link.#start();
  }

  #start(): Promise<Link> {
    const { url, connectTimeoutMs, authToken } = this.#options;
    return new Promise<Link>((resolve, reject) => {
      const timer =
        connectTimeoutMs > 0
          ? setTimeout(() => {
              this.#handshake = undefined;
              const waitingFor = this.#v1 && !this.#hello ? ' (the server selected duckwire.v1 but sent no hello)' : '';
              reject(
                new ConnectionError(
                  'connect_timeout',
                  `connecting to ${url} timed out after ${connectTimeoutMs} ms${waitingFor}`,
                ),
              );
              this.close();
            }, connectTimeoutMs)
          : undefined;
      this.#handshake = {
        resolve: () => {
          clearTimeout(timer);
          this.#handshake = undefined;
          resolve(this);
        },
        reject: (error) => {
          clearTimeout(timer);
          this.#handshake = undefined;
          reject(error);
        },
      };
      this.#socket.onopen = () => {
        this.#opened = true;
        // A browser opens even when the server selected no subprotocol: then this is a baseline connection.
        this.#v1 = this.#socket.protocol === SUBPROTOCOL_V1;
        // `auth` may go before `hello` arrives (the server reads in order; hello is still its first message).
        if (authToken !== undefined) this.#sendText({ type: 'auth', token: authToken });
        this.#settleHandshake();
      };
      this.#socket.onmessage = (event) => this.#onMessage(event.data);
      this.#socket.onerror = (event) => {
        // A close event follows; it carries the outcome. Here we learn whether the handshake may have failed
        // over the subprotocol: `ws` says so ("Server sent no subprotocol"); browsers give no reason at all
        // (Chromium fails a handshake whose answer lacks the offered subprotocol).
        if (!this.#handshake || this.#opened || this.#options.subprotocols.length === 0) return;
        const message = (event as { message?: unknown } | null)?.message;
        if (typeof message !== 'string' || message === '' || NO_SUBPROTOCOL.test(message)) {
          this.#refusedSubprotocol = true;
        }
      };
      this.#socket.onclose = (event) => this.#onClose(event.code, event.reason);
    });
  }

  /** Whether the socket is open. */
  get open(): boolean {
    return !this.#closed && this.#socket.readyState === OPEN;
  }

  /** The subprotocol the server selected (`''` for a baseline connection). */
  get protocol(): string {
    return this.#socket.protocol;
  }

  /** The server's `hello` (duckwire.v1 connections only). */
  get hello(): HelloMessage | undefined {
    return this.#hello;
  }

  /** Who the server is (v1: from `hello`, or from `authAck` when auth was required). */
  get serverInfo(): ServerInfo | undefined {
    return this.#serverInfo;
  }

  /** Whether the server announced `capability` in `hello` (always false on a baseline connection). */
  supports(capability: string): boolean {
    return this.#hello?.capabilities.includes(capability) ?? false;
  }

  /** The socket's `bufferedAmount` (bytes queued to send), 0 where the implementation does not tell. */
  get bufferedAmount(): number {
    return this.#socket.bufferedAmount ?? 0;
  }

  /** Register `pending` for `queryId`, then send `message` (text) or a binary frame. */
  request(queryId: string, pending: PendingRequest, message: Outbound): void {
    this.#assertOpen(queryId);
    this.#pending.set(queryId, pending);
    try {
      this.send(message, queryId);
    } catch (error) {
      this.#pending.delete(queryId);
      throw error;
    }
  }

  /** Send a message (text, or a binary frame) of request `queryId` without registering anything. */
  send(message: Outbound, queryId?: string): void {
    this.#assertOpen(queryId);
    const data = encode(message, queryId);
    try {
      this.#socket.send(data);
    } catch (error) {
      throw new ConnectionError(
        'connection_lost',
        `could not send to ${this.#options.url}: ${(error as Error).message}`,
        {
          ...(queryId === undefined ? {} : { queryId }),
          cause: error,
        },
      );
    }
  }

  /** Stop routing replies of `queryId` (after an abort or timeout); later replies are dropped. */
  forget(queryId: string): void {
    this.#pending.delete(queryId);
  }

  /** Ask the server to cancel `queryId` (its `cancelAck` is ignored). Never throws. */
  cancel(queryId: string): void {
    if (!this.open) return;
    try {
      this.#sendText({ type: 'cancel', queryId });
    } catch {
      // The socket is going away: the server interrupts the query itself.
    }
  }

  /** Send a subscribe / unsubscribe / notify and wait for its acknowledgement (matched by type and channel, in order). */
  control(message: ClientMessage & { channel: string }, expect: ControlType): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        this.#assertOpen();
        this.#controls.push({ type: expect, channel: message.channel, resolve, reject });
        this.#sendText(message);
      } catch (error) {
        const index = this.#controls.findIndex((control) => control.resolve === resolve);
        if (index >= 0) this.#controls.splice(index, 1);
        reject(error);
      }
    });
  }

  /** Send `ping` with `id` and resolve on its `pong`. */
  ping(id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        this.#assertOpen();
        this.#pings.set(id, { resolve, reject });
        this.#sendText({ type: 'ping', id });
      } catch (error) {
        this.#pings.delete(id);
        reject(error);
      }
    });
  }

  /** Close the socket on purpose: pending requests reject with `client_closed`. */
  close(code = 1000, reason = 'client closed'): void {
    this.#intentionalClose = true;
    try {
      this.#socket.close(code, reason);
    } catch {
      // Already closing.
    }
  }

  #assertOpen(queryId?: string): void {
    if (!this.open) {
      throw new ConnectionError('connection_lost', `the connection to ${this.#options.url} is not open`, {
        ...(queryId === undefined ? {} : { queryId }),
      });
    }
  }

  #sendText(message: ClientMessage): void {
    this.#socket.send(encode(message));
  }

  /** The handshake is done once the socket is open, `hello` came (v1) and `authAck` came (when a token was sent). */
  #settleHandshake(): void {
    if (!this.#handshake || this.#socket.readyState !== OPEN) return;
    if (this.#v1 && !this.#hello) return;
    if (this.#options.authToken !== undefined && !this.#authenticated) return;
    if (this.#hello?.auth === 'required' && this.#options.authToken === undefined) {
      this.#handshake.reject(
        new AuthenticationError('unauthorized: this server requires a token (pass the authToken option)'),
      );
      this.close(1000, 'no token');
      return;
    }
    this.#handshake.resolve();
  }

  #onMessage(data: unknown): void {
    try {
      if (typeof data === 'string') this.#onText(data);
      else if (data instanceof ArrayBuffer) this.#onBinary(new Uint8Array(data));
      else if (ArrayBuffer.isView(data)) this.#onBinary(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      else this.#options.events.stray(new ProtocolViolationError('a message of an unknown kind arrived'));
    } catch (error) {
      this.#report(error);
    }
  }

  #onText(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Not JSON: an aborted (streamed) json result. It carries no reply; the `error` for its query follows.
      return;
    }
    const parsed = validateServerMessage(value);
    if (!parsed.ok) {
      const { code, message, queryId } = parsed.error;
      // Unknown message types without a queryId are ignored (forward compatibility).
      if (code === 'unknown_type' && queryId === undefined) return;
      this.#malformed(message, queryId);
      return;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'authAck':
        this.#authenticated = true;
        if (message.server) this.#serverInfo = message.server;
        this.#settleHandshake();
        return;
      case 'notify':
        this.#options.events.notify(message.channel, message.payload);
        return;
      case 'subscribed':
      case 'unsubscribed':
      case 'notifyAck':
        this.#acknowledge(message.type, message.channel);
        return;
      case 'pong': {
        const ping = message.id === undefined ? undefined : this.#pings.get(message.id);
        if (ping && message.id !== undefined) {
          this.#pings.delete(message.id);
          ping.resolve();
        }
        return;
      }
      case 'cancelAck':
        return;
      case 'hello':
        this.#onHello(message);
        return;
      case 'error':
        if (message.queryId === undefined) {
          this.#unaddressedError(message);
          return;
        }
        if (message.code === 'duplicate_query_id') {
          // Not the terminal reply of the original query (protocol rule); it still runs.
          this.#options.events.stray(errorFromReply(message));
          return;
        }
        this.#route(message.queryId, { kind: 'text', message });
        return;
      default:
        this.#route(message.queryId, { kind: 'text', message });
    }
  }

  /** `hello` is the first message of a v1 connection, and comes once; anything else is the server's fault. */
  #onHello(message: HelloMessage): void {
    if (!this.#v1 || this.#hello) {
      this.#options.events.stray(
        new ProtocolViolationError('an unexpected hello arrived (not the first message of a duckwire.v1 connection)'),
      );
      return;
    }
    this.#hello = message;
    if (message.server) this.#serverInfo = message.server;
    this.#settleHandshake();
  }

  #onBinary(bytes: Uint8Array): void {
    const parsed = parseServerFrame(bytes);
    if (!parsed.ok) {
      this.#malformed(parsed.error.message, parsed.error.queryId);
      return;
    }
    const { header, payload } = parsed.value;
    this.#route(header.queryId, { kind: 'binary', header, payload });
  }

  #route(queryId: string, reply: Reply): void {
    const pending = this.#pending.get(queryId);
    if (!pending) return; // a late reply to an aborted or timed-out request
    let outcome: 'done' | 'wait';
    try {
      outcome = pending.reply(reply);
    } catch (error) {
      this.#pending.delete(queryId);
      pending.fail(error as Error);
      return;
    }
    if (outcome === 'done') this.#pending.delete(queryId);
  }

  #malformed(message: string, queryId: string | undefined): void {
    const error = new ProtocolViolationError(`malformed reply from the server: ${message}`, {
      ...(queryId === undefined ? {} : { queryId }),
    });
    const pending = queryId === undefined ? undefined : this.#pending.get(queryId);
    if (pending && queryId !== undefined) {
      this.#pending.delete(queryId);
      pending.fail(error);
    } else {
      this.#options.events.stray(error);
    }
  }

  /** An `error` without queryId: a failed handshake, a refused control request, or a notice for the app. */
  #unaddressedError(message: ErrorReply): void {
    const error = errorFromReply(message);
    if (this.#handshake) {
      this.#handshake.reject(error);
      this.close(1000, 'handshake failed');
      return;
    }
    // The client sends only well-formed messages, so a refusal answers the oldest control request — except
    // `invalid_state` (a cursor `fetch` that came too late: it ends nothing) and a lost authentication.
    const answersControl = error.code !== 'unauthorized' && error.code !== 'invalid_state';
    const control = answersControl ? this.#controls.shift() : undefined;
    if (control) control.reject(error);
    else this.#options.events.stray(error);
  }

  #acknowledge(type: ControlType, channel: string): void {
    const index = this.#controls.findIndex((control) => control.type === type && control.channel === channel);
    if (index < 0) return;
    const [control] = this.#controls.splice(index, 1);
    control?.resolve();
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    const intentional = this.#intentionalClose;
    const { url } = this.#options;
    const error = intentional
      ? new ConnectionError('client_closed', 'the client was closed')
      : new ConnectionError(
          'connection_lost',
          `the connection to ${url} was lost (close code ${code}${reason ? `: ${reason}` : ''})`,
        );
    if (this.#handshake) {
      this.#handshake.reject(
        intentional
          ? error
          : this.#refusedSubprotocol
            ? new SubprotocolRefusedError(url)
            : new ConnectionError(
                'connect_failed',
                `could not connect to ${url} (close code ${code}${reason ? `: ${reason}` : ''})`,
              ),
      );
    }
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of pending) this.#safely(() => request.fail(error));
    const controls = this.#controls.splice(0);
    for (const control of controls) this.#safely(() => control.reject(error));
    const pings = [...this.#pings.values()];
    this.#pings.clear();
    for (const ping of pings) this.#safely(() => ping.reject(error));
    this.#safely(() => this.#options.events.closed(this, { code, reason, intentional }));
  }

  #safely(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#report(error);
    }
  }

  #report(error: unknown): void {
    try {
      this.#options.events.stray(
        error instanceof ProtocolViolationError
          ? error
          : new ProtocolViolationError(`error while handling a server message: ${(error as Error)?.message ?? error}`, {
              cause: error,
            }),
      );
    } catch {
      // The app's error callback threw: nothing more we can do without throwing out of an event handler.
    }
  }
}

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
  type ServerBinaryHeader,
  type ServerMessage,
  encodeFrame,
  parseServerFrame,
  validateServerMessage,
} from '@duckwire/protocol';
import {
  AuthenticationError,
  ConnectionError,
  type DuckwireError,
  ProtocolViolationError,
  ServerError,
} from './errors.js';
import { OPEN, type WebSocketConstructor, type WebSocketLike } from './websocket.js';

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
  readonly connectTimeoutMs: number;
  readonly events: LinkEvents;
}

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

/** Turn an `error` reply into the error a request rejects with. */
export function errorFromReply(message: ErrorReply): ServerError {
  const code = message.code ?? 'query_failed';
  if (code === 'unauthorized' && message.queryId === undefined) return new AuthenticationError(message.error);
  const errorType = (message as { errorType?: unknown }).errorType;
  return new ServerError(code, message.error, {
    ...(message.queryId === undefined ? {} : { queryId: message.queryId }),
    ...(typeof errorType === 'string' ? { errorType } : {}),
  });
}

/** An open, authenticated WebSocket to a duckwire server. */
export class Link {
  readonly #socket: WebSocketLike;
  readonly #options: LinkOptions;
  readonly #pending = new Map<string, PendingRequest>();
  readonly #controls: ControlRequest[] = [];
  #handshake: Handshake | undefined;
  #intentionalClose = false;
  #closed = false;

  private constructor(socket: WebSocketLike, options: LinkOptions) {
    this.#socket = socket;
    this.#options = options;
  }

  /** Open a socket to `options.url` and authenticate when a token is given. Rejects with a {@link ConnectionError} or {@link AuthenticationError}. */
  static open(options: LinkOptions): Promise<Link> {
    let socket: WebSocketLike;
    try {
      socket = new options.WebSocket(options.url);
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
              reject(
                new ConnectionError('connect_timeout', `connecting to ${url} timed out after ${connectTimeoutMs} ms`),
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
        if (authToken === undefined) {
          this.#handshake?.resolve();
          return;
        }
        this.#sendText({ type: 'auth', token: authToken });
      };
      this.#socket.onmessage = (event) => this.#onMessage(event.data);
      this.#socket.onerror = () => {
        // A close event follows; it carries the outcome.
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

  /** Register `pending` for `queryId`, then send `message` (text) or a binary frame. */
  request(
    queryId: string,
    pending: PendingRequest,
    message: ClientMessage | { header: ClientBinaryHeader; payload: Uint8Array },
  ): void {
    this.#assertOpen(queryId);
    this.#pending.set(queryId, pending);
    try {
      if ('header' in message) this.#socket.send(encodeFrame(message.header, message.payload));
      else this.#socket.send(JSON.stringify(message));
    } catch (error) {
      this.#pending.delete(queryId);
      throw new ConnectionError(
        'connection_lost',
        `could not send to ${this.#options.url}: ${(error as Error).message}`,
        {
          queryId,
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
    this.#socket.send(JSON.stringify(message));
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
        this.#handshake?.resolve();
        return;
      case 'notify':
        this.#options.events.notify(message.channel, message.payload);
        return;
      case 'subscribed':
      case 'unsubscribed':
      case 'notifyAck':
        this.#acknowledge(message.type, message.channel);
        return;
      case 'cancelAck':
      case 'pong':
        return;
      case 'hello':
        // Only sent on a duckwire.v1 connection, which this client does not ask for yet.
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
    // The client sends only well-formed messages, so such an error answers the oldest control request.
    const control = this.#controls.shift();
    if (control && error.code !== 'unauthorized') control.reject(error);
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

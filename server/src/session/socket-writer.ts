import type { FrameHead, JsonResultHead, ServerMessageText } from '@duckwire/protocol';
import type { WebSocket } from 'ws';

/** Results up to this size are sent as one whole WebSocket message; larger ones are streamed in fragments. */
const WHOLE_MESSAGE_BYTES = 1024 * 1024;
/** Stop pulling more of a result while this much is buffered for a socket, until it drains. */
const HIGH_WATER_BYTES = 8 * 1024 * 1024;
/** How often a paused socket checks whether its buffer drained. */
const DRAIN_POLL_MS = 10;

/** The socket went away while a result was being sent. */
export class SocketClosedError extends Error {
  constructor() {
    super('the WebSocket closed');
    this.name = 'SocketClosedError';
  }
}

/** A message is streamed as text (a JSON document) or binary (a frame) pieces. */
export type MessagePiece = string | Uint8Array;

/** Options of {@link SocketWriter.sendStreamed}. */
export interface StreamOptions<P extends MessagePiece> {
  /** Checked between pieces and before the last one: when true, the message is aborted. */
  readonly isCancelled: () => boolean;
  /** The error to throw when {@link isCancelled} turns true. */
  readonly cancelledError: () => unknown;
  /** What ends an aborted message so that no reader takes it for a complete one. */
  readonly abortTail: P;
  /**
   * Called once for every piece (the head included) when the writer is done with it: its bytes
   * were handed to the operating system (the socket's write called back, successfully or not),
   * copied into a joined message, or dropped unsent. From then on the piece's memory may be
   * reused, e.g. given back to the pool it came from.
   */
  readonly onSent?: (piece: P) => void;
}

const sizeOf = (piece: MessagePiece) => (typeof piece === 'string' ? piece.length : piece.byteLength);

const join = (pieces: readonly MessagePiece[]): MessagePiece => {
  if (pieces.length === 1) return pieces[0];
  if (typeof pieces[0] === 'string') return pieces.join('');
  return Buffer.concat(pieces as Uint8Array[]);
};

type SentCallback = (error?: Error) => void;

/**
 * Writes one socket's outgoing messages in order. A large result is sent as fragments of one
 * WebSocket message, and while that message is open nothing else may be written to the socket:
 * other messages wait in line until it ends. Writes respect backpressure: a streamed result pulls
 * its next piece only while the socket's buffer is below a bound.
 */
export class SocketWriter {
  readonly #ws: WebSocket;
  #lock: Promise<void> = Promise.resolve();
  #holders = 0;
  #drainTimer: ReturnType<typeof setInterval> | undefined;
  /** How many sources want the client's messages left unread ({@link holdReading}). */
  #readHolds = 0;

  constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  /** Whether the socket is still open. */
  get open(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  /**
   * Send a text message (now, or after the streamed message being written). Only the protocol's
   * `stringifyServerMessage` makes a {@link ServerMessageText}: what is sent here always validates.
   */
  sendText(text: ServerMessageText): void {
    this.#send(text, false);
  }

  /** Send a binary message as one piece: a checked frame head (`encodeFrameHead`), then the payload. */
  sendBinary(head: FrameHead, payload: Uint8Array): void {
    this.#send(Buffer.concat([head, payload]), true);
  }

  /**
   * Send one binary message — a checked frame head (`encodeFrameHead`), then `payload` — in its
   * turn (after a streamed message being written), and resolve once the socket can take more: at
   * once while its buffer stays below the high-water mark, else when this message was flushed.
   * A streamed result awaits this before it asks DuckDB for more rows, so a client that reads
   * slowly holds the query back instead of filling the server's memory. `onSent(payload)` is
   * called once the writer is done with the payload. Rejects with {@link SocketClosedError} when
   * the socket closed first.
   */
  sendFrame(head: FrameHead, payload: Uint8Array, onSent?: (payload: Uint8Array) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const write = () => {
        if (!this.open) {
          onSent?.(payload);
          reject(new SocketClosedError());
          return;
        }
        // Two fragments of one message, written back to back: nothing can come between them.
        this.#ws.send(head, { binary: true, fin: false });
        const wait = this.#ws.bufferedAmount + payload.byteLength > HIGH_WATER_BYTES;
        this.#ws.send(payload, { binary: true, fin: true }, (error) => {
          onSent?.(payload);
          if (!wait) return;
          if (error) reject(new SocketClosedError());
          else resolve();
        });
        if (!wait) resolve();
      };
      if (this.#holders === 0) write();
      else void this.#withLock(async () => write());
    });
  }

  /** Sends (now or after the streamed message being written); `sent` is called once the writer is done with `data`. */
  #send(data: string | Uint8Array, binary: boolean, sent?: SentCallback): void {
    if (this.#holders === 0) {
      this.#write(data, binary, sent);
      return;
    }
    void this.#withLock(async () => this.#write(data, binary, sent));
  }

  #write(data: string | Uint8Array, binary: boolean, sent?: SentCallback): void {
    if (!this.open) {
      sent?.(new SocketClosedError());
      return;
    }
    this.#ws.send(data, { binary }, sent);
    if (this.#ws.bufferedAmount > HIGH_WATER_BYTES) this.#pauseReading();
  }

  /**
   * Stop reading the client's messages until {@link releaseReading} is called as many times:
   * holds from several sources (replies piling up, a chunked upload's parts piling up) add up.
   */
  holdReading(): void {
    if (this.#readHolds++ === 0) this.#ws.pause();
  }

  /** Give back one {@link holdReading}; reading resumes once none is left. */
  releaseReading(): void {
    if (--this.#readHolds === 0 && this.open) this.#ws.resume();
  }

  /**
   * The client is not reading its replies: stop reading its requests (so it cannot queue more work)
   * until the socket's buffer drains below half the bound.
   */
  #pauseReading(): void {
    if (this.#drainTimer) return;
    this.holdReading();
    this.#drainTimer = setInterval(() => {
      if (this.open && this.#ws.bufferedAmount > HIGH_WATER_BYTES / 2) return;
      clearInterval(this.#drainTimer);
      this.#drainTimer = undefined;
      this.releaseReading();
    }, DRAIN_POLL_MS);
    this.#drainTimer.unref?.();
  }

  async #withLock<T>(fn: () => Promise<T>): Promise<T> {
    this.#holders++;
    const previous = this.#lock;
    let release!: () => void;
    this.#lock = new Promise((resolve) => {
      release = resolve;
    });
    try {
      await previous;
      return await fn();
    } finally {
      this.#holders--;
      release();
    }
  }

  /**
   * Send `head` followed by every piece of `pieces` as ONE WebSocket message (text when the pieces
   * are strings, binary otherwise). The head comes from the protocol's checked encoders
   * (`jsonResultHead`, `encodeFrameHead`). Small results are gathered and sent whole; beyond
   * {@link WHOLE_MESSAGE_BYTES} the message is opened and its pieces are sent as fragments as they
   * come, one piece always held back so that a failure or a cancellation seen before the end can
   * still abort the message (with `abortTail`) instead of completing it. Errors raised before the
   * message was opened are thrown with nothing sent.
   */
  async sendStreamed<P extends MessagePiece>(
    head: P & (JsonResultHead | FrameHead),
    pieces: AsyncIterable<P>,
    options: StreamOptions<P>,
  ): Promise<void> {
    const binary = typeof head !== 'string';
    const onSent = options.onSent as ((piece: MessagePiece) => void) | undefined;
    // Pieces not handed on yet: still ours (the writer's) to send, join or drop.
    const held: MessagePiece[] = [head];
    let heldSize = sizeOf(head);
    let release: (() => void) | undefined;
    const iterator = pieces[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await iterator.next();
        if (options.isCancelled()) throw options.cancelledError();
        if (!this.open) throw new SocketClosedError();
        if (next.done) break;
        held.push(next.value);
        heldSize += sizeOf(next.value);
        if (heldSize > WHOLE_MESSAGE_BYTES) {
          release ??= await this.#acquire();
          while (held.length > 1) {
            const piece = held.shift()!;
            heldSize -= sizeOf(piece);
            await this.#fragment(piece, binary, false, onSent);
          }
        }
      }
      const last = this.#takeJoined(held, onSent);
      const lastPiece = last.piece;
      const sent: SentCallback | undefined =
        onSent && lastPiece !== undefined ? () => onSent(lastPiece) : undefined;
      if (!release) {
        this.#send(last.data, binary, sent);
        return;
      }
      await this.#fragment(last.data, binary, true, undefined, sent);
    } catch (error) {
      await iterator.return?.();
      if (release && this.open) this.#ws.send(options.abortTail, { binary, fin: true });
      throw error;
    } finally {
      // Pieces never handed on (an error or a cancellation came first) are done with too.
      if (onSent) for (const piece of held.splice(0)) onSent(piece);
      release?.();
    }
  }

  /**
   * Empties `held` into the data of one send: the single piece itself (returned as `piece`, to
   * report once sent), or a copy joining them all (each piece reported done at once).
   */
  #takeJoined(
    held: MessagePiece[],
    onSent: ((piece: MessagePiece) => void) | undefined,
  ): { readonly data: MessagePiece; readonly piece: MessagePiece | undefined } {
    const pieces = held.splice(0);
    const data = join(pieces);
    if (pieces.length === 1) return { data, piece: pieces[0] };
    if (onSent) for (const piece of pieces) onSent(piece);
    return { data, piece: undefined };
  }

  /** Take the socket for one streamed message; resolves to the function that gives it back. */
  #acquire(): Promise<() => void> {
    return new Promise((resolveAcquired) => {
      void this.#withLock(
        () =>
          new Promise<void>((resolveReleased) => {
            resolveAcquired(resolveReleased);
          }),
      );
    });
  }

  /**
   * Send one fragment; when the socket's buffer is above the bound, wait until this fragment is
   * flushed. `onSent(piece)` (or `sent`) is called once the socket is done with the piece.
   */
  #fragment(
    piece: MessagePiece,
    binary: boolean,
    fin: boolean,
    onSent?: (piece: MessagePiece) => void,
    sent: SentCallback | undefined = onSent && (() => onSent(piece)),
  ): Promise<void> {
    if (!this.open) {
      sent?.(new SocketClosedError());
      return Promise.reject(new SocketClosedError());
    }
    if (this.#ws.bufferedAmount + sizeOf(piece) <= HIGH_WATER_BYTES) {
      this.#ws.send(piece, { binary, fin }, sent);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.#ws.send(piece, { binary, fin }, (error) => {
        sent?.(error);
        if (error) reject(new SocketClosedError());
        else resolve();
      });
    });
  }
}

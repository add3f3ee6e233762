/**
 * The bytes of one chunked upload (duckwire.v1 `chunked: true`), as they arrive in `uploadChunk`
 * frames, handed to the loader as an async iterable. It exists to keep the server's memory bounded
 * by a part rather than the whole upload: when parts pile up faster than the loader takes them,
 * the socket stops being read until the loader catches up.
 */
import { ErrorCode } from '@duckwire/protocol';
import { WireError } from '../errors.js';

/** Stops and restarts reading from the client's socket. */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/** Parts queued before the socket is paused; it is resumed once the loader has taken them all. */
const PAUSE_AT_PARTS = 2;

/**
 * The parts of one chunked upload. {@link push} adds what a frame carried; the loader iterates the
 * parts in order (one iteration only). After {@link fail} — the loader gave up, the upload was
 * cancelled, a limit was passed — the parts still to come are dropped, not queued, until the last.
 */
export class IncomingParts implements AsyncIterable<Uint8Array> {
  readonly #maxBytes: number;
  readonly #flow: FlowControl;
  readonly #queue: Uint8Array[] = [];
  #received = 0;
  #last = false;
  #failed = false;
  #failure: unknown;
  #paused = false;
  #wake: (() => void) | undefined;

  /**
   * @param maxBytes - the most bytes all parts together may hold; one more fails the upload with
   *   `message_too_large`.
   * @param flow - pauses the socket while parts pile up.
   */
  constructor(maxBytes: number, flow: FlowControl) {
    this.#maxBytes = maxBytes;
    this.#flow = flow;
  }

  /** Bytes received so far (dropped ones included). */
  get received(): number {
    return this.#received;
  }

  /** Whether the last part has arrived. */
  get complete(): boolean {
    return this.#last;
  }

  /** Add the bytes of the next part; `last` marks the final one. Ignored after the last part. */
  push(bytes: Uint8Array, last: boolean): void {
    if (this.#last) return;
    this.#last = last;
    this.#received += bytes.byteLength;
    if (!this.#failed && this.#received > this.#maxBytes) {
      this.fail(
        new WireError(
          ErrorCode.MessageTooLarge,
          `the upload is larger than the server's limit of ${this.#maxBytes} bytes (maxUploadBytes)`,
        ),
      );
    }
    if (this.#failed) return;
    if (bytes.byteLength > 0) this.#queue.push(bytes);
    if (!this.#paused && this.#queue.length >= PAUSE_AT_PARTS) {
      this.#paused = true;
      this.#flow.pause();
    }
    this.#notify();
  }

  /** Give up: drop what is queued and what is still to come; the iteration throws `error`. */
  fail(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#failure = error;
    this.#queue.length = 0;
    this.#resume();
    this.#notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      if (this.#failed) throw this.#failure;
      const next = this.#queue.shift();
      if (next !== undefined) {
        if (this.#queue.length === 0) this.#resume();
        yield next;
        continue;
      }
      if (this.#last) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#flow.resume();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

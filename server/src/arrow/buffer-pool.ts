/**
 * Messages smaller than this are plain allocations: the pool is for record batches, whose
 * churn (a fresh multi-megabyte ArrayBuffer per batch) would otherwise pile up as external
 * memory until V8 happens to collect it.
 */
const MIN_POOLED_BYTES = 64 * 1024;
/** Pooled buffers are allocated in multiples of this, so that batches of similar size share them. */
const GRANULE = 64 * 1024;

const roundUp = (n: number) => Math.ceil(n / GRANULE) * GRANULE;

/** Options of {@link BufferPool}. */
export interface BufferPoolOptions {
  /** Most free buffers kept for reuse. */
  readonly maxFree?: number;
  /** Most bytes of free buffers kept for reuse. */
  readonly maxFreeBytes?: number;
}

/**
 * Recycles the output buffers of encoded messages. {@link take} hands out a view of a buffer
 * (reused when one is free and large enough); the buffer is reused only after it was given back
 * with {@link give}, which must happen only once nothing reads the bytes any more (e.g. the
 * socket's write of them called back). A buffer never given back is simply garbage: leaving a
 * buffer out is always safe, giving it back early is not.
 */
export class BufferPool {
  readonly #maxFree: number;
  readonly #maxFreeBytes: number;
  /** Buffers this pool handed out and has not had back yet. */
  readonly #lent = new WeakSet<ArrayBuffer>();
  /** Free buffers, smallest first. */
  readonly #free: ArrayBuffer[] = [];
  #freeBytes = 0;

  constructor(options: BufferPoolOptions = {}) {
    this.#maxFree = options.maxFree ?? 8;
    this.#maxFreeBytes = options.maxFreeBytes ?? 32 * 1024 * 1024;
  }

  /** Bytes held by free buffers. */
  get freeBytes(): number {
    return this.#freeBytes;
  }

  /** Number of free buffers. */
  get freeCount(): number {
    return this.#free.length;
  }

  /**
   * `size` bytes to write a message into, starting at byte offset 0 of their buffer (so 8-byte
   * aligned). The content is unspecified (a reused buffer holds old bytes): write every byte.
   */
  take(size: number): Uint8Array {
    if (size < MIN_POOLED_BYTES) return new Uint8Array(size);
    const free = this.#free;
    let buffer: ArrayBuffer | undefined;
    for (let i = 0; i < free.length; i++) {
      // The smallest that fits, unless it is far too large (e.g. a small batch of a wide result).
      if (free[i].byteLength >= size) {
        if (free[i].byteLength <= size * 4 + GRANULE) {
          buffer = free[i];
          free.splice(i, 1);
          this.#freeBytes -= buffer.byteLength;
        }
        break;
      }
    }
    buffer ??= new ArrayBuffer(roundUp(size));
    this.#lent.add(buffer);
    return new Uint8Array(buffer, 0, size);
  }

  /**
   * Gives back a buffer from {@link take} for reuse: call only once nothing reads it any more.
   * Pieces that did not come from this pool (or that were given back already) are ignored.
   */
  give(piece: Uint8Array | string): void {
    if (typeof piece === 'string') return;
    const buffer = piece.buffer;
    if (!(buffer instanceof ArrayBuffer) || !this.#lent.delete(buffer)) return;
    const free = this.#free;
    let at = 0;
    while (at < free.length && free[at].byteLength < buffer.byteLength) at++;
    free.splice(at, 0, buffer);
    this.#freeBytes += buffer.byteLength;
    // Over the bounds: drop the smallest buffers (the large ones are the expensive ones to redo).
    while (free.length > this.#maxFree || (this.#freeBytes > this.#maxFreeBytes && free.length > 0)) {
      this.#freeBytes -= free.shift()!.byteLength;
    }
  }
}

/** The pool the Arrow encoder takes record batch buffers from unless told otherwise. */
export const arrowBufferPool = new BufferPool();

/**
 * Gives an Arrow stream piece back to {@link arrowBufferPool} once the socket is done with it:
 * the `onSent` hook of `SocketWriter.sendStreamed` for `encodeArrowStream`'s pieces.
 */
export function releaseArrowPiece(piece: Uint8Array | string): void {
  arrowBufferPool.give(piece);
}

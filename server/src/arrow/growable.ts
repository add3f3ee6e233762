/** A byte buffer that grows by doubling; `bytes.subarray(0, n)` is the used part. */
export class GrowableBytes {
  bytes: Uint8Array;
  /** A little-endian view of {@link bytes} (words written at any byte offset). */
  view: DataView;

  constructor(initialCapacity = 1024) {
    this.bytes = new Uint8Array(initialCapacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Makes room for at least `capacity` bytes, keeping the content. New bytes are zero. */
  reserve(capacity: number): Uint8Array {
    if (capacity > this.bytes.length) {
      const next = new Uint8Array(Math.max(capacity, this.bytes.length * 2));
      next.set(this.bytes);
      this.bytes = next;
      this.view = new DataView(next.buffer);
    }
    return this.bytes;
  }
}

/** An Int32 buffer that grows by doubling; `values.subarray(0, n)` is the used part. */
export class GrowableInt32 {
  values: Int32Array;

  constructor(initialCapacity = 1024) {
    this.values = new Int32Array(initialCapacity);
  }

  /** Makes room for at least `capacity` values, keeping the content. */
  reserve(capacity: number): Int32Array {
    if (capacity > this.values.length) {
      const next = new Int32Array(Math.max(capacity, this.values.length * 2));
      next.set(this.values);
      this.values = next;
    }
    return this.values;
  }

  /** The bytes of the first `count` values. */
  bytesOf(count: number): Uint8Array {
    return new Uint8Array(this.values.buffer, this.values.byteOffset, count * 4);
  }

  /** The offsets buffer of an array of `length` rows: `length + 1` offsets, or nothing when it is empty. */
  offsetsOf(length: number): Uint8Array {
    return length === 0 ? new Uint8Array(0) : this.bytesOf(length + 1);
  }
}

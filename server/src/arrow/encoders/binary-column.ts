import type { RawVector } from '../../database/vector-memory.js';
import type { BodySink } from '../body-sink.js';
import { GrowableBytes, GrowableInt32 } from '../growable.js';
import { ValidityBuilder } from '../validity-builder.js';
import type { ColumnEncoder } from './column-encoder.js';

/**
 * The part every encoder of an Arrow Utf8 or Binary column shares (VARCHAR, BLOB, BIT and UUID):
 * the validity bitmap, the int32 offsets and the value bytes of the batch being built, in buffers
 * reused from batch to batch, and how they are flushed. Subclasses say how rows are appended.
 */
export abstract class BinaryColumnEncoder implements ColumnEncoder {
  protected readonly validity = new ValidityBuilder();
  protected readonly offsets = new GrowableInt32(1025);
  /** The value bytes of the batch. */
  protected readonly data = new GrowableBytes(0);
  /** Rows appended since the last flush. */
  protected length = 0;
  /** Value bytes appended since the last flush. */
  protected dataBytes = 0;

  get byteLength(): number {
    return this.dataBytes + this.length * 4;
  }

  abstract append(vector: RawVector, size: number, sel: Int32Array | null): void;

  flush(sink: BodySink): void {
    const length = this.validity.writeNode(sink);
    sink.buffer(this.offsets.offsetsOf(length));
    sink.buffer(this.data.bytes.subarray(0, this.dataBytes));
    this.length = 0;
    this.dataBytes = 0;
  }
}

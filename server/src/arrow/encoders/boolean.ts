import type { BodySink } from '../body-sink.js';
import { type RawVector, readVectorData, readVectorValidity } from '../../database/vector-memory.js';
import { GrowableBytes } from '../growable.js';
import { ValidityBuilder } from '../validity-builder.js';
import { type ColumnEncoder, rowCount } from './column-encoder.js';

/** BOOLEAN (one byte per value in DuckDB) → Arrow Bool (bit-packed). */
export class BooleanEncoder implements ColumnEncoder {
  private readonly validity = new ValidityBuilder();
  private readonly values = new GrowableBytes(256);
  private length = 0;
  private dirtyBytes = 0;

  get byteLength(): number {
    return (this.length >> 2) + 8;
  }

  append(vector: RawVector, size: number, sel: Int32Array | null): void {
    const count = rowCount(size, sel);
    if (count === 0) return;
    if (this.dirtyBytes > 0) {
      this.values.bytes.fill(0, 0, this.dirtyBytes);
      this.dirtyBytes = 0;
    }
    this.validity.append(readVectorValidity(vector, size), size, sel);
    const data = readVectorData(vector, size);
    const bits = this.values.reserve(((this.length + count) >> 3) + 1);
    let bit = this.length;
    for (let i = 0; i < count; i++, bit++) {
      if (data[sel === null ? i : sel[i]] !== 0) bits[bit >> 3] |= 1 << (bit & 7);
    }
    this.length += count;
  }

  flush(sink: BodySink): void {
    const length = this.validity.writeNode(sink);
    const byteLength = (length + 7) >> 3;
    sink.buffer(this.values.bytes.subarray(0, byteLength));
    this.length = 0;
    this.dirtyBytes = byteLength;
  }
}

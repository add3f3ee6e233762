import type { BodySink } from '../body-sink.js';
import { type RawVector, readVectorData, readVectorValidity } from '../../database/vector-memory.js';
import { GrowableBytes } from '../growable.js';
import { ValidityBuilder } from '../validity-builder.js';
import { type ColumnEncoder, rowCount } from './column-encoder.js';

/**
 * Converts `count` values of DuckDB's layout (`input`) to Arrow's (the returned bytes). Absent
 * when the layouts are the same.
 */
export type ValueConverter = (input: Uint8Array, count: number) => Uint8Array;

/**
 * Encodes a fixed-width column: validity bitmap plus values buffer. Each chunk's values are copied
 * into one buffer reused from batch to batch, so that the chunk's own copy (from the bindings)
 * can go at once.
 */
export class FixedWidthEncoder implements ColumnEncoder {
  private readonly validity = new ValidityBuilder();
  private readonly values = new GrowableBytes(0);
  private bytes = 0;

  /**
   * @param sourceWidth bytes per value in DuckDB's vector
   * @param convert turns DuckDB values into Arrow values (same count, possibly another width)
   */
  constructor(
    private readonly sourceWidth: number,
    private readonly convert?: ValueConverter,
  ) {}

  get byteLength(): number {
    return this.bytes + (this.validity.size >> 3);
  }

  append(vector: RawVector, size: number, sel: Int32Array | null): void {
    const count = rowCount(size, sel);
    if (count === 0) return;
    this.validity.append(readVectorValidity(vector, size), size, sel);
    const width = this.sourceWidth;
    let data = readVectorData(vector, size * width);
    if (sel !== null) data = gather(data, width, sel);
    if (this.convert) data = this.convert(data, count);
    this.values.reserve(this.bytes + data.byteLength).set(data, this.bytes);
    this.bytes += data.byteLength;
  }

  flush(sink: BodySink): void {
    this.validity.writeNode(sink);
    sink.buffer(this.values.bytes.subarray(0, this.bytes));
    this.bytes = 0;
  }
}

/** The values of rows `sel` of `data` (`width` bytes each), in order. */
export function gather(data: Uint8Array, width: number, sel: Int32Array): Uint8Array {
  const out = new Uint8Array(sel.length * width);
  if (width === 4 || width === 8 || width === 16) {
    const words = width >> 2;
    const src = new Int32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
    const dst = new Int32Array(out.buffer);
    for (let i = 0; i < sel.length; i++) {
      const from = sel[i] * words;
      for (let w = 0; w < words; w++) dst[i * words + w] = src[from + w];
    }
  } else {
    for (let i = 0; i < sel.length; i++) {
      const from = sel[i] * width;
      for (let b = 0; b < width; b++) out[i * width + b] = data[from + b];
    }
  }
  return out;
}

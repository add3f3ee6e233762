import { ResultTooLargeError } from '../../errors.js';
import type { BodySink } from '../body-sink.js';
import { type RawVector, readPointedBytes, readVectorData, readVectorValidity } from '../duckdb-vector.js';
import { GrowableBytes, GrowableInt32 } from '../growable.js';
import { ValidityBuilder } from '../validity-builder.js';
import { type ColumnEncoder, rowCount } from './column-encoder.js';

/** Bytes per `duckdb_string_t`. */
const STRING_STRUCT = 16;
/** Longest string kept inline in its struct. */
const INLINE_MAX = 12;
const TWO_POW_32 = 0x100000000;
const MAX_OFFSET = 0x7fffffff;

/**
 * VARCHAR / BLOB / BIT → Arrow Utf8 or Binary (int32 offsets + data). Reads DuckDB's 16-byte
 * string structs: short strings are copied from the struct, long ones from DuckDB's heap with one
 * read per run of strings that lie back to back in memory (one read per string otherwise).
 */
export class StringEncoder implements ColumnEncoder {
  private readonly validity = new ValidityBuilder();
  private readonly offsets = new GrowableInt32(1025);
  /** The string bytes of the batch, in a buffer reused from batch to batch. */
  private readonly data = new GrowableBytes(0);
  private length = 0;
  private dataBytes = 0;

  get byteLength(): number {
    return this.dataBytes + this.length * 4;
  }

  append(vector: RawVector, size: number, sel: Int32Array | null): void {
    const count = rowCount(size, sel);
    if (count === 0) return;
    const mask = readVectorValidity(vector, size);
    this.validity.append(mask, size, sel);
    const structs = readVectorData(vector, size * STRING_STRUCT);
    const words = new Uint32Array(structs.buffer, structs.byteOffset, size * 4);

    // Pass 1: offsets.
    const offsets = this.offsets.reserve(this.length + count + 1);
    const base = this.length;
    let total = 0;
    for (let i = 0; i < count; i++) {
      const row = sel === null ? i : sel[i];
      if (mask === null || (mask[row >> 3] & (1 << (row & 7))) !== 0) total += words[row * 4];
      offsets[base + i + 1] = this.dataBytes + total;
    }
    if (this.dataBytes + total > MAX_OFFSET) {
      throw new ResultTooLargeError('A batch of string data exceeds 2 GiB');
    }
    this.length += count;
    if (total === 0) return;

    // Pass 2: bytes.
    const data = this.data.reserve(this.dataBytes + total);
    let at = this.dataBytes;
    let runStruct = 0;
    let runAddress = 0;
    let runLength = 0;
    let runAt = 0;
    for (let i = 0; i < count; i++) {
      const row = sel === null ? i : sel[i];
      if (mask !== null && (mask[row >> 3] & (1 << (row & 7))) === 0) continue;
      const len = words[row * 4];
      if (len === 0) continue;
      if (len <= INLINE_MAX) {
        if (runLength > 0) {
          data.set(readPointedBytes(structs.buffer, structs.byteOffset + runStruct + 8, runLength), runAt);
          runLength = 0;
        }
        const from = row * STRING_STRUCT + 4;
        for (let b = 0; b < len; b++) data[at + b] = structs[from + b];
      } else {
        const address = words[row * 4 + 2] + words[row * 4 + 3] * TWO_POW_32;
        if (runLength > 0 && address === runAddress + runLength) {
          runLength += len;
        } else {
          if (runLength > 0) {
            data.set(readPointedBytes(structs.buffer, structs.byteOffset + runStruct + 8, runLength), runAt);
          }
          runStruct = row * STRING_STRUCT;
          runAddress = address;
          runLength = len;
          runAt = at;
        }
      }
      at += len;
    }
    if (runLength > 0) {
      data.set(readPointedBytes(structs.buffer, structs.byteOffset + runStruct + 8, runLength), runAt);
    }
    this.dataBytes += total;
  }

  flush(sink: BodySink): void {
    const length = this.validity.writeNode(sink);
    sink.buffer(this.offsets.offsetsOf(length));
    sink.buffer(this.data.bytes.subarray(0, this.dataBytes));
    this.length = 0;
    this.dataBytes = 0;
  }
}

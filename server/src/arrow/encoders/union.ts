import type { BodySink } from '../body-sink.js';
import { type RawVector, readVectorData, readVectorValidity, structChild } from '../../database/vector-memory.js';
import { GrowableBytes } from '../growable.js';
import { type ColumnEncoder, rowCount } from './column-encoder.js';

/**
 * UNION → Arrow sparse Union (type ids 0..n-1, DuckDB's export): the type ids buffer comes from
 * the union's tag vector and every member array has the union's length. Arrow unions have no
 * validity bitmap: a NULL union row gets type id 0 (its member 0 value is NULL in DuckDB).
 */
export class UnionEncoder implements ColumnEncoder {
  private readonly typeIds = new GrowableBytes(2048);
  private length = 0;

  constructor(private readonly members: readonly ColumnEncoder[]) {}

  get byteLength(): number {
    let total = this.length;
    for (const member of this.members) total += member.byteLength;
    return total;
  }

  append(vector: RawVector, size: number, sel: Int32Array | null): void {
    const count = rowCount(size, sel);
    if (count === 0) return;
    const mask = readVectorValidity(vector, size);
    const tags = readVectorData(structChild(vector, 0), size);
    const ids = this.typeIds.reserve(this.length + count);
    for (let i = 0; i < count; i++) {
      const row = sel === null ? i : sel[i];
      const valid = mask === null || (mask[row >> 3] & (1 << (row & 7))) !== 0;
      ids[this.length + i] = valid ? tags[row] : 0;
    }
    this.length += count;
    for (let m = 0; m < this.members.length; m++) {
      this.members[m].append(structChild(vector, m + 1), size, sel);
    }
  }

  flush(sink: BodySink): void {
    sink.node(this.length, 0);
    sink.buffer(this.typeIds.bytes.subarray(0, this.length));
    for (const member of this.members) member.flush(sink);
    this.length = 0;
  }
}

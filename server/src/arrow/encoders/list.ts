import { ResultTooLargeError } from '../../errors.js';
import type { BodySink } from '../body-sink.js';
import { listChild, type RawVector, readVectorData, readVectorValidity } from '../../database/vector-memory.js';
import { GrowableInt32 } from '../growable.js';
import { ValidityBuilder } from '../validity-builder.js';
import { type ColumnEncoder, rangeSelection, rowCount } from './column-encoder.js';

const TWO_POW_32 = 0x100000000;
const MAX_OFFSET = 0x7fffffff;

/**
 * LIST (and MAP, a list of key/value structs) → Arrow List / Map: int32 offsets plus one child
 * array. DuckDB's list entries are (offset, length) pairs into a child vector; when the entries of
 * the appended rows are back to back (the usual case) the child rows are appended as one range,
 * otherwise through a selection.
 */
export class ListEncoder implements ColumnEncoder {
  private readonly validity = new ValidityBuilder();
  private readonly offsets = new GrowableInt32(1025);
  private length = 0;
  private childLength = 0;

  constructor(private readonly child: ColumnEncoder) {}

  get byteLength(): number {
    return this.length * 4 + this.child.byteLength;
  }

  append(vector: RawVector, size: number, sel: Int32Array | null): void {
    const count = rowCount(size, sel);
    if (count === 0) return;
    const mask = readVectorValidity(vector, size);
    this.validity.append(mask, size, sel);
    const entries = new Uint32Array(readVectorData(vector, size * 16).buffer, 0, size * 4);
    const offsets = this.offsets.reserve(this.length + count + 1);
    const base = this.length;
    let total = 0;
    let start = -1;
    let next = -1;
    let contiguous = true;
    for (let i = 0; i < count; i++) {
      const row = sel === null ? i : sel[i];
      if (mask === null || (mask[row >> 3] & (1 << (row & 7))) !== 0) {
        const len = entries[row * 4 + 2] + entries[row * 4 + 3] * TWO_POW_32;
        if (len > 0) {
          const off = entries[row * 4] + entries[row * 4 + 1] * TWO_POW_32;
          if (start < 0) start = off;
          else if (off !== next) contiguous = false;
          next = off + len;
          total += len;
        }
      }
      offsets[base + i + 1] = this.childLength + total;
    }
    if (this.childLength + total > MAX_OFFSET) {
      throw new ResultTooLargeError('A batch of list elements exceeds 2^31 entries');
    }
    this.length += count;
    if (total === 0) return;
    const { child, size: childSize } = listChild(vector);
    let childSel: Int32Array | null;
    if (contiguous) {
      childSel = start === 0 && next === childSize ? null : rangeSelection(start, next);
    } else {
      childSel = new Int32Array(total);
      let at = 0;
      for (let i = 0; i < count; i++) {
        const row = sel === null ? i : sel[i];
        if (mask !== null && (mask[row >> 3] & (1 << (row & 7))) === 0) continue;
        const len = entries[row * 4 + 2] + entries[row * 4 + 3] * TWO_POW_32;
        const off = entries[row * 4] + entries[row * 4 + 1] * TWO_POW_32;
        for (let k = 0; k < len; k++) childSel[at++] = off + k;
      }
    }
    this.child.append(child, childSize, childSel);
    this.childLength += total;
  }

  flush(sink: BodySink): void {
    const length = this.validity.writeNode(sink);
    sink.buffer(this.offsets.offsetsOf(length));
    this.child.flush(sink);
    this.length = 0;
    this.childLength = 0;
  }
}

import type { BodySink } from '../body-sink.js';
import { type RawVector, readVectorValidity, structChild } from '../../database/vector-memory.js';
import { ValidityBuilder } from '../validity-builder.js';
import { type ColumnEncoder, rowCount } from './column-encoder.js';

/** STRUCT → Arrow Struct: a validity bitmap plus one child array per field. */
export class StructEncoder implements ColumnEncoder {
  private readonly validity = new ValidityBuilder();

  /**
   * @param children one encoder per field, in order
   * @param nullable false for a MAP's entries, which Arrow declares non-nullable
   */
  constructor(
    private readonly children: readonly ColumnEncoder[],
    private readonly nullable = true,
  ) {}

  get byteLength(): number {
    let total = this.validity.size >> 3;
    for (const child of this.children) total += child.byteLength;
    return total;
  }

  append(vector: RawVector, size: number, sel: Int32Array | null): void {
    const count = rowCount(size, sel);
    if (count === 0) return;
    if (this.nullable) this.validity.append(readVectorValidity(vector, size), size, sel);
    else this.validity.appendRun(count, true);
    for (let i = 0; i < this.children.length; i++) {
      this.children[i].append(structChild(vector, i), size, sel);
    }
  }

  flush(sink: BodySink): void {
    this.validity.writeNode(sink);
    for (const child of this.children) child.flush(sink);
  }
}

import type { BodySink } from '../body-sink.js';
import { arrayChild, type RawVector, readVectorValidity } from '../../database/vector-memory.js';
import { ValidityBuilder } from '../validity-builder.js';
import { type ColumnEncoder, rowCount } from './column-encoder.js';

/**
 * ARRAY → Arrow FixedSizeList: the child vector holds `listSize` values per row, NULL rows
 * included, which is Arrow's layout too.
 */
export class FixedSizeListEncoder implements ColumnEncoder {
  private readonly validity = new ValidityBuilder();

  constructor(
    private readonly listSize: number,
    private readonly child: ColumnEncoder,
  ) {}

  get byteLength(): number {
    return this.child.byteLength;
  }

  append(vector: RawVector, size: number, sel: Int32Array | null): void {
    const count = rowCount(size, sel);
    if (count === 0) return;
    this.validity.append(readVectorValidity(vector, size), size, sel);
    const n = this.listSize;
    if (n === 0) return;
    let childSel: Int32Array | null = null;
    if (sel !== null) {
      childSel = new Int32Array(count * n);
      for (let i = 0; i < count; i++) {
        for (let k = 0; k < n; k++) childSel[i * n + k] = sel[i] * n + k;
      }
    }
    this.child.append(arrayChild(vector), size * n, childSel);
  }

  flush(sink: BodySink): void {
    this.validity.writeNode(sink);
    this.child.flush(sink);
  }
}

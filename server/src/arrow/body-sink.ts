/** Receives, in IPC pre-order, the field nodes and buffers of one record batch body. */
export interface BodySink {
  /** Adds the field node of the next array: its length and null count. */
  node(length: number, nullCount: number): void;
  /** Adds the next buffer: the concatenation of `parts` (possibly none, for an absent buffer). */
  buffer(...parts: Uint8Array[]): void;
}

/** The nodes and buffers of one record batch body, collected from column encoders. */
export class BatchBody implements BodySink {
  /** Field nodes as (length, nullCount) pairs. */
  readonly nodes: number[] = [];
  /** Buffers, each a list of parts to concatenate. */
  readonly buffers: Uint8Array[][] = [];

  node(length: number, nullCount: number): void {
    this.nodes.push(length, nullCount);
  }

  buffer(...parts: Uint8Array[]): void {
    this.buffers.push(parts);
  }
}

import type { BatchBody } from './body-sink.js';

/** `MessageHeader` values of the Arrow IPC format (Message.fbs). */
const HEADER_DICTIONARY_BATCH = 2;
const HEADER_RECORD_BATCH = 3;
/** `MetadataVersion.V5`. */
const METADATA_V5 = 4;
/** The continuation marker that starts every encapsulated message of the current IPC format. */
const CONTINUATION = 0xffffffff;

const align8 = (n: number): number => (n + 7) & ~7;

/** The end-of-stream marker: a continuation marker and a zero metadata length. */
export function endOfStreamMarker(): Uint8Array {
  return Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);
}

/**
 * Frames flatbuffer metadata (and an optional body) as one encapsulated IPC message: continuation
 * marker, padded metadata length, metadata, padding to 8 bytes, body.
 */
export function frameMessage(metadata: Uint8Array, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const metaLength = align8(metadata.byteLength + 8) - 8;
  const out = new Uint8Array(8 + metaLength + body.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, CONTINUATION, true);
  view.setInt32(4, metaLength, true);
  out.set(metadata, 8);
  out.set(body, 8 + metaLength);
  return out;
}

/** Gives `size` bytes to write a message into (8-byte aligned; content unspecified). */
export type MessageAllocator = (size: number) => Uint8Array;

const allocateZeroed: MessageAllocator = (size) => new Uint8Array(size);

/**
 * Encodes a record batch (or, with `dictionaryId`, a dictionary batch) of `length` rows as one
 * complete encapsulated IPC message: the flatbuffer metadata is written by hand (a fixed layout
 * of the Message, DictionaryBatch and RecordBatch tables of Message.fbs), then the body buffers
 * are copied once into place, each at an 8-byte aligned offset. The message is written into
 * `allocate(size)` (a fresh buffer by default); every byte of it is written, padding included.
 * With `compressionCodec` (an Arrow `CompressionType`), the RecordBatch carries a
 * `BodyCompression` table naming it: the body's buffers must then be compressed as the format
 * says (see body-compression.ts).
 */
export function encodeBatchMessage(
  length: number,
  body: BatchBody,
  dictionaryId?: number,
  allocate: MessageAllocator = allocateZeroed,
  compressionCodec?: number,
): Uint8Array {
  const nodeCount = body.nodes.length / 2;
  const bufferCount = body.buffers.length;

  // Body layout: every buffer starts 8-byte aligned.
  const bufferOffsets = new Array<number>(bufferCount);
  const bufferLengths = new Array<number>(bufferCount);
  let bodyLength = 0;
  for (let i = 0; i < bufferCount; i++) {
    let size = 0;
    for (const part of body.buffers[i]) size += part.byteLength;
    bufferOffsets[i] = bodyLength;
    bufferLengths[i] = size;
    bodyLength = align8(bodyLength + size);
  }

  // Metadata layout (offsets from the start of the flatbuffer; see writeMetadata).
  const dictionary = dictionaryId !== undefined;
  const compressed = compressionCodec !== undefined;
  const recordBatchBase = dictionary ? 80 : 40;
  // With compression the RecordBatch table has a fourth field (24 bytes instead of 20); the nodes
  // vector moves so that its int64 elements stay 8-byte aligned.
  const nodesVector = recordBatchBase + (compressed ? 44 : 36);
  const buffersVector = nodesVector + 4 + nodeCount * 16 + 4;
  // BodyCompression: vtable (8 bytes) then table (8 bytes), after the buffers vector.
  const compressionVtable = buffersVector + 4 + bufferCount * 16;
  const metadataSize = compressionVtable + (compressed ? 16 : 0);
  const metaLength = align8(metadataSize + 8) - 8;

  const out = allocate(8 + metaLength + bodyLength);
  // The metadata is written field by field: clear what no field covers (unused vtable slots, padding).
  out.fill(0, 0, 8 + metaLength);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(0, CONTINUATION, true);
  view.setInt32(4, metaLength, true);

  const m = 8; // flatbuffer start
  // Root offset -> Message table at 16.
  view.setUint32(m + 0, 16, true);
  // Message vtable at 4: size 12, table size 20; version@16, header_type@18, header@4, bodyLength@8.
  setU16s(view, m + 4, [12, 20, 16, 18, 4, 8]);
  // Message table at 16.
  view.setInt32(m + 16, 16 - 4, true);
  const headerTable = dictionary ? 56 : recordBatchBase + 16;
  view.setUint32(m + 20, headerTable - 20, true);
  setI64(view, m + 24, bodyLength);
  view.setInt16(m + 32, METADATA_V5, true);
  view.setUint8(m + 34, dictionary ? HEADER_DICTIONARY_BATCH : HEADER_RECORD_BATCH);

  if (dictionary) {
    // DictionaryBatch vtable at 40: size 10, table size 24; id@8, data@4, isDelta@16.
    setU16s(view, m + 40, [10, 24, 8, 4, 16]);
    // DictionaryBatch table at 56.
    view.setInt32(m + 56, 56 - 40, true);
    view.setUint32(m + 60, recordBatchBase + 16 - 60, true);
    setI64(view, m + 64, dictionaryId);
    view.setUint8(m + 72, 0); // isDelta = false
  }

  // RecordBatch vtable at base: size 10, table size 20; length@8, nodes@4, buffers@16
  // (+ compression@20: size 12, table size 24).
  const b = recordBatchBase;
  if (compressed) setU16s(view, m + b, [12, 24, 8, 4, 16, 20]);
  else setU16s(view, m + b, [10, 20, 8, 4, 16]);
  // RecordBatch table at base + 16.
  view.setInt32(m + b + 16, 16, true);
  view.setUint32(m + b + 20, nodesVector - (b + 20), true);
  setI64(view, m + b + 24, length);
  view.setUint32(m + b + 32, buffersVector - (b + 32), true);
  if (compressed) {
    view.setUint32(m + b + 36, compressionVtable + 8 - (b + 36), true);
    // BodyCompression vtable: size 8, table size 8; codec@4, method@5 (BUFFER = 0).
    setU16s(view, m + compressionVtable, [8, 8, 4, 5]);
    view.setInt32(m + compressionVtable + 8, 8, true);
    view.setUint8(m + compressionVtable + 12, compressionCodec);
    view.setUint8(m + compressionVtable + 13, 0);
  }
  // nodes: [FieldNode { length: long, null_count: long }]
  view.setUint32(m + nodesVector, nodeCount, true);
  for (let i = 0; i < nodeCount; i++) {
    setI64(view, m + nodesVector + 4 + i * 16, body.nodes[2 * i]);
    setI64(view, m + nodesVector + 12 + i * 16, body.nodes[2 * i + 1]);
  }
  // buffers: [Buffer { offset: long, length: long }]
  view.setUint32(m + buffersVector, bufferCount, true);
  for (let i = 0; i < bufferCount; i++) {
    setI64(view, m + buffersVector + 4 + i * 16, bufferOffsets[i]);
    setI64(view, m + buffersVector + 12 + i * 16, bufferLengths[i]);
  }

  // Body, with zeroed padding after each buffer.
  const bodyStart = 8 + metaLength;
  for (let i = 0; i < bufferCount; i++) {
    let at = bodyStart + bufferOffsets[i];
    for (const part of body.buffers[i]) {
      out.set(part, at);
      at += part.byteLength;
    }
    out.fill(0, at, bodyStart + align8(bufferOffsets[i] + bufferLengths[i]));
  }
  return out;
}

function setU16s(view: DataView, offset: number, values: readonly number[]): void {
  for (let i = 0; i < values.length; i++) view.setUint16(offset + 2 * i, values[i], true);
}

/** Writes a non-negative integer below 2^53 as a little-endian int64. */
function setI64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value >>> 0, true);
  view.setUint32(offset + 4, Math.floor(value / 0x100000000), true);
}

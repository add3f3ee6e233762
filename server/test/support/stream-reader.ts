// Reads duckwire.v1 streamed results in tests the way docs/protocol.md tells a client to: the
// schema frame's payload, then each batch frame's payload decoded on arrival as
// `schema ++ batch`, and all of them plus the end-of-stream marker as one IPC stream.
import { createRequire } from 'node:module';
import { ARROW_END_OF_STREAM } from '@duckwire/protocol';
import { CompressionType, type Table, compressionRegistry, tableFromIPC } from 'apache-arrow';
import { decompress as zstdDecompress } from 'fzstd';
import type { Reply, TestClient } from './test-client.js';

/** lz4js (pure JavaScript, what a browser would use) has no type declarations. */
const lz4js = createRequire(import.meta.url)('lz4js') as { decompress(data: Uint8Array): Uint8Array };

/**
 * Register the decoders a browser client would use with apache-arrow (≥ 21.1): lz4js for
 * LZ4_FRAME, fzstd for ZSTD. (Decoding only: nothing here compresses.)
 */
export function registerArrowCodecs(): void {
  compressionRegistry.set(CompressionType.LZ4_FRAME, { decode: (data) => lz4js.decompress(data) });
  compressionRegistry.set(CompressionType.ZSTD, { decode: (data) => zstdDecompress(data) });
}

/** Concatenate byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength)));
}

/** A streamed result as received: its frames in order and the replies for its queryId. */
export interface StreamedResult {
  readonly schema: Uint8Array | undefined;
  readonly batches: Array<{ seq: number; rows: number; payload: Uint8Array }>;
  /** Every reply of the query, in order (frames, paused, end or error). */
  readonly replies: Reply[];
  /** The terminal reply. */
  readonly terminal: Reply;
}

/** Everything received so far for `queryId`. */
export function receivedFor(client: TestClient, queryId: string, terminal: Reply): StreamedResult {
  const replies = client.replies.filter((reply) => 'queryId' in reply && reply.queryId === queryId);
  const schemaFrame = replies.find((reply) => reply.kind === 'frame' && reply.type === 'schema');
  const batches = replies.flatMap((reply) =>
    reply.kind === 'frame' && reply.type === 'batch' ? [{ seq: reply.seq!, rows: reply.rows!, payload: reply.payload }] : [],
  );
  return { schema: schemaFrame?.kind === 'frame' ? schemaFrame.payload : undefined, batches, replies, terminal };
}

/** Send a streamed arrow query and wait for its terminal reply. */
export async function streamQuery(
  client: TestClient,
  queryId: string,
  sql: string,
  extra: Record<string, unknown> = {},
): Promise<StreamedResult> {
  client.send({ type: 'arrow', queryId, sql, stream: true, ...extra });
  const terminal = await client.terminal(queryId);
  return receivedFor(client, queryId, terminal);
}

/** One batch decoded on its own, as on arrival: `schema ++ batch`. */
export function decodeBatch(schema: Uint8Array, batch: Uint8Array): Table {
  return tableFromIPC(concatBytes([schema, batch]));
}

/** The whole stream: schema, every batch, the end-of-stream marker. */
export function decodeWhole(result: StreamedResult): Table {
  if (!result.schema) throw new Error('no schema frame');
  return tableFromIPC(concatBytes([result.schema, ...result.batches.map((batch) => batch.payload), ARROW_END_OF_STREAM]));
}

/** Resolve once `condition()` holds, checking every 20 ms (no deadline of its own: the test's timeout is the bound). */
export async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

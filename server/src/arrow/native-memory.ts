import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Why this exists: every `fetchChunk()` returns a new DuckDB data chunk whose vectors (~40 KiB for
 * 2048 rows of three numeric columns) live in native memory that is freed only when V8 collects
 * the chunk's small JavaScript wrapper. V8 does not know about that memory, so nothing makes it
 * collect sooner: streaming 10M rows piled up 100–250 MiB of dead chunks between collections
 * (measured), decided by unrelated allocations. Asking for a young-generation collection after
 * every few MiB of chunks read keeps the dead ones to a few MiB; such a collection only visits
 * live young objects (a few chunk wrappers and promises) and costs well under a millisecond.
 */

/** Chunk bytes read (process-wide) between two young-generation collections. */
export const CHUNK_BYTES_PER_COLLECTION = 4 * 1024 * 1024;

type GcFunction = (options?: { type?: 'minor' | 'major'; execution?: 'sync' | 'async' }) => unknown;

let collect: GcFunction | null | undefined;
let bytesSinceCollection = 0;

/**
 * V8's `gc` function: the global one when node runs with `--expose-gc`, otherwise the one a new
 * context gets once the flag is set at run time; null if neither works (then no collections are
 * asked for and memory is left to V8's own heuristics).
 */
function gcFunction(): GcFunction | null {
  if (collect !== undefined) return collect;
  collect = null;
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === 'function') {
    collect = global as GcFunction;
    return collect;
  }
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn: unknown = vm.runInNewContext('gc');
    if (typeof fn === 'function') collect = fn as GcFunction;
  } catch {
    // Flags frozen or the function missing: leave collections to V8.
  }
  return collect;
}

/**
 * Notes that `bytes` of DuckDB chunk data were read and their chunks are (or are about to be)
 * dropped; after {@link CHUNK_BYTES_PER_COLLECTION} of them, process-wide, runs a
 * young-generation collection so that the native memory of dropped chunks is given back.
 */
export function noteChunkBytesRead(bytes: number): void {
  bytesSinceCollection += bytes;
  if (bytesSinceCollection < CHUNK_BYTES_PER_COLLECTION) return;
  bytesSinceCollection = 0;
  gcFunction()?.({ type: 'minor' });
}

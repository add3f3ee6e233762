import duckdb from '@duckdb/node-bindings';

/** A raw DuckDB vector handle, as returned by `@duckdb/node-bindings`. */
export type RawVector = duckdb.Vector;

/** A raw DuckDB data chunk handle, as returned by `@duckdb/node-bindings`. */
export type RawDataChunk = duckdb.DataChunk;

/**
 * Copies the first `byteCount` bytes of a vector's data. The copy is ours to keep (it does not
 * depend on the chunk staying alive) and starts at byte offset 0 of its own buffer.
 */
export function readVectorData(vector: RawVector, byteCount: number): Uint8Array {
  if (byteCount === 0) return new Uint8Array(0);
  const data = duckdb.vector_get_data(vector, byteCount);
  // Typed-array views over the copy need an 8-byte aligned start.
  return (data.byteOffset & 7) === 0 ? data : data.slice();
}

/**
 * Copies the validity mask of a vector holding `rowCount` rows, or returns null when every row is
 * valid. Bit `i % 8` of byte `i / 8` is row `i` (DuckDB's 64-bit words, little-endian), which is
 * Arrow's LSB-first bitmap layout.
 */
export function readVectorValidity(vector: RawVector, rowCount: number): Uint8Array | null {
  if (rowCount === 0) return null;
  const mask = duckdb.vector_get_validity(vector, Math.ceil(rowCount / 64) * 8);
  return mask ?? null;
}

/** The vector of column `columnIndex` of a chunk. */
export function chunkVector(chunk: RawDataChunk, columnIndex: number): RawVector {
  return duckdb.data_chunk_get_vector(chunk, columnIndex);
}

/** The child vector of a LIST or MAP vector, and how many rows it holds. */
export function listChild(vector: RawVector): { readonly child: RawVector; readonly size: number } {
  return { child: duckdb.list_vector_get_child(vector), size: duckdb.list_vector_get_size(vector) };
}

/** Child `index` of a STRUCT (or UNION: 0 is the tag, members follow) vector. */
export function structChild(vector: RawVector, index: number): RawVector {
  return duckdb.struct_vector_get_child(vector, index);
}

/** The child vector of an ARRAY vector (holding `rowCount * arraySize` rows). */
export function arrayChild(vector: RawVector): RawVector {
  return duckdb.array_vector_get_child(vector);
}

/**
 * Copies `byteCount` bytes from the address stored (as a 64-bit pointer) at `pointerOffset` of
 * `buffer`: the way to read the heap part of a non-inlined `duckdb_string_t`. The address must
 * be valid: the chunk the string came from must still be alive.
 */
export function readPointedBytes(buffer: ArrayBufferLike, pointerOffset: number, byteCount: number): Uint8Array {
  return duckdb.get_data_from_pointer(buffer as ArrayBuffer, pointerOffset, byteCount);
}

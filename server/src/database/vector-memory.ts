/**
 * DuckDB vector memory, read and written through `@duckdb/node-bindings`: the one place that
 * touches raw vectors. The Arrow and JSON encoders read result chunks with it; uploads write the
 * chunks they append with it. What is read is a copy (safe to keep); pointers inside it (the heap
 * part of long strings) are valid only while the chunk they came from is alive.
 */
import duckdb from '@duckdb/node-bindings';

/** A raw DuckDB vector handle, as returned by `@duckdb/node-bindings`. */
export type RawVector = duckdb.Vector;

/** A raw DuckDB data chunk handle, as returned by `@duckdb/node-bindings`. */
export type RawDataChunk = duckdb.DataChunk;

/** A raw DuckDB logical type handle (e.g. `DuckDBType#toLogicalType().logical_type`). */
export type RawLogicalType = duckdb.LogicalType;

/** Bytes of a `duckdb_string_t`: length (4), then 12 inlined bytes or prefix (4) + pointer (8). */
export const STRING_STRUCT_BYTES = 16;

/** The longest string DuckDB keeps inline in its `duckdb_string_t`. */
export const STRING_INLINE_MAX = 12;

/** Bytes of one BOOLEAN value in a vector. */
export const BOOL_BYTES: number = duckdb.sizeof_bool;

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

// --- writing (uploads fill fresh chunks) ---------------------------------------------------------

/** Copies `byteCount` bytes from `bytes` (at its byte offset `from`) to the start of a vector's data. */
export function writeVectorData(vector: RawVector, bytes: Uint8Array, from: number, byteCount: number): void {
  duckdb.copy_data_to_vector(vector, 0, bytes.buffer as ArrayBuffer, bytes.byteOffset + from, byteCount);
}

/** Makes a vector's validity mask writable and copies `byteCount` bytes of `mask` (LSB-first, one bit a row) into it. */
export function writeVectorValidity(vector: RawVector, mask: Uint8Array, byteCount: number): void {
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, mask.buffer as ArrayBuffer, mask.byteOffset, byteCount);
}

/** Stores `text` as the string of row `row` of a VARCHAR vector (in DuckDB's string heap when long). */
export function writeVectorString(vector: RawVector, row: number, text: string): void {
  duckdb.vector_assign_string_element(vector, row, text);
}

/** Stores `bytes` as the string or blob of row `row` of a VARCHAR or BLOB vector. */
export function writeVectorBytes(vector: RawVector, row: number, bytes: Uint8Array): void {
  duckdb.vector_assign_string_element_len(vector, row, bytes);
}

/** A fresh data chunk with one vector of each of `types`. */
export function createDataChunk(types: readonly RawLogicalType[]): RawDataChunk {
  return duckdb.create_data_chunk(types);
}

/**
 * Copies the heap part of long (non-inlined) strings out of a chunk's string structs, with one
 * read per span of strings that lie back to back in DuckDB's heap (one read per string
 * otherwise), wherever they go in the target: a span's strings may land apart (short strings,
 * copied from their structs, come between them), and are copied out of the one read in pieces.
 * {@link start} a chunk's copy, {@link copy} its long strings in order, then {@link finish}
 * before reading the target.
 */
export class StringHeapCopier {
  #structs: Uint8Array = new Uint8Array(0);
  #target: Uint8Array = new Uint8Array(0);
  /** Struct of the span's first string (its pointer is the span's start). */
  #spanStruct = 0;
  #spanAddress = 0;
  #spanLength = 0;
  /** The span's pieces that are contiguous in the target too: [offset in span, target offset, length] each. */
  #pieces = new Float64Array(3 * 64);
  #pieceCount = 0;

  /** Copies go to `target`; `structs` holds the chunk's string structs (from {@link readVectorData}). */
  start(structs: Uint8Array, target: Uint8Array): void {
    this.#structs = structs;
    this.#target = target;
    this.#spanLength = 0;
    this.#pieceCount = 0;
  }

  /**
   * The long string of row `row` (`length` bytes at heap `address`, both read from its struct)
   * belongs at `target[at…]`.
   */
  copy(row: number, address: number, length: number, at: number): void {
    if (this.#spanLength > 0 && address === this.#spanAddress + this.#spanLength) {
      const last = 3 * (this.#pieceCount - 1);
      const pieces = this.#pieces;
      if (pieces[last + 1] + pieces[last + 2] === at) pieces[last + 2] += length;
      else this.#addPiece(this.#spanLength, at, length);
      this.#spanLength += length;
      return;
    }
    this.finish();
    this.#spanStruct = row * STRING_STRUCT_BYTES;
    this.#spanAddress = address;
    this.#spanLength = length;
    this.#addPiece(0, at, length);
  }

  /** Copies what is still pending. */
  finish(): void {
    if (this.#spanLength === 0) return;
    const structs = this.#structs;
    const span = readPointedBytes(structs.buffer, structs.byteOffset + this.#spanStruct + 8, this.#spanLength);
    const target = this.#target;
    const pieces = this.#pieces;
    const count = this.#pieceCount;
    if (count === 1) {
      target.set(span, pieces[1]);
    } else {
      for (let i = 0; i < 3 * count; i += 3) {
        const from = pieces[i];
        const at = pieces[i + 1];
        const length = pieces[i + 2];
        if (length <= 32) {
          for (let b = 0; b < length; b++) target[at + b] = span[from + b];
        } else {
          target.set(span.subarray(from, from + length), at);
        }
      }
    }
    this.#spanLength = 0;
    this.#pieceCount = 0;
  }

  #addPiece(from: number, at: number, length: number): void {
    let pieces = this.#pieces;
    const i = 3 * this.#pieceCount++;
    if (i + 3 > pieces.length) {
      const grown = new Float64Array(pieces.length * 2);
      grown.set(pieces);
      this.#pieces = pieces = grown;
    }
    pieces[i] = from;
    pieces[i + 1] = at;
    pieces[i + 2] = length;
  }
}

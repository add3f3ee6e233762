/**
 * The on-disk result cache behind `persist: true` queries.
 *
 * Results are stored as one file per entry in {@link ResultCacheOptions.dir}, keyed by
 * `sha256(format, NUL, sql)`; the index (which entries exist, their sizes and recency) lives in
 * memory. Concurrent requests for the same key compute once (single-flight).
 *
 * **When entries go stale**
 * 1. After any write through this server: the server calls {@link ResultCache.invalidate} after
 *    every statement that may write (`exec`, non-SELECT statements, uploads). Every existing entry
 *    becomes stale at once and is never served again, and a computation that started before the
 *    invalidation does not store its result (it may have read the old data). The server must call
 *    `invalidate()` once the write has finished and *before* it replies to the writer, so that a
 *    client that waited for the write never reads a result from before it.
 * 2. Never across restarts: {@link ResultCache.open} removes the entry files of earlier runs, and
 *    {@link ResultCache.close} removes this run's files. Nothing written by an earlier process is
 *    ever read, so a crash cannot leave a half-written entry that is served later.
 * 3. Writes made to the database file by other processes (or by other servers on the same file)
 *    are NOT seen: the cache cannot know about them. `persist` is an opt-in for results of data
 *    that does not change behind the server's back.
 *
 * Disk trouble (directory missing or not writable, disk full) never fails a query: the result is
 * returned and simply not stored ({@link ResultCacheStats.storeFailures} counts these). An entry
 * file that disappears or is truncated is treated as a miss and recomputed.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The result formats that can be cached. */
export type CachedFormat = 'arrow' | 'json';

/** Options of {@link ResultCache.open}. */
export interface ResultCacheOptions {
  /**
   * Directory of the cache files. Created (recursively) if missing; entry files of earlier runs
   * (`*.duckwire-cache` / `*.duckwire-cache-tmp` with a cache key in their name) are removed, other
   * files are left alone. Don't share one directory between two running servers: each one's
   * `open()` removes the other's files (harmless for correctness — they become misses).
   */
  readonly dir: string;
  /**
   * Bound on the total size of the stored entries, in bytes; least recently used entries are
   * evicted beyond it. A result larger than this is returned but not stored. `0` stores nothing.
   */
  readonly maxBytes: number;
}

/** Options of one {@link ResultCache.getOrCompute} call. */
export interface GetOrComputeOptions {
  /**
   * Aborts *waiting* for another caller's computation of the same key (the call rejects with the
   * signal's reason). It does not reach `compute` itself — cancelling that is up to `compute`.
   */
  readonly signal?: AbortSignal;
}

/** The outcome of {@link ResultCache.getOrCompute}. */
export interface CachedResult {
  /** The result bytes. Shared between callers: treat as read-only. */
  readonly bytes: Uint8Array;
  /**
   * `true` when this caller's `compute` was not called: the bytes came from a stored entry or from
   * a concurrent caller's computation of the same key.
   */
  readonly hit: boolean;
}

/** Counters and sizes of a {@link ResultCache}, from {@link ResultCache.stats}. */
export interface ResultCacheStats {
  /** Fresh entries currently stored. */
  readonly entries: number;
  /** Total size of the fresh stored entries, in bytes (≤ `maxBytes`). */
  readonly bytes: number;
  /** Calls answered from a stored entry. */
  readonly hits: number;
  /** Calls that ran their own `compute`. */
  readonly misses: number;
  /** Calls answered by joining a concurrent caller's computation. */
  readonly shared: number;
  /** Calls currently waiting for a concurrent caller's computation. */
  readonly waiting: number;
  /** Entries written to disk. */
  readonly stores: number;
  /** Results not stored because writing them failed (directory not writable, disk full, …). */
  readonly storeFailures: number;
  /** Results not stored because they were larger than `maxBytes` (or no room was left). */
  readonly oversize: number;
  /** Entries evicted to stay within `maxBytes`. */
  readonly evictions: number;
  /** Calls to {@link ResultCache.invalidate}. */
  readonly invalidations: number;
}

/** File name suffix of stored entries. */
const ENTRY_SUFFIX = '.duckwire-cache';
/** File name suffix of entries being written. */
const TEMP_SUFFIX = '.duckwire-cache-tmp';
/** Names this cache recognises as its own: `<sha256 hex>.<run id>.<seq>.duckwire-cache[-tmp]`. */
const OWN_FILE = /^[0-9a-f]{64}\.[0-9a-z]+\.[0-9a-z]+\.duckwire-cache(?:-tmp)?$/;

interface Entry {
  readonly file: string;
  readonly size: number;
}

/** A computation in progress (or finished, while its bytes are being written). */
interface Flight {
  /** Resolves with the bytes, or `undefined` when the computing caller failed. Never rejects. */
  readonly result: Promise<Uint8Array | undefined>;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** Waits for `promise`, rejecting early if `signal` aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * On-disk cache of query results keyed by (format, SQL), with single-flight computation,
 * generation-based invalidation and an LRU size bound. See the module documentation for when
 * entries go stale.
 */
export class ResultCache {
  readonly #dir: string;
  readonly #maxBytes: number;
  /** Distinguishes this run's file names from other runs' (and other processes'). */
  readonly #runId = randomBytes(6).toString('hex');
  #seq = 0;
  /** Bumped by {@link invalidate}; entries and flights of older generations are stale. */
  #generation = 0;
  /** Fresh entries by key, in LRU order (first = least recently used). */
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  /** Bytes reserved by writes in progress (counted against `maxBytes`). */
  #reserved = 0;
  /** Joinable flights of the current generation, by key. */
  readonly #flights = new Map<string, Flight>();
  /** Background disk work (writes, deletions) that {@link close} waits for. */
  readonly #pending = new Set<Promise<void>>();
  #closed = false;
  #closing: Promise<void> | undefined;
  #hits = 0;
  #misses = 0;
  #shared = 0;
  #waiting = 0;
  #stores = 0;
  #storeFailures = 0;
  #oversize = 0;
  #evictions = 0;
  #invalidations = 0;

  private constructor(dir: string, maxBytes: number) {
    this.#dir = dir;
    this.#maxBytes = maxBytes;
  }

  /**
   * Opens a cache in `options.dir`: creates the directory if missing and removes entry files left
   * by earlier runs. Never fails because of the disk — a cache whose directory can't be used still
   * works, it just stores nothing.
   *
   * @throws RangeError when `maxBytes` is not a non-negative number.
   */
  static async open(options: ResultCacheOptions): Promise<ResultCache> {
    const { dir, maxBytes } = options;
    if (typeof maxBytes !== 'number' || Number.isNaN(maxBytes) || maxBytes < 0) {
      throw new RangeError(`ResultCache maxBytes must be a non-negative number, got ${String(maxBytes)}`);
    }
    const cache = new ResultCache(dir, maxBytes);
    try {
      await mkdir(dir, { recursive: true });
      const names = await readdir(dir);
      await Promise.all(names.filter((name) => OWN_FILE.test(name)).map((name) => cache.#unlinkQuietly(name)));
    } catch {
      // Not usable (not a directory, no permission, …): every store will fail and be counted.
    }
    return cache;
  }

  /** The cache key of (format, sql): hex sha256 of `format NUL sql`. */
  static key(format: CachedFormat, sql: string): string {
    return createHash('sha256').update(format).update('\0').update(sql, 'utf8').digest('hex');
  }

  /**
   * The bytes for (format, sql): from a fresh stored entry, from a concurrent caller's computation
   * of the same key, or by calling `compute` (then stored in the background, unless an
   * {@link invalidate} happened after `compute` was called, the result is larger than `maxBytes`,
   * or the disk fails).
   *
   * If `compute` rejects, this call rejects with that error; callers that were waiting for it are
   * not failed by it — one of them runs its own `compute` instead.
   */
  async getOrCompute(
    format: CachedFormat,
    sql: string,
    compute: () => Promise<Uint8Array>,
    options: GetOrComputeOptions = {},
  ): Promise<CachedResult> {
    const { signal } = options;
    if (this.#closed) {
      this.#misses++;
      return { bytes: await compute(), hit: false };
    }
    const key = ResultCache.key(format, sql);
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const stored = await this.#read(key);
      if (stored) {
        this.#hits++;
        return { bytes: stored, hit: true };
      }
      const flight = this.#flights.get(key);
      if (flight === undefined || this.#closed) break;
      this.#waiting++;
      let bytes: Uint8Array | undefined;
      try {
        bytes = await raceAbort(flight.result, signal);
      } finally {
        this.#waiting--;
      }
      if (bytes !== undefined) {
        this.#shared++;
        return { bytes, hit: true };
      }
      // The computing caller failed: look again (another waiter may have taken over), else compute.
    }
    return { bytes: await this.#compute(key, compute), hit: false };
  }

  /**
   * The stored bytes of (format, sql), or `undefined` when there is no fresh entry (or it can't be
   * read). Counts as a use for the LRU order; never computes, never joins a computation.
   */
  async get(format: CachedFormat, sql: string): Promise<Uint8Array | undefined> {
    return this.#closed ? undefined : this.#read(ResultCache.key(format, sql));
  }

  /** Whether a fresh entry of (format, sql) is stored (does not touch the LRU order). */
  has(format: CachedFormat, sql: string): boolean {
    return this.#entries.has(ResultCache.key(format, sql));
  }

  /**
   * Makes every existing entry stale immediately: it is never served again and its file is deleted
   * in the background. Computations already running still answer their callers but don't store.
   * Call it after anything may have changed the database, before replying to the writer.
   */
  invalidate(): void {
    this.#generation++;
    this.#invalidations++;
    this.#flights.clear();
    const stale = [...this.#entries.values()];
    this.#entries.clear();
    this.#bytes = 0;
    for (const entry of stale) this.#track(this.#unlinkQuietly(entry.file));
  }

  /** Counters and sizes (see {@link ResultCacheStats}). */
  stats(): ResultCacheStats {
    return {
      entries: this.#entries.size,
      bytes: this.#bytes,
      hits: this.#hits,
      misses: this.#misses,
      shared: this.#shared,
      waiting: this.#waiting,
      stores: this.#stores,
      storeFailures: this.#storeFailures,
      oversize: this.#oversize,
      evictions: this.#evictions,
      invalidations: this.#invalidations,
    };
  }

  /** Resolves once the background disk work started so far (writes, deletions) has settled. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  /**
   * Stops storing, waits for pending writes and removes this run's files. Later calls to
   * {@link getOrCompute} just compute. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#flights.clear();
    await this.flush();
    this.#entries.clear();
    this.#bytes = 0;
    let names: string[] = [];
    try {
      names = await readdir(this.#dir);
    } catch {
      return;
    }
    const mine = names.filter((name) => OWN_FILE.test(name) && name.split('.')[1] === this.#runId);
    await Promise.all(mine.map((name) => this.#unlinkQuietly(name)));
  }

  /** Reads the fresh entry of `key`, dropping it if its file is gone or damaged. */
  async #read(key: string): Promise<Uint8Array | undefined> {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const generation = this.#generation;
    // Most recently used goes last.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    let bytes: Uint8Array | undefined;
    try {
      const buffer = await readFile(join(this.#dir, entry.file));
      if (buffer.byteLength === entry.size) {
        bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      }
    } catch {
      // Gone (deleted behind our back, evicted meanwhile): a miss.
    }
    if (generation !== this.#generation) return undefined; // invalidated while reading
    if (bytes === undefined && this.#entries.get(key) === entry) this.#drop(key, entry);
    return bytes;
  }

  /** Runs `compute` as the key's flight, hands the bytes to waiters and stores them. */
  async #compute(key: string, compute: () => Promise<Uint8Array>): Promise<Uint8Array> {
    this.#misses++;
    const generation = this.#generation;
    const settled = deferred<Uint8Array | undefined>();
    const flight: Flight = { result: settled.promise };
    this.#flights.set(key, flight);
    const leave = () => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    let bytes: Uint8Array;
    try {
      bytes = await compute();
    } catch (error) {
      leave();
      settled.resolve(undefined);
      throw error;
    }
    settled.resolve(bytes);
    if (generation !== this.#generation || this.#closed) {
      leave(); // may have read data that changed meanwhile: don't store
    } else {
      // The flight stays joinable (with its bytes) until the entry is on disk.
      this.#track(this.#store(key, bytes, generation).finally(leave));
    }
    return bytes;
  }

  /** Writes an entry (temp file + rename) if it fits and is still fresh when written. */
  async #store(key: string, bytes: Uint8Array, generation: number): Promise<void> {
    const size = bytes.byteLength;
    if (!this.#makeRoom(size)) {
      this.#oversize++;
      return;
    }
    this.#reserved += size;
    const file = `${key}.${this.#runId}.${(this.#seq++).toString(36)}`;
    const entryName = file + ENTRY_SUFFIX;
    const tempName = file + TEMP_SUFFIX;
    try {
      try {
        await this.#writeAtomically(tempName, entryName, bytes);
      } catch {
        this.#storeFailures++;
        await this.#unlinkQuietly(tempName);
        return;
      }
      if (generation !== this.#generation || this.#closed) {
        await this.#unlinkQuietly(entryName); // invalidated while writing
        return;
      }
      const previous = this.#entries.get(key);
      if (previous !== undefined) this.#drop(key, previous);
      this.#entries.set(key, { file: entryName, size });
      this.#bytes += size;
      this.#stores++;
    } finally {
      this.#reserved -= size;
    }
  }

  async #writeAtomically(tempName: string, entryName: string, bytes: Uint8Array): Promise<void> {
    const temp = join(this.#dir, tempName);
    try {
      await writeFile(temp, bytes, { flag: 'wx' });
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      // The directory vanished after open(): recreate it once.
      await mkdir(this.#dir, { recursive: true });
      await writeFile(temp, bytes, { flag: 'wx' });
    }
    // No fsync: entries never outlive the process (open() wipes them), so durability is moot; the
    // rename only guarantees that an entry is never visible half-written.
    await rename(temp, join(this.#dir, entryName));
  }

  /** Evicts least recently used entries until `size` more bytes fit; false if they can't. */
  #makeRoom(size: number): boolean {
    if (size > this.#maxBytes) return false;
    for (const [key, entry] of this.#entries) {
      if (this.#bytes + this.#reserved + size <= this.#maxBytes) break;
      this.#drop(key, entry);
      this.#evictions++;
    }
    return this.#bytes + this.#reserved + size <= this.#maxBytes;
  }

  /** Removes an entry from the index and deletes its file in the background. */
  #drop(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#bytes -= entry.size;
    this.#track(this.#unlinkQuietly(entry.file));
  }

  #track(work: Promise<void>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.add(settled);
    void settled.then(() => this.#pending.delete(settled));
  }

  async #unlinkQuietly(name: string): Promise<void> {
    try {
      await unlink(join(this.#dir, name));
    } catch {
      // Best effort: already gone, or the directory is unusable.
    }
  }
}

// STUB — owned by the result cache work; replace wholesale.
/** The result formats that can be cached. */
export type CachedFormat = 'arrow' | 'json';

/** Options of {@link ResultCache.open}. */
export interface ResultCacheOptions {
  /** Directory of the cache files. Created if missing; entries of earlier runs are removed. */
  readonly dir: string;
  /** Total size bound; least recently used entries are evicted beyond it. */
  readonly maxBytes: number;
}

/** On-disk cache of query results keyed by (SQL, format). */
export class ResultCache {
  static async open(_options: ResultCacheOptions): Promise<ResultCache> {
    return new ResultCache();
  }
  /**
   * The cached bytes for (format, sql), or compute them once — concurrent callers with the same
   * key share one computation — and store them.
   */
  async getOrCompute(
    _format: CachedFormat,
    _sql: string,
    compute: () => Promise<Uint8Array>,
  ): Promise<{ bytes: Uint8Array; hit: boolean }> {
    return { bytes: await compute(), hit: false };
  }
  /** Make every existing entry stale (called after anything may have changed the database). */
  invalidate(): void {}
  /** Stop; remove the directory's files. */
  async close(): Promise<void> {}
}

import { chmod, mkdir, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResultCache } from '../src/cache/result-cache.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** `size` bytes all equal to `fill`. */
function bytesOf(size: number, fill = 1): Uint8Array {
  return new Uint8Array(size).fill(fill);
}

/** A compute function resolving to `bytes` and counting its calls. */
function counting(bytes: Uint8Array): { compute: () => Promise<Uint8Array>; calls: () => number } {
  let calls = 0;
  return {
    compute: async () => {
      calls++;
      return bytes;
    },
    calls: () => calls,
  };
}

/** A compute function that signals when called and resolves when the test says so. */
function controlled(): { compute: () => Promise<Uint8Array>; started: Promise<void>; result: Deferred<Uint8Array> } {
  const started = deferred<void>();
  const result = deferred<Uint8Array>();
  return {
    compute: () => {
      started.resolve();
      return result.promise;
    },
    started: started.promise,
    result,
  };
}

/** Lets every queued microtask run (no I/O is involved in the paths this is used for). */
function settleMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function cacheFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.includes('.duckwire-cache')).sort();
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

let root: string;
const opened: ResultCache[] = [];

async function openCache(dir: string, maxBytes = 1 << 20): Promise<ResultCache> {
  const cache = await ResultCache.open({ dir, maxBytes });
  opened.push(cache);
  return cache;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'duckwire-cache-test-'));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((cache) => cache.close()));
  await chmod(root, 0o700).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

describe('ResultCache basics', () => {
  it('misses, stores, then hits without computing', async () => {
    const dir = join(root, 'cache');
    const cache = await openCache(dir);
    const first = counting(bytesOf(10, 7));
    const a = await cache.getOrCompute('arrow', 'select 1', first.compute);
    expect(a.hit).toBe(false);
    expect(a.bytes).toEqual(bytesOf(10, 7));
    await cache.flush();
    expect(cache.has('arrow', 'select 1')).toBe(true);
    expect(await cacheFiles(dir)).toHaveLength(1);

    const second = counting(bytesOf(10, 9));
    const b = await cache.getOrCompute('arrow', 'select 1', second.compute);
    expect(b.hit).toBe(true);
    expect(b.bytes).toEqual(bytesOf(10, 7));
    expect(second.calls()).toBe(0);
    expect(cache.stats()).toMatchObject({ entries: 1, bytes: 10, hits: 1, misses: 1, stores: 1 });
  });

  it('keeps the same SQL in different formats as different entries', async () => {
    const cache = await openCache(join(root, 'c'));
    await cache.getOrCompute('arrow', 'select 1', async () => bytesOf(4, 1));
    const json = await cache.getOrCompute('json', 'select 1', async () => bytesOf(5, 2));
    expect(json.hit).toBe(false);
    await cache.flush();
    expect(await cache.get('arrow', 'select 1')).toEqual(bytesOf(4, 1));
    expect(await cache.get('json', 'select 1')).toEqual(bytesOf(5, 2));
    expect(ResultCache.key('arrow', 'select 1')).not.toBe(ResultCache.key('json', 'select 1'));
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 9 });
  });

  it('recomputes when an entry file disappeared behind its back', async () => {
    const dir = join(root, 'c');
    const cache = await openCache(dir);
    await cache.getOrCompute('arrow', 'q', async () => bytesOf(8, 1));
    await cache.flush();
    for (const name of await cacheFiles(dir)) await unlink(join(dir, name));
    const again = counting(bytesOf(8, 2));
    const result = await cache.getOrCompute('arrow', 'q', again.compute);
    expect(result).toEqual({ bytes: bytesOf(8, 2), hit: false });
    expect(again.calls()).toBe(1);
  });

  it('leaves no temporary files behind', async () => {
    const dir = join(root, 'c');
    const cache = await openCache(dir);
    await Promise.all(
      ['a', 'b', 'c'].map((sql) => cache.getOrCompute('json', sql, async () => bytesOf(3, sql.charCodeAt(0)))),
    );
    await cache.flush();
    const files = await cacheFiles(dir);
    expect(files).toHaveLength(3);
    expect(files.every((name) => name.endsWith('.duckwire-cache'))).toBe(true);
  });

  it('rejects a negative maxBytes', async () => {
    await expect(ResultCache.open({ dir: join(root, 'c'), maxBytes: -1 })).rejects.toThrow(RangeError);
  });
});

describe('ResultCache single-flight', () => {
  it('runs compute once for 10 concurrent calls and shares the bytes', async () => {
    const cache = await openCache(join(root, 'c'));
    const result = deferred<Uint8Array>();
    let calls = 0;
    const compute = () => {
      calls++;
      return result.promise;
    };
    const pending = Array.from({ length: 10 }, () => cache.getOrCompute('arrow', 'select 42', compute));
    result.resolve(bytesOf(16, 42));
    const results = await Promise.all(pending);
    expect(calls).toBe(1);
    for (const r of results) expect(r.bytes).toEqual(bytesOf(16, 42));
    expect(results.filter((r) => !r.hit)).toHaveLength(1);
    expect(cache.stats()).toMatchObject({ misses: 1, shared: 9, waiting: 0 });
  });

  it('does not fail waiters when the computing caller fails; one of them computes afresh', async () => {
    const cache = await openCache(join(root, 'c'));
    const owner = controlled();
    const a = cache.getOrCompute('arrow', 'q', owner.compute);
    await owner.started;

    const retry = deferred<Uint8Array>();
    const retryStarted = deferred<void>();
    let retries = 0;
    const waiterCompute = () => {
      retries++;
      retryStarted.resolve();
      return retry.promise;
    };
    const b = cache.getOrCompute('arrow', 'q', waiterCompute);
    const c = cache.getOrCompute('arrow', 'q', waiterCompute);
    await settleMicrotasks();
    expect(cache.stats().waiting).toBe(2);

    const cancelled = new Error('query cancelled');
    owner.result.reject(cancelled);
    await expect(a).rejects.toBe(cancelled);

    await retryStarted.promise;
    retry.resolve(bytesOf(6, 3));
    const [rb, rc] = await Promise.all([b, c]);
    expect(retries).toBe(1);
    expect(rb.bytes).toEqual(bytesOf(6, 3));
    expect(rc.bytes).toEqual(bytesOf(6, 3));
    expect([rb.hit, rc.hit].sort()).toEqual([false, true]);
    await cache.flush();
    expect(await cache.get('arrow', 'q')).toEqual(bytesOf(6, 3));
  });

  it('does not store a failed computation; the next call computes', async () => {
    const cache = await openCache(join(root, 'c'));
    await expect(
      cache.getOrCompute('json', 'q', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await cache.flush();
    expect(cache.has('json', 'q')).toBe(false);
    const next = await cache.getOrCompute('json', 'q', async () => bytesOf(2));
    expect(next.hit).toBe(false);
  });

  it('lets a waiter stop waiting through its abort signal without disturbing the computation', async () => {
    const cache = await openCache(join(root, 'c'));
    const owner = controlled();
    const a = cache.getOrCompute('arrow', 'q', owner.compute);
    await owner.started;
    const controller = new AbortController();
    const waiter = counting(bytesOf(1));
    const b = cache.getOrCompute('arrow', 'q', waiter.compute, { signal: controller.signal });
    await settleMicrotasks();
    expect(cache.stats().waiting).toBe(1);
    const reason = new Error('cancelled by client');
    controller.abort(reason);
    await expect(b).rejects.toBe(reason);
    owner.result.resolve(bytesOf(4, 4));
    expect(await a).toEqual({ bytes: bytesOf(4, 4), hit: false });
    expect(waiter.calls()).toBe(0);
    expect(cache.stats().waiting).toBe(0);
  });
});

describe('ResultCache invalidation', () => {
  it('serves nothing stored before an invalidate and deletes the stale files', async () => {
    const dir = join(root, 'c');
    const cache = await openCache(dir);
    await cache.getOrCompute('arrow', 'a', async () => bytesOf(5, 1));
    await cache.getOrCompute('json', 'b', async () => bytesOf(5, 2));
    await cache.flush();
    expect(await cacheFiles(dir)).toHaveLength(2);

    cache.invalidate();
    expect(cache.has('arrow', 'a')).toBe(false);
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0, invalidations: 1 });
    const fresh = counting(bytesOf(5, 9));
    expect(await cache.getOrCompute('arrow', 'a', fresh.compute)).toEqual({ bytes: bytesOf(5, 9), hit: false });
    await cache.flush();
    expect(await cacheFiles(dir)).toHaveLength(1);
    expect(await cache.get('arrow', 'a')).toEqual(bytesOf(5, 9));
  });

  it('stores normally after an invalidate that preceded the computation', async () => {
    const cache = await openCache(join(root, 'c'));
    cache.invalidate();
    await cache.getOrCompute('arrow', 'a', async () => bytesOf(3));
    await cache.flush();
    expect(cache.has('arrow', 'a')).toBe(true);
  });

  it('returns but does not store a result whose computation started before an invalidate', async () => {
    const dir = join(root, 'c');
    const cache = await openCache(dir);
    const old = controlled();
    const a = cache.getOrCompute('arrow', 'q', old.compute);
    await old.started;
    const joinedBefore = cache.getOrCompute('arrow', 'q', async () => bytesOf(1, 0));
    await settleMicrotasks();
    expect(cache.stats().waiting).toBe(1);

    cache.invalidate();

    // A call after the invalidate must not join the old computation.
    const fresh = counting(bytesOf(4, 2));
    const b = await cache.getOrCompute('arrow', 'q', fresh.compute);
    expect(b).toEqual({ bytes: bytesOf(4, 2), hit: false });
    expect(fresh.calls()).toBe(1);
    await cache.flush();

    old.result.resolve(bytesOf(4, 1));
    expect(await a).toEqual({ bytes: bytesOf(4, 1), hit: false });
    expect(await joinedBefore).toEqual({ bytes: bytesOf(4, 1), hit: true });
    await cache.flush();
    expect(await cache.get('arrow', 'q')).toEqual(bytesOf(4, 2));
    expect(await cacheFiles(dir)).toHaveLength(1);
  });

  it('never serves an old result when the invalidate lands while it is being written', async () => {
    const dir = join(root, 'c');
    const cache = await openCache(dir);
    await cache.getOrCompute('arrow', 'q', async () => bytesOf(1000, 1));
    cache.invalidate(); // the background write may or may not have finished: either way it is stale
    const after = counting(bytesOf(1000, 2));
    expect(await cache.getOrCompute('arrow', 'q', after.compute)).toEqual({ bytes: bytesOf(1000, 2), hit: false });
    await cache.flush();
    expect(await cache.get('arrow', 'q')).toEqual(bytesOf(1000, 2));
    expect(await cacheFiles(dir)).toHaveLength(1);
  });

  it('does not store a computation that finished after an invalidate, when nobody else stored', async () => {
    const dir = join(root, 'c');
    const cache = await openCache(dir);
    const old = controlled();
    const a = cache.getOrCompute('json', 'q', old.compute);
    await old.started;
    cache.invalidate();
    old.result.resolve(bytesOf(3));
    expect((await a).bytes).toEqual(bytesOf(3));
    await cache.flush();
    expect(cache.has('json', 'q')).toBe(false);
    expect(await cacheFiles(dir)).toEqual([]);
  });
});

describe('ResultCache size bound', () => {
  it('evicts the least recently used entry and deletes its file', async () => {
    const dir = join(root, 'c');
    const cache = await openCache(dir, 300);
    for (const sql of ['a', 'b', 'c']) {
      await cache.getOrCompute('arrow', sql, async () => bytesOf(100, sql.charCodeAt(0)));
      await cache.flush();
    }
    expect((await cache.getOrCompute('arrow', 'a', async () => bytesOf(1))).hit).toBe(true); // a is now most recent
    await cache.getOrCompute('arrow', 'd', async () => bytesOf(100, 4));
    await cache.flush();
    expect(cache.has('arrow', 'b')).toBe(false);
    expect(['a', 'c', 'd'].map((sql) => cache.has('arrow', sql))).toEqual([true, true, true]);
    expect(cache.stats()).toMatchObject({ entries: 3, bytes: 300, evictions: 1 });
    expect(await cacheFiles(dir)).toHaveLength(3);

    expect((await cache.getOrCompute('arrow', 'c', async () => bytesOf(1))).hit).toBe(true); // order: a, d, c
    await cache.getOrCompute('arrow', 'e', async () => bytesOf(150, 5));
    await cache.flush();
    expect(['a', 'd', 'c', 'e'].map((sql) => cache.has('arrow', sql))).toEqual([false, false, true, true]);
    expect(cache.stats()).toMatchObject({ entries: 2, bytes: 250, evictions: 3 });
    expect(await cacheFiles(dir)).toHaveLength(2);
  });

  it('keeps the total within maxBytes when many results are stored at once', async () => {
    const dir = join(root, 'c');
    const cache = await openCache(dir, 250);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => cache.getOrCompute('json', `q${i}`, async () => bytesOf(100, i))),
    );
    await cache.flush();
    expect(cache.stats().bytes).toBeLessThanOrEqual(250);
    expect(cache.stats().entries).toBe(2);
    expect(await cacheFiles(dir)).toHaveLength(2);
  });

  it('returns but does not store an entry larger than maxBytes', async () => {
    const dir = join(root, 'c');
    const cache = await openCache(dir, 10);
    const big = await cache.getOrCompute('arrow', 'big', async () => bytesOf(11));
    expect(big).toEqual({ bytes: bytesOf(11), hit: false });
    await cache.flush();
    expect(cache.has('arrow', 'big')).toBe(false);
    expect(cache.stats()).toMatchObject({ entries: 0, oversize: 1 });
    expect(await cacheFiles(dir)).toEqual([]);
    const again = counting(bytesOf(11));
    expect((await cache.getOrCompute('arrow', 'big', again.compute)).hit).toBe(false);
    expect(again.calls()).toBe(1);
  });
});

describe('ResultCache files', () => {
  it('creates the directory recursively', async () => {
    const dir = join(root, 'a', 'b', 'c');
    const cache = await openCache(dir);
    await cache.getOrCompute('arrow', 'q', async () => bytesOf(2));
    await cache.flush();
    expect(await cacheFiles(dir)).toHaveLength(1);
  });

  it('open() removes entries of earlier runs but not foreign files', async () => {
    const dir = join(root, 'c');
    const crashed = await ResultCache.open({ dir, maxBytes: 1000 }); // never closed, like a crashed run
    await crashed.getOrCompute('arrow', 'q', async () => bytesOf(5, 1));
    await crashed.flush();
    const hex = 'ab'.repeat(32);
    await writeFile(join(dir, `${hex}.oldrun.7.duckwire-cache`), 'old');
    await writeFile(join(dir, `${hex}.oldrun.8.duckwire-cache-tmp`), 'half');
    const foreign = ['notes.txt', 'mine.duckwire-cache', `${hex}.duckwire-cache`, `${hex}.x.1.duckwire-cache.bak`];
    for (const name of foreign) await writeFile(join(dir, name), 'keep');
    await mkdir(join(dir, 'subdir'));

    const cache = await openCache(dir);
    expect((await readdir(dir)).sort()).toEqual([...foreign, 'subdir'].sort());
    const result = counting(bytesOf(5, 2));
    expect(await cache.getOrCompute('arrow', 'q', result.compute)).toEqual({ bytes: bytesOf(5, 2), hit: false });
  });

  it('close() waits for pending writes and removes this run’s files only', async () => {
    const dir = join(root, 'c');
    const cache = await ResultCache.open({ dir, maxBytes: 1000 });
    await writeFile(join(dir, 'notes.txt'), 'keep');
    await cache.getOrCompute('arrow', 'a', async () => bytesOf(5));
    await cache.flush();
    await cache.getOrCompute('json', 'b', async () => bytesOf(5)); // write still in flight
    await cache.close();
    expect(await readdir(dir)).toEqual(['notes.txt']);
    expect(cache.stats().entries).toBe(0);
    // After close: computes, stores nothing.
    const after = counting(bytesOf(3));
    expect(await cache.getOrCompute('arrow', 'a', after.compute)).toEqual({ bytes: bytesOf(3), hit: false });
    await cache.flush();
    expect(await readdir(dir)).toEqual(['notes.txt']);
    await cache.close(); // idempotent
  });

  it('close() does not remove the files of another cache in the same directory', async () => {
    const dir = join(root, 'c');
    const one = await openCache(dir);
    const two = await openCache(dir);
    await two.getOrCompute('arrow', 'q', async () => bytesOf(5));
    await two.flush();
    await one.close();
    expect(await cacheFiles(dir)).toHaveLength(1);
    expect((await two.getOrCompute('arrow', 'q', async () => bytesOf(1))).hit).toBe(true);
  });
});

describe('ResultCache disk errors', () => {
  it('returns the bytes when a file stands where the directory should be', async () => {
    const dir = join(root, 'not-a-dir');
    await writeFile(dir, 'I am a file');
    const cache = await openCache(dir);
    const r = await cache.getOrCompute('arrow', 'q', async () => bytesOf(4, 4));
    expect(r).toEqual({ bytes: bytesOf(4, 4), hit: false });
    await cache.flush();
    expect(cache.stats()).toMatchObject({ entries: 0, storeFailures: 1 });
    const again = counting(bytesOf(4, 5));
    expect((await cache.getOrCompute('arrow', 'q', again.compute)).hit).toBe(false);
    await cache.close();
  });

  it('returns the bytes when the directory lies below a file', async () => {
    const file = join(root, 'file');
    await writeFile(file, 'x');
    const cache = await openCache(join(file, 'cache'));
    expect((await cache.getOrCompute('json', 'q', async () => bytesOf(2))).bytes).toEqual(bytesOf(2));
    await cache.flush();
    expect(cache.stats().storeFailures).toBe(1);
  });

  it.skipIf(isRoot)('returns the bytes when the directory is not writable', async () => {
    const dir = join(root, 'ro');
    await mkdir(dir);
    await chmod(dir, 0o500);
    try {
      const cache = await openCache(dir);
      expect((await cache.getOrCompute('arrow', 'q', async () => bytesOf(3))).bytes).toEqual(bytesOf(3));
      await cache.flush();
      expect(cache.stats()).toMatchObject({ entries: 0, storeFailures: 1 });
    } finally {
      await chmod(dir, 0o700);
    }
  });

  it('recreates the directory if it is removed after open()', async () => {
    const dir = join(root, 'c');
    const cache = await openCache(dir);
    await rm(dir, { recursive: true });
    await cache.getOrCompute('arrow', 'q', async () => bytesOf(3));
    await cache.flush();
    expect(cache.has('arrow', 'q')).toBe(true);
    expect(await cacheFiles(dir)).toHaveLength(1);
  });
});

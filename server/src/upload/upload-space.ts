/**
 * Where file uploads land on disk: a directory only this server's user can enter, holding one
 * private subdirectory per upload in progress. DuckDB's file readers need a path, and a client
 * must never name one, so the server writes the bytes there itself and removes them when the
 * upload ends, however it ends.
 */
import { chmod, mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The upload directory of one server. */
export class UploadSpace {
  private constructor(
    /** The directory (absolute): DuckDB must be allowed to read below it. */
    readonly root: string,
    private readonly owned: boolean,
  ) {}

  /**
   * Make the directory: `dir` (created if missing) or, without one, a fresh `duckwire-uploads-…`
   * directory in the OS temp directory, removed again by {@link close}. Either way its mode is 0700.
   */
  static async open(dir: string | undefined): Promise<UploadSpace> {
    if (dir === undefined) return new UploadSpace(await mkdtemp(join(tmpdir(), 'duckwire-uploads-')), true);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    return new UploadSpace(dir, false);
  }

  /**
   * Write `bytes` to a new file (mode 0600) in a private subdirectory, run `use` with its path,
   * and remove the subdirectory afterwards, whatever `use` or the writing ends with. The writing
   * stops with `signal`'s reason once it is aborted.
   *
   * @param extension - the file name's extension (DuckDB's readers look at it), e.g. `csv`.
   */
  async withFile<T>(
    extension: string,
    bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    use: (path: string) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const dir = await mkdtemp(join(this.root, 'upload-'));
    try {
      const path = join(dir, `upload.${extension}`);
      const file = await open(path, 'wx', 0o600);
      try {
        for await (const part of bytes) {
          signal?.throwIfAborted();
          await file.write(part);
        }
      } finally {
        await file.close();
      }
      signal?.throwIfAborted();
      return await use(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Remove the directory if {@link open} made it. */
  async close(): Promise<void> {
    if (this.owned) await rm(this.root, { recursive: true, force: true });
  }
}

import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_PORT, MAX_JSON_DEPTH } from '@duckwire/protocol';
import { readTokenFile } from './auth/token-file.js';
import type { Logger } from './logger.js';

/** Settings of a duckwire server. Every field has a default; see {@link resolveOptions}. */
export interface ServerOptions {
  /** DuckDB database file, or `:memory:` (the default). */
  readonly dbPath?: string;
  /** Interface to listen on. Default `127.0.0.1`: only this machine can connect. Use `0.0.0.0` to expose it. */
  readonly host?: string;
  /** TCP port; `0` picks a free one. Default 4000. */
  readonly port?: number;
  /** When set, clients must authenticate with this token first. */
  readonly authToken?: string;
  /** A file holding the auth token (its trailing line break is dropped); instead of `authToken`. */
  readonly authTokenFile?: string;
  /**
   * Browser origins allowed to open a WebSocket besides loopback ones (`http(s)://localhost`,
   * `127.0.0.1`, `[::1]`, any port): `scheme://host[:port]`, `null`, or `*` for any. Requests
   * without an `Origin` header (non-browser clients) are always allowed.
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * Host names accepted in the `Host` header besides loopback ones, or `*` for any. While the server
   * listens on a loopback address, or once this is set, other `Host`s are refused (DNS rebinding).
   */
  readonly allowedHosts?: readonly string[];
  /** Listen on a non-loopback address without an auth token. Refused at start unless set. */
  readonly allowUnauthenticated?: boolean;
  /** Extensions to install and load at start, as `name` or `name@repository`. Failures are warnings. */
  readonly extensions?: readonly string[];
  /** Directory of the result cache. Default: a `duckwire-cache-<pid>` folder in the OS temp directory. */
  readonly cacheDir?: string;
  /** Upper bound of the result cache's size on disk, in bytes. Default 512 MiB. */
  readonly cacheMaxBytes?: number;
  /** Turn the result cache off: `persist` is then ignored. */
  readonly noCache?: boolean;
  /** Most DuckDB connections open at once (= queries running at once). Default 32. */
  readonly maxConnections?: number;
  /**
   * DuckDB's `threads`: the threads one query may use (DuckDB runs `threads - 1` background
   * workers; each running query adds the thread that runs it). Default: DuckDB's own, the
   * number of CPU cores. Fewer leave more CPU to Node's event loop, which encodes and sends every
   * result (see docs/benchmarks.md, "DuckDB threads"); more make one big aggregation faster.
   */
  readonly threads?: number;
  /** Server-wide row limit of one result. Default: none. */
  readonly maxResultRows?: number;
  /** Server-wide byte limit of one result. Default 2 GiB. */
  readonly maxResultBytes?: number;
  /** Largest incoming binary WebSocket message (so the largest upload), in bytes. Default 256 MiB. */
  readonly maxMessageBytes?: number;
  /**
   * Largest incoming text message (SQL and other JSON requests), in bytes. Default 4 MiB (or
   * `maxMessageBytes` when that is smaller). Text over
   * it is answered with `error` code `message_too_large` and the connection is closed (1009).
   */
  readonly maxTextMessageBytes?: number;
  /** Deepest nesting of objects and arrays a text message may have (the message itself is 1). Default 64; 0 = none. */
  readonly maxJsonDepth?: number;
  /** Queries and uploads one connection may have in flight; beyond it they are refused as `overloaded`. Default 64. */
  readonly maxInFlightPerConnection?: number;
  /** Queries and uploads the whole server may have in flight; beyond it they are refused as `overloaded`. Default 1024. */
  readonly maxInFlight?: number;
  /** Interrupt a query after this many ms (answered with code `timeout`); 0 = no timeout. Default 0. */
  readonly queryTimeoutMs?: number;
  /** Send a WebSocket ping every this many ms; a peer that misses two is dropped. 0 = never. Default 30,000. */
  readonly pingIntervalMs?: number;
  /**
   * Largest chunked upload (duckwire.v1 `uploadArrow`/`uploadFile` with `chunked`), all its parts
   * together, in bytes. Default 4 GiB. A single-message upload is bounded by `maxMessageBytes`.
   */
  readonly maxUploadBytes?: number;
  /**
   * Directory for the temporary files of file uploads (each upload gets a private subdirectory,
   * removed when it ends). Default: a `duckwire-uploads-` folder made at start in the OS temp
   * directory, removed at shutdown.
   */
  readonly uploadDir?: string;
  /** How many times a statement that failed on a transaction conflict is re-run. Default 5. */
  readonly conflictRetries?: number;
  /**
   * No writes from SQL: the database opens read-only (an in-memory one has nothing writable), and
   * `COPY … TO`, `EXPORT DATABASE`, `INSTALL`/`LOAD`, `PREPARE`/`EXECUTE` and uploads are refused.
   */
  readonly readOnly?: boolean;
  /**
   * Directories below which SQL may read (and, unless read-only, write) files; nothing else on disk
   * or the network is reachable from SQL. `[]`: no files at all but the database. Default: no
   * restriction. Relative paths are resolved against the working directory.
   */
  readonly allowedDirectories?: readonly string[];
  /**
   * Whether clients may `INSTALL`/`LOAD` extensions and DuckDB installs/loads known extensions on
   * first use. Default `true`. `extensions` preload at start either way.
   */
  readonly sqlExtensions?: boolean;
  /** duckwire.v1: shortest time between two `progress` messages of one query, in ms. Default 100. */
  readonly progressIntervalMs?: number;
  /**
   * duckwire.v1: most cursors (streamed queries with `fetchRows`) open at once on one connection;
   * each holds a DuckDB connection while it waits for `fetch`. Default 8; 0 means no limit.
   */
  readonly maxCursorsPerConnection?: number;
  /** duckwire.v1: a paused cursor with no `fetch` for this many ms is closed (`cursor_timeout`). Default 60000; 0 means never. */
  readonly cursorIdleTimeoutMs?: number;
  /** Logger; by default JSON lines on stderr at level `info`. */
  readonly logger?: Logger;
}

/** {@link ServerOptions} with every default filled in. */
export interface ResolvedOptions
  extends Required<
    Omit<ServerOptions, 'authToken' | 'authTokenFile' | 'maxResultRows' | 'allowedDirectories' | 'uploadDir' | 'logger' | 'threads'>
  > {
  readonly authToken: string | undefined;
  readonly maxResultRows: number | undefined;
  /** Absolute paths, or `undefined` for no restriction. */
  readonly allowedDirectories: readonly string[] | undefined;
  /** The operator's upload directory, or `undefined` for a fresh one in the OS temp directory. */
  readonly uploadDir: string | undefined;
  /** DuckDB's `threads`, or `undefined` for DuckDB's default. */
  readonly threads: number | undefined;
}

/** The token in force: `authToken`, or the contents of `authTokenFile`, never both. */
function resolveAuthToken(options: ServerOptions): string | undefined {
  const token = options.authToken === '' ? undefined : options.authToken;
  if (options.authTokenFile === undefined || options.authTokenFile === '') return token;
  if (token !== undefined) {
    throw new Error('the auth token is given twice: use --auth-token (DUCKWIRE_AUTH_TOKEN) or --auth-token-file, not both');
  }
  return readTokenFile(options.authTokenFile);
}

/** Fill in the defaults of {@link ServerOptions}; reads `authTokenFile`. Throws a one-line `Error` on a bad setting. */
export function resolveOptions(options: ServerOptions): ResolvedOptions {
  return {
    dbPath: options.dbPath ?? ':memory:',
    host: options.host ?? '127.0.0.1',
    port: options.port ?? DEFAULT_PORT,
    authToken: resolveAuthToken(options),
    allowedOrigins: options.allowedOrigins ?? [],
    allowedHosts: options.allowedHosts ?? [],
    allowUnauthenticated: options.allowUnauthenticated ?? false,
    extensions: options.extensions ?? [],
    cacheDir: options.cacheDir ?? join(tmpdir(), `duckwire-cache-${process.pid}`),
    cacheMaxBytes: options.cacheMaxBytes ?? 512 * 1024 * 1024,
    noCache: options.noCache ?? false,
    maxConnections: options.maxConnections ?? 32,
    threads: options.threads,
    maxResultRows: options.maxResultRows,
    maxResultBytes: options.maxResultBytes ?? 2 * 1024 * 1024 * 1024,
    maxMessageBytes: options.maxMessageBytes ?? 256 * 1024 * 1024,
    // Never above the binary limit unless set explicitly.
    maxTextMessageBytes: options.maxTextMessageBytes ?? Math.min(4 * 1024 * 1024, options.maxMessageBytes ?? Number.POSITIVE_INFINITY),
    maxJsonDepth: options.maxJsonDepth ?? MAX_JSON_DEPTH,
    maxInFlightPerConnection: options.maxInFlightPerConnection ?? 64,
    maxInFlight: options.maxInFlight ?? 1024,
    queryTimeoutMs: options.queryTimeoutMs ?? 0,
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    maxUploadBytes: options.maxUploadBytes ?? 4 * 1024 * 1024 * 1024,
    uploadDir: options.uploadDir === undefined ? undefined : resolve(options.uploadDir),
    conflictRetries: options.conflictRetries ?? 5,
    readOnly: options.readOnly ?? false,
    allowedDirectories: options.allowedDirectories?.map((dir) => resolve(dir)),
    sqlExtensions: options.sqlExtensions ?? true,
    progressIntervalMs: options.progressIntervalMs ?? 100,
    maxCursorsPerConnection: options.maxCursorsPerConnection ?? 8,
    cursorIdleTimeoutMs: options.cursorIdleTimeoutMs ?? 60_000,
  };
}

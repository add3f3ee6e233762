import { rmdir } from 'node:fs/promises';
import { type Server as HttpServer, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloseCode, selectSubprotocol } from '@duckwire/protocol';
import { WebSocketServer } from 'ws';
import { ResultCache } from './cache/result-cache.js';
import { Database } from './database/database.js';
import { type ExtensionSpec, parseExtensionList } from './database/extensions.js';
import { AccessPolicy } from './access/access-policy.js';
import { isLoopbackHostname } from './access/loopback.js';
import { RefusalLog } from './access/refusal-log.js';
import { handleHttp } from './http/routes.js';
import { type UpgradeGate, handleUpgrade } from './http/upgrade.js';
import { type Logger, createLogger } from './logger.js';
import { type ResolvedOptions, type ServerOptions, resolveOptions } from './options.js';
import { ChannelRegistry } from './pubsub/channel-registry.js';
import { Readiness } from './readiness.js';
import { Admission } from './session/admission.js';
import { Session, type SessionContext } from './session/session.js';
import { UploadSpace } from './upload/upload-space.js';
import { describeServer } from './version.js';

/** A running duckwire server. */
export interface DuckwireServer {
  /** The port it listens on (useful with `port: 0`). */
  readonly port: number;
  /** The interface it listens on. */
  readonly host: string;
  /** `ws://host:port/`. */
  readonly url: string;
  /** The settings in force. */
  readonly options: ResolvedOptions;
  /** Extensions that loaded at start. */
  readonly extensions: readonly string[];
  /** Open WebSocket connections. */
  readonly connections: number;
  /** Database connections currently lent to queries. */
  readonly busyConnections: number;
  /**
   * Shut down gracefully: refuse new connections and work, cancel in-flight queries, checkpoint
   * and close DuckDB, close every socket (1001). Safe to call more than once.
   */
  close(): Promise<void>;
}

/** How long shutdown waits for cancelled queries and closing sockets before cutting them off. */
const SHUTDOWN_GRACE_MS = 3000;

/** Wait for `promise`, but no longer than `ms`. */
function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise.then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/** A start-up failure with a one-line message for the user (port in use, database cannot be opened…). */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') reject(new StartupError(`port ${port} is already in use on ${host}`));
      else if (error.code === 'EACCES') reject(new StartupError(`no permission to listen on ${host}:${port}`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new StartupError(`cannot listen on ${host}: no such local address`));
      else reject(new StartupError(`cannot listen on ${host}:${port}: ${error.message}`));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Start a duckwire server: open DuckDB (in memory unless `dbPath` is given), load extensions,
 * and serve the WebSocket protocol plus `/healthz`, `/readyz` and `/version` on one port. The port
 * opens before DuckDB does; WebSocket upgrades in that window wait for it (up to 10 s, then 503).
 * Rejects with a {@link StartupError} when a setting is invalid, the port is taken, the database
 * cannot be opened, or the server would listen on a non-loopback address without an auth token
 * (unless `allowUnauthenticated`).
 */
export async function startServer(options: ServerOptions = {}): Promise<DuckwireServer> {
  let resolved: ResolvedOptions;
  let extensions: ExtensionSpec[];
  let policy: AccessPolicy;
  try {
    resolved = resolveOptions(options);
    extensions = parseExtensionList(resolved.extensions);
    policy = new AccessPolicy({ ...resolved, boundToLoopback: isLoopbackHostname(resolved.host) });
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  if (!isLoopbackHostname(resolved.host) && resolved.authToken === undefined && !resolved.allowUnauthenticated) {
    throw new StartupError(
      `refusing to listen on ${resolved.host} without an auth token: anyone who can reach it could run SQL as this user; ` +
        'set --auth-token-file (or DUCKWIRE_AUTH_TOKEN), or pass --allow-unauthenticated',
    );
  }
  const logger: Logger = options.logger ?? createLogger();
  const refusals = new RefusalLog(logger);
  const readiness = new Readiness();
  const sessions = new Set<Session>();
  const channels = new ChannelRegistry();
  let database: Database | undefined;
  let context: SessionContext | undefined;
  let shuttingDown = false;

  const http = createServer((request, response) =>
    handleHttp(
      {
        authToken: resolved.authToken,
        policy,
        refusals,
        isReady: () => readiness.ready && !shuttingDown,
        version: () => describeServer(Database.version),
      },
      request,
      response,
    ),
  );
  // `ws` would otherwise select the first subprotocol offered, known or not.
  const wss = new WebSocketServer({
    noServer: true,
    // The WebSocket layer closes (1009) anything over this without a word; the session checks each
    // kind against its own, smaller-for-text limit and answers message_too_large first.
    maxPayload: Math.max(resolved.maxMessageBytes, resolved.maxTextMessageBytes),
    handleProtocols: (offered) => selectSubprotocol(offered),
    // One message per socket per turn of the event loop: a socket that pipelines 10,000 requests
    // cannot hold the loop while another socket's request waits to be read (fair reading).
    allowSynchronousEvents: false,
  });
  // Upgrades that arrive while DuckDB is still opening wait for it (bounded) instead of failing.
  const gate: UpgradeGate = {
    policy,
    refusals,
    readiness,
    isShuttingDown: () => shuttingDown,
    accept: (request, socket, head) => {
      const base = context as SessionContext;
      wss.handleUpgrade(request, socket, head, (ws) => {
        // Every line a session logs (auth failures included) names its peer.
        const session = new Session(ws, { ...base, logger: base.logger.child({ remote: request.socket.remoteAddress }) });
        sessions.add(session);
        ws.on('close', () => sessions.delete(session));
      });
    },
  };
  http.on('upgrade', (request, socket, head) => void handleUpgrade(gate, request, socket, head));
  await listen(http, resolved.port, resolved.host);

  let cache: ResultCache | undefined;
  let uploads: UploadSpace | undefined;
  try {
    uploads = await UploadSpace.open(resolved.uploadDir).catch((error: Error) => {
      throw new StartupError(`cannot make the upload directory: ${error.message}`);
    });
    database = await Database.open({
      path: resolved.dbPath,
      maxConnections: resolved.maxConnections,
      threads: resolved.threads,
      extensions,
      logger,
      access: {
        readOnly: resolved.readOnly,
        // The server's own file uploads must stay readable by DuckDB under the restriction.
        allowedDirectories:
          resolved.allowedDirectories === undefined ? undefined : [...resolved.allowedDirectories, uploads.root],
        sqlExtensions: resolved.sqlExtensions,
      },
    }).catch((error: Error) => {
      throw new StartupError(`cannot open database ${resolved.dbPath}: ${error.message.split('\n')[0]}`);
    });
    if (!resolved.noCache) cache = await ResultCache.open({ dir: resolved.cacheDir, maxBytes: resolved.cacheMaxBytes });
  } catch (error) {
    readiness.markFailed();
    await database?.close();
    await uploads?.close();
    await new Promise((resolve) => http.close(resolve));
    throw error;
  }
  const db = database;
  const uploadSpace = uploads;
  context = {
    uploads: uploadSpace,
    database: db,
    options: resolved,
    cache,
    logger,
    channels,
    isShuttingDown: () => shuttingDown,
    admission: new Admission(resolved.maxInFlightPerConnection, resolved.maxInFlight),
  };
  readiness.markReady();
  // One timer pings every peer; a peer that misses two pings is dropped and its queries interrupted.
  const heartbeat =
    resolved.pingIntervalMs > 0
      ? setInterval(() => {
          for (const session of sessions) session.heartbeat();
        }, resolved.pingIntervalMs)
      : undefined;
  heartbeat?.unref();

  const address = http.address() as AddressInfo;
  const host = resolved.host;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  logger.info(
    {
      host,
      port: address.port,
      dbPath: resolved.dbPath,
      auth: resolved.authToken !== undefined,
      readOnly: resolved.readOnly,
      allowedDirectories: resolved.allowedDirectories ?? 'any',
      sqlExtensions: resolved.sqlExtensions,
    },
    'listening',
  );
  if (!isLoopbackHostname(host) && resolved.authToken === undefined) {
    logger.warn({ host }, 'no auth token on a non-loopback address: anyone who can reach this port can run SQL');
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
      clearInterval(heartbeat);
      logger.info('shutting down');
      const stopped = new Promise((resolve) => http.close(resolve));
      // A query whose client stopped reading may wait on its socket forever: give the
      // cancellations a bounded time, then cut such sockets off.
      await settledWithin(
        Promise.all([...sessions].map((session) => session.cancelAll('shutdown'))),
        SHUTDOWN_GRACE_MS,
      );
      for (const session of sessions) session.close(CloseCode.GoingAway, 'server shutting down');
      http.closeAllConnections();
      await settledWithin(stopped, SHUTDOWN_GRACE_MS);
      for (const session of sessions) session.terminate();
      await Promise.all([...sessions].map((session) => session.settled()));
      wss.close();
      await db.close();
      await cache?.close();
      // The default cache directory is this process's own (`duckwire-cache-<pid>`): leave nothing behind.
      // (rmdir removes it only when empty; a directory the operator chose is kept.)
      if (cache && options.cacheDir === undefined) await rmdir(resolved.cacheDir).catch(() => undefined);
      await uploadSpace.close();
      logger.info('stopped');
    })();
    return closing;
  };

  return {
    port: address.port,
    host,
    url: `ws://${urlHost}:${address.port}/`,
    options: resolved,
    extensions: db.extensions,
    get connections() {
      return sessions.size;
    },
    get busyConnections() {
      return db.pool.inUse;
    },
    close,
  };
}

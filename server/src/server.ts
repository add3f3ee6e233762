import { type Server as HttpServer, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloseCode, selectSubprotocol } from '@duckwire/protocol';
import { WebSocketServer } from 'ws';
import { ResultCache } from './cache/result-cache.js';
import { Database } from './database/database.js';
import { type ExtensionSpec, parseExtensionList } from './database/extensions.js';
import { handleHttp } from './http/routes.js';
import { type Logger, createLogger } from './logger.js';
import { type ResolvedOptions, type ServerOptions, resolveOptions } from './options.js';
import { ChannelRegistry } from './pubsub/channel-registry.js';
import { Session } from './session/session.js';
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
 * and serve the WebSocket protocol plus `/healthz`, `/readyz` and `/version` on one port.
 * Rejects with a {@link StartupError} when the port is taken or the database cannot be opened.
 */
export async function startServer(options: ServerOptions = {}): Promise<DuckwireServer> {
  const resolved = resolveOptions(options);
  let extensions: ExtensionSpec[];
  try {
    extensions = parseExtensionList(resolved.extensions);
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  const logger: Logger = options.logger ?? createLogger();
  const sessions = new Set<Session>();
  const channels = new ChannelRegistry();
  let database: Database | undefined;
  let shuttingDown = false;

  const http = createServer((request, response) =>
    handleHttp(
      {
        authToken: resolved.authToken,
        isReady: () => database !== undefined && !shuttingDown,
        version: () => describeServer(Database.version),
      },
      request,
      response,
    ),
  );
  // `ws` would otherwise select the first subprotocol offered, known or not.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: resolved.maxMessageBytes,
    handleProtocols: (offered) => selectSubprotocol(offered),
  });
  await listen(http, resolved.port, resolved.host);

  let cache: ResultCache | undefined;
  try {
    database = await Database.open({
      path: resolved.dbPath,
      maxConnections: resolved.maxConnections,
      extensions,
      logger,
    }).catch((error: Error) => {
      throw new StartupError(`cannot open database ${resolved.dbPath}: ${error.message.split('\n')[0]}`);
    });
    if (!resolved.noCache) cache = await ResultCache.open({ dir: resolved.cacheDir, maxBytes: resolved.cacheMaxBytes });
  } catch (error) {
    await database?.close();
    await new Promise((resolve) => http.close(resolve));
    throw error;
  }
  const db = database;
  const context = {
    database: db,
    options: resolved,
    cache,
    logger,
    channels,
    isShuttingDown: () => shuttingDown,
  };

  http.on('upgrade', (request, socket, head) => {
    if (shuttingDown) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const session = new Session(ws, context);
      sessions.add(session);
      ws.on('close', () => sessions.delete(session));
    });
  });

  const address = http.address() as AddressInfo;
  const host = resolved.host;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  logger.info({ host, port: address.port, dbPath: resolved.dbPath, auth: resolved.authToken !== undefined }, 'listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
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

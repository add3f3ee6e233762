import { Command, InvalidArgumentError, Option } from 'commander';
import { LOG_LEVELS, type LogLevel, createLogger } from './logger.js';
import { StartupError, startServer } from './server.js';
import { SERVER_PACKAGE } from './version.js';

const positiveInt = (name: string) => (value: string) => {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return number;
};

const nonNegativeInt = (name: string) => (value: string) => {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return number;
};

const port = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) {
    throw new InvalidArgumentError('must be an integer from 0 to 65535');
  }
  return number;
};

const list = (value: string) => value.split(',').map((item) => item.trim()).filter((item) => item !== '');

const program = new Command('duckwire-server')
  .description('DuckDB over WebSockets: serve a DuckDB database to web apps (Arrow IPC and JSON results).')
  .version(SERVER_PACKAGE.version, '-v, --version')
  .option('--db-path <path>', 'DuckDB database file, or :memory:', ':memory:')
  .option('--port <port>', 'TCP port (0 picks a free one)', port, 4000)
  .option(
    '--host <host>',
    'interface to listen on; 0.0.0.0 exposes the server to the network and then needs an auth token',
    '127.0.0.1',
  )
  .option('--extensions <list>', 'extensions to install and load, comma-separated: httpfs,spatial,h3@community')
  .addOption(
    new Option('--auth-token <token>', 'require clients to authenticate with this token').env('DUCKWIRE_AUTH_TOKEN'),
  )
  .addOption(
    new Option('--auth-token-file <path>', 'read the auth token from this file (keeps it out of argv and the environment)').env(
      'DUCKWIRE_AUTH_TOKEN_FILE',
    ),
  )
  .option(
    '--allowed-origins <list>',
    'browser origins allowed to connect besides http(s)://localhost, 127.0.0.1 and [::1] (any port), comma-separated: https://app.example.com,null or *',
    list,
  )
  .option(
    '--allowed-hosts <list>',
    'Host header names accepted besides loopback ones (guards against DNS rebinding), comma-separated, or *',
    list,
  )
  .option('--allow-unauthenticated', 'allow listening on a non-loopback --host without an auth token')
  .option('--read-only', 'no writes from SQL: read-only database, no COPY TO, EXPORT, INSTALL/LOAD or uploads')
  .option(
    '--allowed-directories <list>',
    'SQL reads (and writes) files only below these directories, comma-separated; no other files, no network',
    list,
  )
  .option('--no-external-access', 'SQL reaches no files and no network at all (only the database)')
  .option('--no-sql-extensions', 'clients cannot INSTALL or LOAD extensions, nor autoload them (--extensions still preloads)')
  .option('--cache-dir <dir>', 'directory of the result cache (default: a folder in the OS temp directory)')
  .option('--cache-max-bytes <n>', 'size bound of the result cache', positiveInt('--cache-max-bytes'))
  .option('--no-cache', 'turn the result cache off (persist is then ignored)')
  .option('--max-connections <n>', 'queries running at once (DuckDB connections)', positiveInt('--max-connections'))
  .option(
    '--threads <n>',
    "threads one query may use (DuckDB's threads; default: the CPU cores); fewer leave more CPU to sending results",
    positiveInt('--threads'),
  )
  .option('--max-result-rows <n>', 'row limit of one result', positiveInt('--max-result-rows'))
  .option('--max-result-bytes <n>', 'byte limit of one result', positiveInt('--max-result-bytes'))
  .option('--max-message-bytes <n>', 'largest incoming binary message (and upload), default 256 MiB', positiveInt('--max-message-bytes'))
  .option(
    '--max-text-message-bytes <n>',
    'largest incoming text message (SQL, JSON requests), default 4 MiB',
    positiveInt('--max-text-message-bytes'),
  )
  .option('--max-json-depth <n>', 'deepest nesting of a JSON request, default 64 (0 = none)', nonNegativeInt('--max-json-depth'))
  .option(
    '--max-in-flight-per-connection <n>',
    'queries one connection may have in flight, beyond it refused as overloaded; default 64',
    positiveInt('--max-in-flight-per-connection'),
  )
  .option(
    '--max-in-flight <n>',
    'queries the server may have in flight, beyond it refused as overloaded; default 1024',
    positiveInt('--max-in-flight'),
  )
  .option('--query-timeout <ms>', 'interrupt queries running longer, code timeout; default 0 (none)', nonNegativeInt('--query-timeout'))
  .option(
    '--ping-interval <ms>',
    'WebSocket ping interval; a peer that misses two is dropped; default 30000 (0 = off)',
    nonNegativeInt('--ping-interval'),
  )
  .option('--progress-interval <ms>', 'duckwire.v1: least time between two progress messages of a query', positiveInt('--progress-interval'))
  .option(
    '--max-cursors <n>',
    'duckwire.v1 cursors open at once per connection (each holds a DuckDB connection; default 8, 0 = no limit)',
    nonNegativeInt('--max-cursors'),
  )
  .option(
    '--cursor-idle-timeout-ms <ms>',
    'close a paused duckwire.v1 cursor after this long without fetch (default 60000, 0 = never)',
    nonNegativeInt('--cursor-idle-timeout-ms'),
  )
  .option('--max-upload-bytes <n>', 'largest chunked upload, all parts together (v1)', positiveInt('--max-upload-bytes'))
  .option('--upload-dir <dir>', 'directory for the temporary files of file uploads (default: a folder in the OS temp directory)')
  .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
  .showHelpAfterError('(run duckwire-server --help for usage)')
  .configureOutput({ outputError: (text, write) => write(text.split('\n')[0] + '\n') })
  .allowExcessArguments(false);

program.parse();
const flags = program.opts<{
  dbPath: string;
  port: number;
  host: string;
  extensions?: string;
  authToken?: string;
  authTokenFile?: string;
  allowedOrigins?: string[];
  allowedHosts?: string[];
  allowUnauthenticated?: boolean;
  cacheDir?: string;
  cacheMaxBytes?: number;
  cache: boolean;
  maxConnections?: number;
  threads?: number;
  maxResultRows?: number;
  maxResultBytes?: number;
  maxMessageBytes?: number;
  readOnly?: boolean;
  allowedDirectories?: string[];
  externalAccess: boolean;
  sqlExtensions: boolean;
  maxTextMessageBytes?: number;
  maxJsonDepth?: number;
  maxInFlightPerConnection?: number;
  maxInFlight?: number;
  queryTimeout?: number;
  pingInterval?: number;
  progressInterval?: number;
  maxCursors?: number;
  cursorIdleTimeoutMs?: number;
  maxUploadBytes?: number;
  uploadDir?: string;
  logLevel: LogLevel;
}>();

const allowedDirectories = flags.allowedDirectories ?? (flags.externalAccess ? undefined : []);

const logger = createLogger(flags.logLevel);
try {
  const server = await startServer({
    dbPath: flags.dbPath,
    port: flags.port,
    host: flags.host,
    extensions: flags.extensions ? [flags.extensions] : [],
    authToken: flags.authToken,
    authTokenFile: flags.authTokenFile,
    allowedOrigins: flags.allowedOrigins,
    allowedHosts: flags.allowedHosts,
    allowUnauthenticated: flags.allowUnauthenticated,
    cacheDir: flags.cacheDir,
    cacheMaxBytes: flags.cacheMaxBytes,
    noCache: !flags.cache,
    maxConnections: flags.maxConnections,
    threads: flags.threads,
    maxResultRows: flags.maxResultRows,
    maxResultBytes: flags.maxResultBytes,
    maxMessageBytes: flags.maxMessageBytes,
    readOnly: flags.readOnly,
    allowedDirectories,
    sqlExtensions: flags.sqlExtensions,
    maxTextMessageBytes: flags.maxTextMessageBytes,
    maxJsonDepth: flags.maxJsonDepth,
    maxInFlightPerConnection: flags.maxInFlightPerConnection,
    maxInFlight: flags.maxInFlight,
    queryTimeoutMs: flags.queryTimeout,
    pingIntervalMs: flags.pingInterval,
    progressIntervalMs: flags.progressInterval,
    maxCursorsPerConnection: flags.maxCursors,
    cursorIdleTimeoutMs: flags.cursorIdleTimeoutMs,
    maxUploadBytes: flags.maxUploadBytes,
    uploadDir: flags.uploadDir,
    logger,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'signal received');
    server.close().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error({ reason: error.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  const message = error instanceof StartupError ? error.message : (error as Error).message.split('\n')[0];
  process.stderr.write(`duckwire-server: ${message}\n`);
  process.exit(1);
}

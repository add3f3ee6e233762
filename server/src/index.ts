/**
 * @packageDocumentation
 * duckwire server: DuckDB over WebSockets. Start one with {@link startServer}, or from the
 * command line with `duckwire-server`.
 */
export { type DuckwireServer, StartupError, startServer } from './server.js';
export type { ServerOptions, ResolvedOptions } from './options.js';
export { createLogger, type Logger, type LogLevel, LOG_LEVELS } from './logger.js';

import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';

/** The server's logger: one JSON line per event with a `level` label. Tokens are never logged; SQL only at debug. */
export type Logger = PinoLogger;

/** Log levels accepted by `--log-level`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Create the default logger, writing to stderr (stdout stays free for the program's own output).
 * Any field named `token` or `authToken` is redacted wherever it appears.
 */
export function createLogger(level: LogLevel = 'info', destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['token', 'authToken', '*.token', '*.authToken', 'headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}

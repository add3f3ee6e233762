import { Writable } from 'node:stream';
import pino from 'pino';
import { type DuckwireServer, type ServerOptions, startServer } from '../../src/index.js';

/** Log lines a test server wrote, parsed. */
export type LogLines = Array<Record<string, unknown>>;

/** Start a real server on an ephemeral port with a logger that records into `logs`. */
export async function startTestServer(options: ServerOptions = {}): Promise<{ server: DuckwireServer; logs: LogLines }> {
  const logs: LogLines = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      callback();
    },
  });
  const logger = pino({ level: 'debug', formatters: { level: (label) => ({ level: label }) } }, sink);
  const server = await startServer({ port: 0, noCache: true, ...options, logger });
  return { server, logs };
}

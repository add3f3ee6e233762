import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { type DuckwireServer, type ServerOptions, startServer } from '../../src/index.js';
import { TestClient } from './test-client.js';

/** Log lines a test server wrote, parsed. */
export type LogLines = Array<Record<string, unknown>>;

/** Start a real server on an ephemeral port with a logger that records into `logs`. */
export async function startTestServer(
  options: ServerOptions = {},
): Promise<{ server: DuckwireServer; logs: LogLines }> {
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

/** A test server and one connected client, opened before a test file's tests and closed after them. */
export interface ServerFixture {
  readonly server: DuckwireServer;
  readonly client: TestClient;
}

/** Start a test server (see {@link startTestServer}) and connect one client for this test file. */
export function useServerAndClient(options: ServerOptions = {}): ServerFixture {
  let server: DuckwireServer | undefined;
  let client: TestClient | undefined;
  beforeAll(async () => {
    ({ server } = await startTestServer(options));
    client = await TestClient.connect(server.url);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the server fixture is used before its beforeAll ran');
    return value;
  };
  return {
    get server() {
      return ready(server);
    },
    get client() {
      return ready(client);
    },
  };
}

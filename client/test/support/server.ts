// A real duckwire server in the test process (from the workspace package), on an ephemeral loopback port.
import { type DuckwireServer, type ServerOptions, createLogger, startServer } from '@duckwire/server';
import { afterAll, beforeAll } from 'vitest';

/** Start a server on 127.0.0.1 with a free port (or `options.port`), result cache off, logging errors only. */
export function startDuckwire(options: ServerOptions = {}): Promise<DuckwireServer> {
  return startServer({ host: '127.0.0.1', port: 0, noCache: true, logger: createLogger('error'), ...options });
}

/** A server started before this file's tests and closed after them. `url` is valid inside tests. */
export function useDuckwire(options: ServerOptions = {}): { readonly url: string; readonly server: DuckwireServer } {
  let server: DuckwireServer | undefined;
  beforeAll(async () => {
    server = await startDuckwire(options);
  });
  afterAll(async () => {
    await server?.close();
  });
  return {
    get url() {
      if (!server) throw new Error('the server is not started');
      return server.url;
    },
    get server() {
      if (!server) throw new Error('the server is not started');
      return server;
    },
  };
}

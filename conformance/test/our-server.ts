/** Start @duckwire/server in this process for the suite to run against. */
import { fileURLToPath } from 'node:url';
import { type DuckwireServer, createLogger, startServer } from '@duckwire/server';
import { readExpectedFailures } from '../src/report/expected-failures.js';

/** The differences the suite finds in our own server today (each reported, each with its reason). */
export const OUR_EXPECTED_FAILURES = fileURLToPath(
  new URL('../expected-failures/duckwire-server.json', import.meta.url),
);
export const ourExpectedFailures = () => readExpectedFailures(OUR_EXPECTED_FAILURES);

/** A real duckwire server on an ephemeral loopback port, silent. */
export function startOurServer(authToken?: string): Promise<DuckwireServer> {
  return startServer({ port: 0, host: '127.0.0.1', authToken, logger: createLogger('silent') });
}

import { createRequire } from 'node:module';
import type { ServerInfo } from '@duckwire/protocol';

const require = createRequire(import.meta.url);

/** This package's name and version, read from its package.json. */
export const SERVER_PACKAGE: { readonly name: string; readonly version: string } = require('../package.json');

/** What `/version`, `hello` and the v1 `authAck` say about this server (only ever to an authenticated peer). */
export function describeServer(duckdbVersion: string): Required<ServerInfo> {
  return { name: SERVER_PACKAGE.name, version: SERVER_PACKAGE.version, duckdb: duckdbVersion, node: process.version };
}

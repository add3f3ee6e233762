/**
 * @packageDocumentation
 * The duckwire client SDK — **placeholder**. The SDK (a `WebSocketDuckDbConnector` for SQLRooms and
 * a plain client) lands with its own issue; until then this package exports only its status.
 * To talk to a duckwire server today, use `createWebSocketDuckDbConnector` from `@sqlrooms/duckdb`,
 * or build on `@duckwire/protocol`.
 */

/** Whether this package holds a usable SDK yet. */
export type ClientStatus = 'placeholder' | 'ready';

/**
 * The state of `@duckwire/client`: `'placeholder'` until the SDK lands. Nothing else is exported
 * yet; do not depend on this package in production code.
 */
export const CLIENT_STATUS: ClientStatus = 'placeholder';

/**
 * @packageDocumentation
 * The duckwire conformance suite — **placeholder**. The runner, which checks any server against
 * `docs/protocol.md` (and the baseline SQLRooms connector's expectations) over a real WebSocket,
 * lands with its own issue; until then this package exports only its status.
 */

/** Whether this package holds a usable conformance runner yet. */
export type ConformanceStatus = 'placeholder' | 'ready';

/**
 * The state of `@duckwire/conformance`: `'placeholder'` until the runner lands. Nothing else is
 * exported yet.
 */
export const CONFORMANCE_STATUS: ConformanceStatus = 'placeholder';

// The gate in front of the WebSocket: an upgrade is refused for a foreign Origin or Host, waits
// (bounded) while the server is still starting, and is answered 503 during shutdown — always with
// a real HTTP status, never a 404 or a silent drop.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AccessPolicy } from '../access/access-policy.js';
import type { RefusalLog } from '../access/refusal-log.js';
import type { Readiness } from '../readiness.js';

/** How long an upgrade that arrives while DuckDB is still opening waits before it gets a 503. */
export const READY_WAIT_MS = 10_000;

/** What the upgrade gate needs from the server. */
export interface UpgradeGate {
  readonly policy: AccessPolicy;
  readonly refusals: RefusalLog;
  readonly readiness: Readiness;
  readonly isShuttingDown: () => boolean;
  /** Complete the handshake and start a session (the server is ready). */
  readonly accept: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

const STATUS_TEXT: Record<number, string> = { 403: 'Forbidden', 503: 'Service Unavailable' };

/** Answer an upgrade request with a plain HTTP error and close the socket. */
export function refuseUpgrade(socket: Duplex, status: 403 | 503, body: string): void {
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Handle one `upgrade` event of the HTTP server. */
export async function handleUpgrade(
  gate: UpgradeGate,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  // Node's HTTP server stops listening for errors on a socket it hands over for an upgrade: until
  // `ws` takes it, a peer that resets (while refused, or while waiting) would raise an uncaught error.
  const ignore = () => {};
  socket.on('error', ignore);
  const refusal = gate.policy.checkUpgrade(request);
  if (refusal) {
    gate.refusals.refused('WebSocket upgrade', refusal, request);
    refuseUpgrade(socket, 403, refusal.message);
    return;
  }
  if (!gate.readiness.ready) {
    const ready = await gate.readiness.wait(READY_WAIT_MS);
    if (socket.destroyed) return;
    if (!ready) {
      refuseUpgrade(socket, 503, 'not ready: the server is still starting (or failed to start)');
      return;
    }
  }
  if (gate.isShuttingDown()) {
    refuseUpgrade(socket, 503, 'the server is shutting down');
    return;
  }
  socket.off('error', ignore);
  gate.accept(request, socket, head);
}

/**
 * Liveness of one peer: the server sends a WebSocket ping every interval, and a peer that leaves
 * two in a row unanswered is taken for gone (its machine slept, its network dropped without a FIN).
 * A peer that is still taking our replies off the socket, or still sending, counts as alive even
 * if its pong is stuck behind a large result.
 */
import type { WebSocket } from 'ws';

/** Pings a peer may leave unanswered before it is dropped. */
const MISSED_PINGS = 2;

export class Heartbeat {
  readonly #ws: WebSocket;
  #unanswered = 0;
  #lastBuffered = 0;

  constructor(ws: WebSocket) {
    this.#ws = ws;
    const alive = () => {
      this.#unanswered = 0;
    };
    ws.on('pong', alive);
    ws.on('message', alive);
  }

  /** One interval passed: ping the peer. Returns false when it missed {@link MISSED_PINGS} pings (drop it). */
  beat(): boolean {
    const buffered = this.#ws.bufferedAmount;
    if (buffered < this.#lastBuffered) this.#unanswered = 0; // it is reading our replies
    this.#lastBuffered = buffered;
    if (this.#unanswered >= MISSED_PINGS) return false;
    this.#unanswered++;
    this.#ws.ping();
    return true;
  }
}

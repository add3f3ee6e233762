/**
 * The slice of the WebSocket API the client uses, satisfied by browsers' `WebSocket`, Node 22+'s global one
 * and the `ws` package; and how the client picks an implementation.
 */

/** The events the client listens to. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  binaryType: string;
  /** Bytes queued by `send` and not yet handed to the network (used to pace large uploads). */
  readonly bufferedAmount?: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: `new WebSocket(url, protocols)`. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** `WebSocket.OPEN`. */
export const OPEN = 1;

/** Loads a WebSocket implementation when the platform has none (the Node entry loads `ws`). */
export type WebSocketLoader = () => Promise<WebSocketConstructor>;

/**
 * The implementation to use: the one passed in, else the global `WebSocket`, else what `fallback` loads.
 *
 * @throws Error when none is available.
 */
export async function resolveWebSocket(
  passed: WebSocketConstructor | undefined,
  fallback: WebSocketLoader | undefined,
): Promise<WebSocketConstructor> {
  if (passed) return passed;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return global;
  if (fallback) return fallback();
  throw new Error(
    'no WebSocket implementation: this platform has no global WebSocket; pass one as the `WebSocket` option ' +
      "(e.g. `import WebSocket from 'ws'`)",
  );
}

/**
 * @packageDocumentation
 * The Node entry of `@duckwire/client` (chosen by the `node` export condition): the same API as the browser
 * entry, but when there is no global `WebSocket` (Node < 22) and none is passed in, it loads the `ws`
 * package (an optional peer dependency), with a message limit fit for large results.
 */
import { DuckwireClient as BaseClient, openClient } from './client.js';
import {
  type WebSocketDuckDbConnector,
  type WebSocketDuckDbConnectorOptions,
  createWebSocketDuckDbConnector as createConnector,
} from './connector.js';
import type { ClientOptions, InternalOptions } from './options.js';
import type { WebSocketConstructor } from './websocket.js';

export * from './index.js';

/** Largest message `ws` accepts here: a baseline server sends a whole result as one message. */
const MAX_MESSAGE_BYTES = 2 ** 31 - 1;

async function loadWs(): Promise<WebSocketConstructor> {
  let module: { default: new (url: string, protocols?: string | string[], options?: object) => unknown };
  try {
    module = (await import('ws')) as typeof module;
  } catch (error) {
    throw new Error(
      "no WebSocket implementation: Node < 22 has no global WebSocket; install the 'ws' package or pass the `WebSocket` option",
      { cause: error },
    );
  }
  const Ws = module.default;
  return class extends (Ws as unknown as new (url: string, protocols?: string | string[], options?: object) => object) {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { maxPayload: MAX_MESSAGE_BYTES });
    }
  } as unknown as WebSocketConstructor;
}

const withNodeDefaults = <T extends object>(options: T): T & Pick<InternalOptions, 'loadWebSocket'> => ({
  ...options,
  loadWebSocket: loadWs,
});

/** {@link BaseClient | DuckwireClient} for Node: uses `ws` when there is no global WebSocket. */
export class DuckwireClient extends BaseClient {
  constructor(url: string, options: ClientOptions = {}) {
    super(url, withNodeDefaults(options));
  }
}

/** {@link DuckwireClient} connect for Node: uses `ws` when there is no global WebSocket. */
export function connect(url: string, options: ClientOptions = {}): Promise<DuckwireClient> {
  return openClient(new DuckwireClient(url, options));
}

/** The SQLRooms connector for Node: uses `ws` when there is no global WebSocket. */
export function createWebSocketDuckDbConnector(
  options: WebSocketDuckDbConnectorOptions = {},
): WebSocketDuckDbConnector {
  return createConnector(withNodeDefaults(options));
}

/**
 * A WebSocket proxy that sits between the suite and a real server and corrupts what the server
 * sends, one named fault at a time. It shows that the suite catches servers that are wrong in the
 * ways clients suffer from (see docs/conformance.md#fault-injection).
 */
import { type IncomingMessage, type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';

/** One message from the server, as the proxy relays it. */
export interface Relayed {
  data: Buffer;
  isBinary: boolean;
}

/** What a fault does to one connection's traffic from the server. */
export interface FaultSession {
  /** Messages to deliver instead of `message` (empty: drop it). */
  onMessage(message: Relayed): Relayed[];
  /** The close code to pass on instead of `code`, or `null` to leave the client connection open. */
  onClose?(code: number): number | null;
}

/** A named way of being wrong. */
export interface Fault {
  readonly id: string;
  readonly description: string;
  /** Whether a client would suffer from it (then at least one MUST check has to fail). */
  readonly harmful: boolean;
  /** Fresh per-connection state. */
  session(): FaultSession;
}

/** A running proxy. */
export interface FaultProxy {
  readonly url: string;
  /** Change the fault applied to connections opened from now on (undefined: relay faithfully). */
  setFault(fault: Fault | undefined): void;
  close(): Promise<void>;
}

const sendable = (code: number) =>
  code === 1000 ||
  (code >= 3000 && code <= 4999) ||
  (code >= 1001 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006);

/** Start a proxy on 127.0.0.1 in front of `target` (`ws://host:port/`). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let fault: Fault | undefined;
  const targetUrl = new URL(target);
  const selected = new WeakMap<IncomingMessage, string>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 2 ** 31 - 1,
    // Select what the server selected.
    handleProtocols: (_offered, req) => selected.get(req) ?? false,
  });
  const server: Server = createServer((req, res) => {
    // Plain HTTP (the probes) is relayed unchanged.
    const upstream = request(
      { host: targetUrl.hostname, port: targetUrl.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const offered = (req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const upstream = new WebSocket(new URL(req.url ?? '/', target), offered, { maxPayload: 2 ** 31 - 1 });
    const session = fault?.session();
    upstream.once('unexpected-response', (_r, response) => {
      socket.end(`HTTP/1.1 ${response.statusCode} Refused\r\nConnection: close\r\n\r\n`);
    });
    upstream.once('error', () => socket.destroy());
    upstream.once('open', () => {
      if (upstream.protocol) selected.set(req, upstream.protocol);
      wss.handleUpgrade(req, socket, head, (client) => {
        upstream.on('message', (data, isBinary) => {
          const message = { data: Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]), isBinary };
          const out = session ? session.onMessage(message) : [message];
          for (const m of out) if (client.readyState === WebSocket.OPEN) client.send(m.data, { binary: m.isBinary });
        });
        upstream.on('close', (code) => {
          const relayed = session?.onClose ? session.onClose(code) : code;
          if (relayed === null) return;
          if (client.readyState === WebSocket.OPEN) client.close(sendable(relayed) ? relayed : 1000);
        });
        client.on('message', (data, isBinary) => {
          if (upstream.readyState === WebSocket.OPEN) upstream.send(data as Buffer, { binary: isBinary });
        });
        client.on('close', () => upstream.close());
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    setFault(next) {
      fault = next;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// A real WebSocket server (the `ws` package) that speaks a script instead of running DuckDB: a baseline-only
// server like the Python reference (it selects no subprotocol), or a v1 server whose hello announces chosen
// capabilities. For what our own server cannot be made to do: be old, or lack a capability.
import type { IncomingMessage } from 'node:http';
import { decodeFrame } from '@duckwire/protocol';
import { type AddressInfo, type WebSocket, WebSocketServer } from 'ws';

/** What a scripted server does. */
export interface Script {
  /** The subprotocol to select from those offered (`false`: none, as a baseline server). */
  readonly select: (offered: Set<string>) => string | false;
  /** Sent first on every connection whose selected subprotocol is duckwire.v1. */
  readonly hello?: object;
  /** Answer one message from the client: a text message, or a binary frame's header with its `payload`. */
  readonly answer: (message: Record<string, unknown>, send: (data: string | Uint8Array) => void) => void;
}

/** A running scripted server: its URL, what each upgrade offered, and a way to stop it. */
export interface ScriptedServer {
  readonly url: string;
  /** The `Sec-WebSocket-Protocol` header of each upgrade, in order ('' when none was offered). */
  readonly offers: string[];
  close(): Promise<void>;
}

/** Select duckwire.v1 when offered (a v1 server). */
export const selectV1 = (offered: Set<string>): string | false => (offered.has('duckwire.v1') ? 'duckwire.v1' : false);

/** A `hello` with these capabilities, no auth, and `extra` fields (limits, compression, server…). */
export function v1Hello(capabilities: readonly string[], extra: object = {}): object {
  return { type: 'hello', protocol: 'duckwire.v1', capabilities, auth: 'none', limits: {}, ...extra };
}

/** Answer the baseline's query messages as the Python reference would for `select 1 as x`-like SQL. */
export function baselineAnswer(message: Record<string, unknown>, send: (data: string) => void): void {
  const { type, queryId } = message;
  if (type === 'auth') send(JSON.stringify({ type: 'authAck' }));
  else if (type === 'json') send(JSON.stringify({ type: 'json', queryId, data: '[{"x":1}]' }));
  else if (type === 'exec') send(JSON.stringify({ type: 'ok', queryId }));
  else if (type === 'subscribe') send(JSON.stringify({ type: 'subscribed', channel: message.channel }));
  else if (typeof queryId === 'string')
    send(JSON.stringify({ type: 'error', queryId, error: `unsupported ${String(type)}` }));
}

/** Start a scripted server on 127.0.0.1 (ephemeral port). */
export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const offers: string[] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (offered) => script.select(offered) });
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    offers.push(request.headers['sec-websocket-protocol'] ?? '');
    const send = (data: string | Uint8Array) => socket.send(data);
    if (socket.protocol === 'duckwire.v1' && script.hello) send(JSON.stringify(script.hello));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        script.answer(JSON.parse(String(data)), send);
        return;
      }
      const frame = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (frame.ok) script.answer({ ...frame.value.header, payload: frame.value.payload }, send);
    });
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    offers,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

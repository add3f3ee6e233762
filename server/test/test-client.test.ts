// The server's test client checks every reply it receives against the protocol's schemas, so that
// any server test fails on a reply that breaks them (issue 8 §5). This proves the check is wired,
// with a plain ws server on loopback that sends what the duckwire server must never send.
import { encodeRawFrame } from '@duckwire/protocol/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { TestClient } from './support/test-client.js';

let wss: WebSocketServer;
let url: string;

beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as { port: number };
  url = `ws://127.0.0.1:${port}/`;
  wss.on('connection', (ws) => {
    ws.send('{"type":"ok"}'); // no queryId
    ws.send(JSON.stringify({ type: 'ok', queryId: 'q'.repeat(1025) })); // over maxLength
    ws.send(encodeRawFrame({ type: 'arrow' }, new Uint8Array(8)), { binary: true }); // header without queryId
    ws.send(Uint8Array.of(0, 0, 0, 9), { binary: true }); // ill-framed
    ws.send('{"type":"json","queryId":"q","data":"[\u0000'); // an aborted result: allowed
    ws.send('{"type":"ok","queryId":"last"}');
  });
});
afterAll(() => new Promise<void>((resolve) => wss.close(() => resolve())));

describe('TestClient', () => {
  it('reports every reply that breaks the schemas, and keeps the valid ones', async () => {
    const violations: string[] = [];
    const client = await TestClient.connect(url, {}, [], (message) => violations.push(message));
    await client.terminal('last');
    expect(violations).toHaveLength(4);
    expect(violations[0]).toMatch(/invalid message.*queryId/);
    expect(violations[2]).toMatch(/invalid frame.*queryId/);
    expect(client.replies.map((reply) => reply.kind)).toEqual(['bad-text', 'text']);
    await client.close();
  });
});

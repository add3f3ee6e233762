// A misbehaving server (a real WebSocket server that answers with broken messages): malformed replies reject
// their query or reach onError; nothing throws out of the client's event handlers; the connection stays usable.
import { type AddressInfo, WebSocketServer } from 'ws';
import { encodeFrame } from '@duckwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckwireClient, ProtocolViolationError, ServerError, connect } from '../src/node.js';

let wss: WebSocketServer;
let client: DuckwireClient;
const strays: Error[] = [];

/** Reply to each query as its SQL says. */
function answer(send: (data: string | Uint8Array) => void, message: { type: string; queryId: string; sql: string }) {
  const { queryId, sql } = message;
  switch (sql) {
    case 'short binary then ok':
      send(new Uint8Array([0, 0]));
      send(JSON.stringify({ type: 'json', queryId, data: '[]' }));
      return;
    case 'json without data':
      send(JSON.stringify({ type: 'json', queryId }));
      return;
    case 'undecodable arrow then error':
      send(encodeFrame({ type: 'arrow', queryId }, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])));
      send(
        JSON.stringify({ type: 'error', queryId, error: 'result aborted: limit exceeded', code: 'result_too_large' }),
      );
      return;
    case 'wrong reply type':
      send(JSON.stringify({ type: 'ok', queryId }));
      return;
    case 'noise then ok':
      send('{not json');
      send(JSON.stringify({ type: 'futureThing', extra: 1 }));
      send(JSON.stringify({ type: 'error', error: 'something the app should hear' }));
      send(JSON.stringify({ type: 'json', queryId, data: '[{"x":1}]' }));
      return;
    case 'unknown type with queryId':
      send(JSON.stringify({ type: 'futureThing', queryId }));
      return;
    default:
      send(JSON.stringify({ type: 'json', queryId, data: '[]' }));
  }
}

beforeAll(async () => {
  // A baseline server: it selects no subprotocol (the client falls back from duckwire.v1).
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => false });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => answer((reply) => socket.send(reply), JSON.parse(String(data))));
  });
  await new Promise((resolve) => wss.once('listening', resolve));
  client = await connect(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { onError: (e) => strays.push(e) });
});
afterAll(async () => {
  client?.close();
  await new Promise((resolve) => wss.close(resolve));
});

describe('malformed replies', () => {
  it('an ill-framed binary message without queryId reaches onError; the query still gets its reply', async () => {
    expect(await client.json('short binary then ok')).toEqual([]);
    expect(strays.at(-1)).toBeInstanceOf(ProtocolViolationError);
    expect(strays.at(-1)?.message).toMatch(/too_short/);
  });

  it('a reply that breaks its schema rejects its query', async () => {
    const error = await client.json('json without data').catch((e) => e);
    expect(error).toBeInstanceOf(ProtocolViolationError);
    expect(error.message).toMatch(/data/);
  });

  it('an undecodable Arrow stream waits for the error that follows (aborted result)', async () => {
    const error = await client.query('undecodable arrow then error').catch((e) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe('result_too_large');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('a reply of the wrong type rejects its query', async () => {
    const error = await client.json('wrong reply type').catch((e) => e);
    expect(error).toBeInstanceOf(ProtocolViolationError);
    expect(error.message).toMatch(/unexpected "ok" reply to json query/);
  });

  it('ignores invalid JSON and unknown types without queryId; reports an unaddressed error', async () => {
    const before = strays.length;
    expect(await client.json('noise then ok')).toEqual([{ x: 1 }]);
    expect(strays.slice(before).map((e) => e.message)).toEqual(['something the app should hear']);
  });

  it('an unknown type with a known queryId is a protocol error of that query', async () => {
    const error = await client.json('unknown type with queryId').catch((e) => e);
    expect(error).toBeInstanceOf(ProtocolViolationError);
    expect(client.status).toBe('connected');
  });
});

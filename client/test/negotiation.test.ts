// duckwire.v1 negotiation: the client offers the subprotocol, reads hello (capabilities, limits, server), falls
// back to the baseline with a server that selects none (Node `ws` refuses such a handshake: one reconnect
// without the offer), and refuses every v1 feature the server did not announce with NotSupportedError.
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, Capability, type DuckwireClient, NotSupportedError, connect } from '../src/node.js';
import {
  type ScriptedServer,
  baselineAnswer,
  selectV1,
  startScriptedServer,
  v1Hello,
} from './support/scripted-server.js';
import { startDuckwire, useDuckwire } from './support/server.js';

const duckwire = useDuckwire();

describe('against our server', () => {
  it('negotiates duckwire.v1 and reads hello: capabilities, limits, server versions (auth off)', async () => {
    const client = await connect(duckwire.url);
    try {
      expect(client.protocol).toBe('duckwire.v1');
      expect(client.capabilities).toContain(Capability.Ping);
      expect(client.supports(Capability.Ping)).toBe(true);
      expect(client.limits.maxTextMessageBytes).toBeGreaterThan(0);
      expect(client.serverInfo?.name).toBe('@duckwire/server');
      expect(client.serverInfo?.duckdb).toMatch(/^v\d/);
      expect(await client.json('select 1 as x')).toEqual([{ x: 1 }]);
      const ms = await client.ping();
      expect(ms).toBeGreaterThanOrEqual(0);
    } finally {
      client.close();
    }
  });

  it('with auth: no versions before the token; the v1 authAck carries them', async () => {
    const server = await startDuckwire({ authToken: 'secret' });
    try {
      const client = await connect(server.url, { authToken: 'secret' });
      expect(client.protocol).toBe('duckwire.v1');
      expect(client.serverInfo?.name).toBe('@duckwire/server');
      client.close();
      const error = await connect(server.url).catch((e) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
    } finally {
      await server.close();
    }
  });

  it('v1: false gives a baseline connection, where v1 features are not supported', async () => {
    const client = await connect(duckwire.url, { v1: false });
    try {
      expect(client.protocol).toBe('baseline');
      expect(client.capabilities).toEqual([]);
      expect(client.serverInfo).toBeUndefined();
      expect(await client.json('select 2 as x')).toEqual([{ x: 2 }]);
      const error = await client.ping().catch((e) => e);
      expect(error).toBeInstanceOf(NotSupportedError);
      expect(error.message).toMatch(/ping .*baseline connection.*: not supported by this server/);
    } finally {
      client.close();
    }
  });
});

describe('against a baseline-only server (selects no subprotocol, like the Python reference)', () => {
  let server: ScriptedServer;
  let client: DuckwireClient;
  beforeAll(async () => {
    server = await startScriptedServer({ select: () => false, answer: baselineAnswer });
    client = await connect(server.url, { authToken: 't' });
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  it('falls back: ws refuses the answer without subprotocol, the client reconnects once without offering it', async () => {
    expect(server.offers).toEqual(['duckwire.v1', '']);
    expect(client.protocol).toBe('baseline');
    expect(await client.json('select 1 as x')).toEqual([{ x: 1 }]);
    await client.reconnect();
    expect(server.offers).toEqual(['duckwire.v1', '', 'duckwire.v1', '']);
    expect(client.protocol).toBe('baseline');
  });

  it('every v1 feature fails with "not supported by this server", nothing is sent', async () => {
    const attempts = [
      client.json('select ?', { params: [1] }),
      client.exec('select 1', { onProgress: () => {} }),
      client.json('select 1', { temporal: 'iso' }),
      client.query('select 1', { compression: 'zstd' }),
      client.cursor('select 1').next(10),
      client.stream('select 1', { fetchRows: 10 }).next(),
      client.beginSession(),
      client.uploadFile('t', new Uint8Array([1]), { format: 'csv' }),
      client.ping(),
    ];
    for (const attempt of attempts) {
      const error = await attempt.then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(NotSupportedError);
      expect(error?.message).toMatch(/not supported by this server$/);
      expect((error as NotSupportedError).code).toBe('not_supported');
    }
    // Still usable.
    expect(await client.json('select 1 as x')).toEqual([{ x: 1 }]);
  });

  it('baseline features still work: a stream falls back to one result, uploads are one message', async () => {
    const table = tableFromArrays({ a: Int32Array.from([1, 2, 3]) });
    const ipc = tableToIPC(table, 'stream');
    const echo = await startScriptedServer({
      select: () => false,
      answer: (message, send) => {
        if (message.type === 'arrow') {
          const header = new TextEncoder().encode(JSON.stringify({ type: 'arrow', queryId: message.queryId }));
          const frame = new Uint8Array(4 + header.length + ipc.length);
          new DataView(frame.buffer).setUint32(0, header.length);
          frame.set(header, 4);
          frame.set(ipc, 4 + header.length);
          send(frame);
        } else baselineAnswer(message, send);
      },
    });
    const other = await connect(echo.url);
    try {
      let rows = 0;
      for await (const batch of other.stream('select * from t')) rows += batch.numRows;
      expect(rows).toBe(3);
    } finally {
      other.close();
      await echo.close();
    }
  });
});

describe('against a v1 server that announces few capabilities', () => {
  let server: ScriptedServer;
  let client: DuckwireClient;
  beforeAll(async () => {
    server = await startScriptedServer({
      select: selectV1,
      hello: v1Hello(['fromTheFuture'], {
        limits: { maxBinaryMessageBytes: 1_000_000, someFutureLimit: 3 },
        server: { name: 'scripted', version: '0.0.0' },
        futureField: true,
      }),
      answer: baselineAnswer,
    });
    client = await connect(server.url);
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  it('ignores unknown capabilities, limits and fields', async () => {
    expect(server.offers).toEqual(['duckwire.v1']);
    expect(client.protocol).toBe('duckwire.v1');
    expect(client.capabilities).toEqual(['fromTheFuture']);
    expect(client.limits.maxBinaryMessageBytes).toBe(1_000_000);
    expect(client.serverInfo).toEqual({ name: 'scripted', version: '0.0.0' });
  });

  it('refuses each feature whose capability hello did not list, naming the capability', async () => {
    const cases: Array<[Promise<unknown>, string]> = [
      [client.json('select ?', { params: [1] }), 'params'],
      [client.exec('select 1', { onProgress: () => {} }), 'progress'],
      [client.json('select 1', { temporal: 'epochMs' }), 'temporal'],
      [client.query('select 1', { compression: 'lz4' }), 'compression'],
      [client.cursor('select 1').next(1), 'cursor'],
      [client.beginSession(), 'session'],
      [client.uploadFile('t', new Blob(['a\n1\n']), { format: 'csv' }), 'fileUpload'],
      [client.ping(), 'ping'],
    ];
    for (const [attempt, capability] of cases) {
      const error = await attempt.then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error).toBeInstanceOf(NotSupportedError);
      expect(error?.message).toContain(`capability "${capability}"`);
    }
  });
});

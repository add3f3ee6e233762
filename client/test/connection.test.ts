// Connection life: auth, losing the server mid-query, reconnecting with re-auth, re-subscribe and
// re-running initializationQuery, timeouts while connecting, closing.
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  type ConnectionStatus,
  ConnectionError,
  DuckwireClient,
  ServerError,
  connect,
} from '../src/node.js';
import { spawnDuckwire } from './support/server-process.js';
import { startDuckwire } from './support/server.js';

const fastReconnect = { initialDelayMs: 50, maxDelayMs: 200 };

describe('auth', () => {
  it('authenticates with the token and rejects a wrong one with AuthenticationError (no retry loop)', async () => {
    const server = await startDuckwire({ authToken: 'secret' });
    try {
      const client = await connect(server.url, { authToken: 'secret' });
      expect(await client.json('select 1 as x')).toEqual([{ x: 1 }]);
      client.close();
      const error = await connect(server.url, { authToken: 'wrong' }).catch((e) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.code).toBe('unauthorized');
      // A v1 server says in hello that it needs a token: connecting without one fails at once.
      const early = await connect(server.url).catch((e) => e);
      expect(early).toBeInstanceOf(AuthenticationError);
      expect(early.message).toMatch(/requires a token/);
      const missing = await connect(server.url, { v1: false }).catch((e) => e);
      // Baseline: without a token the socket opens; the first query is refused and the connection closed.
      if (missing instanceof Error) throw missing;
      const refused = await missing.json('select 1').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ConnectionError);
      missing.close();
    } finally {
      await server.close();
    }
  });
});

describe('reconnect', () => {
  it('rejects in-flight queries with a connection error when the server dies, then reconnects, re-subscribes and re-runs initializationQuery', async () => {
    let server = await spawnDuckwire();
    const port = server.port;
    const statuses: ConnectionStatus[] = [];
    const notes: Array<[string, unknown]> = [];
    const client = await connect(server.url, {
      reconnect: fastReconnect,
      subscribeChannels: ['news'],
      initializationQuery: "create or replace table init_marker as select 'ran' as v",
      onStatusChange: (status) => statuses.push(status),
      onNotification: (channel, payload) => notes.push([channel, payload]),
    });
    try {
      const inFlight = client.query('select count(*) from range(10000000000) a').catch((e) => e);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await server.kill();
      const error = await inFlight;
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.code).toBe('connection_lost');
      expect(error.message).toMatch(/lost/);

      // A fresh, empty server on the same port: the client comes back by itself.
      server = await spawnDuckwire(port);
      const rows = await client.json('select v from init_marker');
      expect(rows).toEqual([{ v: 'ran' }]);
      expect(client.status).toBe('connected');
      expect(statuses).toContain('disconnected');
      expect(statuses.at(-1)).toBe('connected');

      // Re-subscribed: another client's notify reaches us.
      const other = await connect(server.url);
      await other.notify('news', { n: 1 });
      await expect.poll(() => notes).toEqual([['news', { n: 1 }]]);
      other.close();
    } finally {
      client.close();
      await server.kill();
    }
  });

  it('in-flight queries of a server that shuts down gracefully end with its cancelled error', async () => {
    const server = await startDuckwire();
    const client = await connect(server.url, { reconnect: false });
    const inFlight = client.query('select count(*) from range(10000000000) a').catch((e) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await server.close();
    const error = await inFlight;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBe('cancelled');
    client.close();
  });

  it('queries issued while the server is down wait for the reconnect', async () => {
    let server = await startDuckwire();
    const port = server.port;
    const client = await connect(server.url, { reconnect: fastReconnect });
    try {
      await server.close();
      await expect.poll(() => client.status).not.toBe('connected');
      const waiting = client.json('select 7 as n');
      await new Promise((resolve) => setTimeout(resolve, 300));
      server = await startDuckwire({ port });
      expect(await waiting).toEqual([{ n: 7 }]);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('gives up waiting for a connection after waitForConnectionMs', async () => {
    const server = await startDuckwire();
    const client = await connect(server.url, { reconnect: fastReconnect, waitForConnectionMs: 300 });
    await server.close();
    const error = await client.json('select 1').catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.code).toBe('connect_timeout');
    client.close();
  });

  it('fails to connect to a port nobody listens on with connect_failed', async () => {
    const server = await startDuckwire();
    const url = server.url;
    await server.close();
    const error = await connect(url).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.code).toBe('connect_failed');
  });

  it('reconnect() opens a new connection on demand', async () => {
    const server = await startDuckwire();
    const client = await connect(server.url);
    try {
      await client.exec('create temp table t as select 1');
      await client.reconnect();
      expect(client.status).toBe('connected');
      expect(await client.json('select 2 as x')).toEqual([{ x: 2 }]);
    } finally {
      client.close();
      await server.close();
    }
  });
});

describe('close', () => {
  it('rejects in-flight and later requests with client_closed', async () => {
    const server = await startDuckwire();
    const client = new DuckwireClient(server.url);
    try {
      await client.open();
      const inFlight = client.query('select count(*) from range(10000000000) a').catch((e) => e.code);
      await new Promise((resolve) => setTimeout(resolve, 50));
      client.close();
      expect(await inFlight).toBe('client_closed');
      expect(await client.query('select 1').catch((e) => e.code)).toBe('client_closed');
      expect(client.status).toBe('idle');
      await expect.poll(() => server.connections).toBe(0);
    } finally {
      await server.close();
    }
  });
});

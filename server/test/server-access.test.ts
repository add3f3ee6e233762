// Origin and Host checks of a real server: what a web page (cross-site WebSocket hijacking) or a
// DNS-rebound name can and cannot reach, over real `ws` handshakes.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DuckwireServer, ServerOptions } from '../src/index.js';
import { TestClient } from './support/test-client.js';
import { type LogLines, startTestServer } from './support/test-server.js';

/** The HTTP status of a WebSocket handshake with these headers: 101 when it opened. */
function handshakeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    ws.once('error', reject);
  });
}

/** Status and body of a plain GET with these headers (fetch cannot set `Host`). */
function get(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const started: DuckwireServer[] = [];
async function start(options: ServerOptions = {}): Promise<{ server: DuckwireServer; logs: LogLines }> {
  const result = await startTestServer(options);
  started.push(result.server);
  return result;
}
afterAll(async () => {
  await Promise.all(started.map((server) => server.close()));
});

describe('Origin check (defaults)', () => {
  let server: DuckwireServer;
  let logs: LogLines;
  beforeAll(async () => {
    ({ server, logs } = await start());
  });

  it('refuses a foreign origin with 403 and one log line naming it', async () => {
    expect(await handshakeStatus(server.url, { Origin: 'http://evil.example' })).toBe(403);
    const lines = logs.filter((line) => line.origin === 'http://evil.example');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      remote: '127.0.0.1',
      msg: expect.stringMatching(/origin not allowed/),
    });
  });

  it('refuses Origin: null (sandboxed frames, file:// pages)', async () => {
    expect(await handshakeStatus(server.url, { Origin: 'null' })).toBe(403);
    expect(logs.some((line) => line.origin === 'null')).toBe(true);
  });

  it('refuses look-alikes of loopback origins', async () => {
    for (const origin of [
      'http://localhost.evil.example',
      'http://127.0.0.1.evil.example:4000',
      'ftp://localhost',
      'garbage',
    ]) {
      expect(await handshakeStatus(server.url, { Origin: origin }), origin).toBe(403);
    }
  });

  it('accepts a request without Origin (non-browser clients) and it queries', async () => {
    const client = await TestClient.connect(server.url);
    expect(await client.rows('select 42 as x')).toEqual([{ x: 42 }]);
    await client.close();
  });

  it('accepts loopback origins on any port, http and https', async () => {
    for (const origin of [
      'http://localhost:5173',
      'https://localhost',
      'http://127.0.0.1:3000',
      'http://[::1]:8080',
      'http://LOCALHOST:1',
    ]) {
      expect(await handshakeStatus(server.url, { Origin: origin }), origin).toBe(101);
    }
    const client = await TestClient.connect(server.url, { origin: 'http://localhost:5173' });
    expect(await client.rows('select 1 as one')).toEqual([{ one: 1 }]);
    await client.close();
  });

  it('survives peers that reset the connection while being refused', async () => {
    const upgrade = [
      'GET / HTTP/1.1',
      'Host: 127.0.0.1',
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      'Origin: http://reset.example',
      '',
      '',
    ].join('\r\n');
    const resets = Array.from(
      { length: 200 },
      () =>
        new Promise<void>((resolve) => {
          const socket = connect(server.port, '127.0.0.1', () => {
            socket.write(upgrade);
            socket.resetAndDestroy();
          });
          socket.on('error', () => {});
          socket.on('close', () => resolve());
        }),
    );
    await Promise.all(resets);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const client = await TestClient.connect(server.url);
    expect(await client.rows('select 1 as alive')).toEqual([{ alive: 1 }]);
    await client.close();
  });

  it('logs a flood of refusals from one page once', async () => {
    const origin = 'https://flood.example';
    for (let i = 0; i < 20; i += 1) expect(await handshakeStatus(server.url, { Origin: origin })).toBe(403);
    expect(logs.filter((line) => line.origin === origin)).toHaveLength(1);
  });
});

describe('--allowed-origins', () => {
  it('extends the loopback origins with the listed ones only', async () => {
    const { server } = await start({ allowedOrigins: ['https://app.example.com, http://tools.example:8080'] });
    expect(await handshakeStatus(server.url, { Origin: 'https://app.example.com' })).toBe(101);
    expect(await handshakeStatus(server.url, { Origin: 'http://tools.example:8080' })).toBe(101);
    expect(await handshakeStatus(server.url, { Origin: 'http://tools.example:8081' })).toBe(403);
    expect(await handshakeStatus(server.url, { Origin: 'http://app.example.com' })).toBe(403);
    expect(await handshakeStatus(server.url, { Origin: 'http://localhost:3000' })).toBe(101);
  });

  it('accepts any origin with an explicit *', async () => {
    const { server } = await start({ allowedOrigins: ['*'] });
    expect(await handshakeStatus(server.url, { Origin: 'http://evil.example' })).toBe(101);
    expect(await handshakeStatus(server.url, { Origin: 'null' })).toBe(101);
  });

  it('refuses to start on an entry that is not an origin', async () => {
    await expect(start({ allowedOrigins: ['app.example.com'] })).rejects.toThrow(
      /invalid allowed origin "app.example.com"/,
    );
    await expect(start({ allowedOrigins: ['https://*.example.com'] })).rejects.toThrow(/invalid allowed origin/);
  });
});

describe('Host check (DNS rebinding) while bound to loopback', () => {
  let server: DuckwireServer;
  beforeAll(async () => {
    ({ server } = await start());
  });

  it('refuses an upgrade whose Host is a foreign name', async () => {
    expect(await handshakeStatus(server.url, { Host: `rebind.evil.example:${server.port}` })).toBe(403);
    expect(await handshakeStatus(server.url, { Host: 'rebind.evil.example' })).toBe(403);
  });

  it('accepts loopback Hosts on any port', async () => {
    for (const host of [`localhost:${server.port}`, '127.0.0.1', `[::1]:${server.port}`, 'localhost.:9']) {
      expect(await handshakeStatus(server.url, { Host: host }), host).toBe(101);
    }
  });

  it('keeps /readyz and /version from a rebound page; /healthz stays open', async () => {
    const foreign = { host: `rebind.evil.example:${server.port}` };
    expect((await get(server.port, '/version', foreign)).status).toBe(403);
    expect((await get(server.port, '/readyz', foreign)).status).toBe(403);
    expect(await get(server.port, '/healthz', foreign)).toEqual({ status: 200, body: 'ok' });
    expect((await get(server.port, '/version', { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('accepts the hosts listed in allowedHosts', async () => {
    const { server: listed } = await start({ allowedHosts: ['duck.internal'] });
    expect(await handshakeStatus(listed.url, { Host: 'duck.internal:443' })).toBe(101);
    expect(await handshakeStatus(listed.url, { Host: 'other.internal' })).toBe(403);
  });
});

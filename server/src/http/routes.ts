import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessPolicy } from '../access/access-policy.js';
import type { RefusalLog } from '../access/refusal-log.js';
import { bearerToken, tokenMatches } from '../auth/token.js';

/** What the HTTP endpoints report on. */
export interface HttpState {
  readonly authToken: string | undefined;
  /** The `Host` rule (DNS rebinding) for `/readyz` and `/version`. */
  readonly policy: AccessPolicy;
  /** Where refused requests are logged. */
  readonly refusals: RefusalLog;
  /** DuckDB is open and the server is not shutting down. */
  readonly isReady: () => boolean;
  /** The body of `GET /version`. */
  readonly version: () => Record<string, string>;
}

function reply(response: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

/**
 * The plain-HTTP side of the port: `GET /healthz` (always open, 200 while the process runs),
 * `GET /readyz` (200 once DuckDB is open, 503 before and during shutdown) and `GET /version`.
 * With a token configured, `/readyz` and `/version` need `Authorization: Bearer TOKEN`; with a
 * foreign `Host` (see {@link AccessPolicy}) they answer 403, so a DNS-rebound page cannot read them.
 */
export function handleHttp(state: HttpState, request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    reply(response, 405, 'method not allowed');
    return;
  }
  if (path === '/healthz') {
    reply(response, 200, 'ok');
    return;
  }
  if (path !== '/readyz' && path !== '/version') {
    reply(response, 404, 'not found: this port serves a duckwire WebSocket, /healthz, /readyz and /version');
    return;
  }
  const refusal = state.policy.checkRequest(request);
  if (refusal) {
    state.refusals.refused('HTTP request', refusal, request);
    reply(response, 403, refusal.message);
    return;
  }
  if (state.authToken !== undefined && !tokenMatches(state.authToken, bearerToken(request.headers.authorization))) {
    state.refusals.note('HTTP request refused: unauthorized', { path, remote: request.socket.remoteAddress });
    response.setHeader('www-authenticate', 'Bearer');
    reply(response, 401, 'unauthorized');
    return;
  }
  if (path === '/readyz') {
    if (state.isReady()) reply(response, 200, 'ok');
    else reply(response, 503, 'not ready');
    return;
  }
  reply(response, 200, JSON.stringify(state.version()), 'application/json');
}

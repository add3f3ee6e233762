// Who may use the server from a browser: the `Origin` rule (cross-site WebSocket hijacking) and the
// `Host` rule (DNS rebinding). Browsers let any page open a WebSocket to 127.0.0.1 and send no CORS
// preflight for it, so these checks are the only thing between a visited web page and a developer's
// unauthenticated local database.
import type { IncomingMessage } from 'node:http';
import { hostnameOf, isLoopbackHostname } from './loopback.js';

/** Settings of an {@link AccessPolicy}. */
export interface AccessPolicyOptions {
  /** Origins accepted besides loopback ones: `scheme://host[:port]`, `null`, or `*` (any). */
  readonly allowedOrigins: readonly string[];
  /** Host names accepted in `Host` besides loopback ones, or `*` (any). */
  readonly allowedHosts: readonly string[];
  /** Whether the server listens on a loopback address only (the `Host` check is then always on). */
  readonly boundToLoopback: boolean;
}

/** Why a request was refused: the header at fault and its value, for the log and the 403 body. */
export interface Refusal {
  readonly header: 'origin' | 'host';
  readonly value: string;
  readonly message: string;
}

const ANY = '*';

/** Parse one `--allowed-origins` entry into the form browsers send (`URL.origin`). */
function normalizeOrigin(entry: string): string {
  if (entry === ANY || entry === 'null') return entry;
  let url: URL | undefined;
  try {
    url = new URL(entry);
  } catch {}
  if (
    !url ||
    entry.includes(ANY) ||
    url.origin === 'null' ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash
  ) {
    throw new Error(
      `invalid allowed origin "${entry}": give scheme://host[:port] (e.g. https://app.example.com), null or *`,
    );
  }
  return url.origin;
}

/** Parse one `--allowed-hosts` entry into a host name as {@link hostnameOf} reports it. */
function normalizeHost(entry: string): string {
  if (entry === ANY) return entry;
  const hostname = entry.includes(ANY) ? undefined : hostnameOf(entry);
  if (hostname === undefined) {
    throw new Error(`invalid allowed host "${entry}": give a host name or IP address without a port, or *`);
  }
  if (new URL(`http://${entry}`).port !== '') {
    throw new Error(`invalid allowed host "${entry}": give it without a port (every port is accepted)`);
  }
  return hostname;
}

/** Split comma lists (as the CLI passes them) into trimmed, non-empty entries. */
function entries(list: readonly string[]): string[] {
  return list
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * The `Origin` and `Host` rules of one server. Requests without `Origin` (non-browser clients) and
 * from loopback origins (`http(s)://localhost`, `127.0.0.1`, `[::1]`, any port) are accepted, others
 * only when listed. While the server listens on loopback, or once hosts are listed, `Host` must be a
 * loopback name or address (any port) or a listed host: a DNS-rebound name is refused.
 */
export class AccessPolicy {
  readonly #origins: ReadonlySet<string>;
  readonly #hosts: ReadonlySet<string>;
  readonly #checkHost: boolean;

  /** Throws an `Error` naming the first invalid entry. */
  constructor(options: AccessPolicyOptions) {
    this.#origins = new Set(entries(options.allowedOrigins).map(normalizeOrigin));
    this.#hosts = new Set(entries(options.allowedHosts).map(normalizeHost));
    this.#checkHost = (options.boundToLoopback || this.#hosts.size > 0) && !this.#hosts.has(ANY);
  }

  /** Whether a browser page of `origin` (the header's value; `undefined` when absent) may connect. */
  originAllowed(origin: string | undefined): boolean {
    if (origin === undefined || this.#origins.has(ANY) || this.#origins.has(origin)) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return isLoopbackHostname(url.hostname) || this.#origins.has(url.origin);
  }

  /** Whether a request with this `Host` header (`undefined` when absent: HTTP/1.0, never a browser) is served. */
  hostAllowed(host: string | undefined): boolean {
    if (!this.#checkHost || host === undefined) return true;
    const hostname = hostnameOf(host);
    return hostname !== undefined && (isLoopbackHostname(hostname) || this.#hosts.has(hostname));
  }

  /** Why an HTTP request must be refused (its `Host`), or `undefined` when it may be served. */
  checkRequest(request: IncomingMessage): Refusal | undefined {
    const host = request.headers.host;
    if (this.hostAllowed(host)) return undefined;
    return { header: 'host', value: String(host), message: `host not allowed: ${host} (see --allowed-hosts)` };
  }

  /** Why a WebSocket upgrade must be refused (its `Host`, then its `Origin`), or `undefined`. */
  checkUpgrade(request: IncomingMessage): Refusal | undefined {
    const refusal = this.checkRequest(request);
    if (refusal) return refusal;
    const origin = request.headers.origin;
    if (this.originAllowed(origin)) return undefined;
    return {
      header: 'origin',
      value: String(origin),
      message: `origin not allowed: ${origin} (see --allowed-origins)`,
    };
  }
}

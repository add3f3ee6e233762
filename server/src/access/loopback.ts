// Which names and addresses mean "this machine only": the line between a local development server,
// which a browser page on another site must not reach, and a server exposed to a network.
import { BlockList, isIP } from 'node:net';

const loopbackAddresses = new BlockList();
loopbackAddresses.addSubnet('127.0.0.0', 8, 'ipv4');
loopbackAddresses.addAddress('::1', 'ipv6');

/**
 * Whether `hostname` — a name or an IP literal, IPv6 with or without brackets, no port — is this
 * machine's loopback interface: `localhost`, 127.0.0.0/8, `::1` (also IPv4-mapped).
 */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (name === 'localhost') return true;
  const family = isIP(name);
  if (family === 0) return false;
  return loopbackAddresses.check(name, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The host name of an HTTP `Host` header value (`name`, `name:port`, `[v6]:port`), normalized the
 * way browsers do (lower case, IPv4 in dotted form), or `undefined` when it is not a valid host.
 */
export function hostnameOf(hostHeader: string): string | undefined {
  if (/[/?#@\\\s]/.test(hostHeader)) return undefined;
  try {
    const url = new URL(`http://${hostHeader}`);
    return url.hostname === '' ? undefined : url.hostname;
  } catch {
    return undefined;
  }
}

import type { IncomingMessage } from 'node:http';
import { IpAllowlist, normaliseIp } from './ip-allowlist.js';

/**
 * The client's address. From the socket, unless the socket peer is a trusted proxy: then the
 * right-most X-Forwarded-For hop that is not itself a trusted proxy. A client can prepend
 * anything to X-Forwarded-For, so hops left of the first untrusted one are never believed.
 */
export function clientIp(
  request: IncomingMessage,
  trustedProxies: IpAllowlist | undefined,
): string {
  const peer = normaliseIp(request.socket?.remoteAddress ?? '');
  if (!trustedProxies || trustedProxies.isEmpty || !trustedProxies.allows(peer)) return peer;
  const header = request.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => normaliseIp(hop.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trustedProxies.allows(hops[i])) return hops[i];
  }
  return hops[0] ?? peer;
}

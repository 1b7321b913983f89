import { BlockList, isIP } from 'node:net';

/** `::ffff:1.2.3.4` → `1.2.3.4`, so that an IPv4-mapped address matches its IPv4 entry. */
export function normaliseIp(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** Checks an entry (`10.0.0.0/8`, `2001:db8::/32`, `127.0.0.1`); returns a reason or undefined. */
export function invalidAllowlistEntry(entry: string): string | undefined {
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(normaliseIp(address ?? ''));
  if (family === 0 || extra !== undefined) return `"${entry}" is not an IP address or CIDR range`;
  if (prefix === undefined) return undefined;
  const bits = Number(prefix);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || bits > max)
    return `"${entry}" has a prefix length outside 0–${max}`;
  return undefined;
}

/** An allowlist compiled once: IPv4/IPv6 addresses and CIDR ranges. */
export class IpAllowlist {
  private readonly list = new BlockList();
  readonly isEmpty: boolean;

  constructor(entries: readonly string[]) {
    this.isEmpty = entries.length === 0;
    for (const entry of entries) {
      const reason = invalidAllowlistEntry(entry);
      if (reason) throw new Error(reason);
      const [rawAddress, prefix] = entry.split('/');
      const address = normaliseIp(rawAddress);
      const type = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      // A mapped IPv6 range (::ffff:10.0.0.0/104) is its IPv4 range (10.0.0.0/8).
      const bits =
        prefix === undefined
          ? type === 'ipv4'
            ? 32
            : 128
          : address !== rawAddress
            ? Math.max(0, Number(prefix) - 96)
            : Number(prefix);
      this.list.addSubnet(address, bits, type);
    }
  }

  /** True when `address` is inside the list (an empty list allows everything). */
  allows(address: string): boolean {
    if (this.isEmpty) return true;
    const ip = normaliseIp(address);
    const family = isIP(ip);
    if (family === 0) return false;
    return this.list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  }
}

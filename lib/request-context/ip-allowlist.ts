import { isIP } from 'node:net';

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

/**
 * An address as the four 32-bit words of an IPv6 address; an IPv4 address as its mapped form
 * `::ffff:a.b.c.d`, so that IPv4 entries and IPv4-mapped addresses match each other (as
 * `net.BlockList` has them). Undefined when `address` is not an IP address.
 */
function parseAddress(address: string): Uint32Array | undefined {
  const family = isIP(address);
  if (family === 4) return Uint32Array.of(0, 0, 0xffff, ipv4Word(address));
  if (family !== 6) return undefined;
  const zone = address.indexOf('%');
  let body = zone === -1 ? address : address.slice(0, zone);
  // A trailing dotted quad (`::ffff:1.2.3.4`) is the last two groups.
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    const word = ipv4Word(body.slice(lastColon + 1));
    tail = [word >>> 16, word & 0xffff];
    body = body.slice(0, lastColon + 1);
    if (!body.endsWith('::')) body = body.slice(0, -1);
  }
  const gap = body.indexOf('::');
  const head = hexGroups(gap === -1 ? body : body.slice(0, gap));
  const rest = gap === -1 ? [] : hexGroups(body.slice(gap + 2));
  const zeros = new Array<number>(8 - head.length - rest.length - tail.length).fill(0);
  const groups = [...head, ...zeros, ...rest, ...tail];
  const words = new Uint32Array(4);
  for (let i = 0; i < 4; i++) words[i] = ((groups[2 * i] << 16) | groups[2 * i + 1]) >>> 0;
  return words;
}

function hexGroups(text: string): number[] {
  return text === '' ? [] : text.split(':').map((group) => parseInt(group, 16));
}

function ipv4Word(address: string): number {
  const [a, b, c, d] = address.split('.').map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** A network: its first address and how many leading bits of an address must equal it. */
interface Network {
  readonly words: Uint32Array;
  readonly bits: number;
}

function contains(network: Network, address: Uint32Array): boolean {
  for (let i = 0, left = network.bits; i < 4 && left > 0; i++, left -= 32) {
    const mask = left >= 32 ? 0xffffffff : (0xffffffff << (32 - left)) >>> 0;
    if ((address[i] & mask) >>> 0 !== (network.words[i] & mask) >>> 0) return false;
  }
  return true;
}

/**
 * An allowlist compiled once: IPv4/IPv6 addresses and CIDR ranges, matched as `net.BlockList`
 * does (IPv4 and IPv4-mapped IPv6 alike). Checking costs a fraction of a microsecond and the
 * same work for every address, listed or not, and for an empty list (which allows everything):
 * the API-key guard checks one allowlist on every attempt, so that a refusal for the address
 * takes as long as any other failure (issue #13, item 3).
 */
export class IpAllowlist {
  private readonly networks: Network[] = [];
  readonly isEmpty: boolean;

  constructor(entries: readonly string[]) {
    this.isEmpty = entries.length === 0;
    for (const entry of entries) {
      const reason = invalidAllowlistEntry(entry);
      if (reason) throw new Error(reason);
      const [rawAddress, prefix] = entry.split('/');
      const address = normaliseIp(rawAddress);
      const ipv4 = isIP(address) === 4;
      let bits = prefix === undefined ? (ipv4 ? 32 : 128) : Number(prefix);
      // A mapped IPv6 range (::ffff:10.0.0.0/104) is its IPv4 range (10.0.0.0/8).
      if (address !== rawAddress && prefix !== undefined) bits = Math.max(0, bits - 96);
      this.networks.push({
        words: parseAddress(address) as Uint32Array,
        bits: ipv4 ? 96 + bits : bits,
      });
    }
  }

  /** True when `address` is inside the list (an empty list allows everything). */
  allows(address: string): boolean {
    const parsed = parseAddress(address);
    if (parsed === undefined) return false;
    if (this.isEmpty) return true;
    for (const network of this.networks) if (contains(network, parsed)) return true;
    return false;
  }
}

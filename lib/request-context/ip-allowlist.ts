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

/** Groups read before and after a `::`; reused, since checks run one at a time. */
const HEAD = new Uint16Array(8);
const TAIL = new Uint16Array(8);
const COLON = 58;
const DOT = 46;

/**
 * An address as the four 32-bit words of an IPv6 address; an IPv4 address as its mapped form
 * `::ffff:a.b.c.d`, so that IPv4 entries and IPv4-mapped addresses match each other (as
 * `net.BlockList` has them). Undefined when `address` is not an IP address. Read character by
 * character, without splitting into strings: it runs on every authentication attempt.
 */
function parseAddress(address: string): Uint32Array | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  const words = new Uint32Array(4);
  if (family === 4) {
    words[2] = 0xffff;
    words[3] = ipv4Word(address, 0, address.length);
    return words;
  }
  const zone = address.indexOf('%');
  const end = zone === -1 ? address.length : zone;
  const gap = address.indexOf('::');
  const head = readGroups(address, 0, gap === -1 ? end : gap, HEAD);
  const tail = gap === -1 ? 0 : readGroups(address, gap + 2, end, TAIL);
  for (let g = 0; g < 8; g++) {
    const group = g < head ? HEAD[g] : g >= 8 - tail ? TAIL[g - (8 - tail)] : 0;
    words[g >> 1] = g & 1 ? (words[g >> 1] | group) >>> 0 : group << 16;
  }
  return words;
}

/**
 * Reads the hex groups of `text` from `from` to `to` into `out` (a trailing dotted quad as two
 * groups); returns how many. `text` is a valid IPv6 address.
 */
function readGroups(text: string, from: number, to: number, out: Uint16Array): number {
  let count = 0;
  let value = 0;
  let start = from;
  for (let i = from; i <= to; i++) {
    const c = i === to ? COLON : text.charCodeAt(i);
    if (c === COLON) {
      if (i > start) out[count++] = value;
      value = 0;
      start = i + 1;
    } else if (c === DOT) {
      const word = ipv4Word(text, start, to);
      out[count++] = word >>> 16;
      out[count++] = word & 0xffff;
      return count;
    } else {
      value = value * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
    }
  }
  return count;
}

/** A dotted quad from `from` to `to` as a 32-bit number; `text` is a valid IPv4 address there. */
function ipv4Word(text: string, from: number, to: number): number {
  let word = 0;
  let octet = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      word = word * 256 + octet;
      octet = 0;
    } else {
      octet = octet * 10 + (c - 48);
    }
  }
  return (word * 256 + octet) >>> 0;
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

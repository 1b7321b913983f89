import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BlockList, isIP } from 'node:net';
import { IpAllowlist, invalidAllowlistEntry, normaliseIp } from './ip-allowlist.js';

/** The allowlist as it was built on net.BlockList: the reference the fast one must agree with. */
function referenceAllows(entries: readonly string[], address: string): boolean {
  if (entries.length === 0) return isIP(normaliseIp(address)) !== 0;
  const list = new BlockList();
  for (const entry of entries) {
    const [rawAddress, prefix] = entry.split('/');
    const network = normaliseIp(rawAddress);
    const type = isIP(network) === 4 ? 'ipv4' : 'ipv6';
    const bits =
      prefix === undefined
        ? type === 'ipv4'
          ? 32
          : 128
        : network !== rawAddress
          ? Math.max(0, Number(prefix) - 96)
          : Number(prefix);
    list.addSubnet(network, bits, type);
  }
  const ip = normaliseIp(address);
  const family = isIP(ip);
  if (family === 0) return false;
  return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.'));
const group = fc.integer({ min: 0, max: 0xffff });
/** IPv6 text in the forms clients and proxies send: full, compressed, upper case, with IPv4. */
const ipv6 = fc
  .tuple(
    fc.array(group, { minLength: 8, maxLength: 8 }),
    fc.integer({ min: -1, max: 7 }),
    fc.integer({ min: 1, max: 8 }),
    fc.boolean(),
  )
  .map(([groups, gapAt, gapLength, upper]) => {
    const hex = groups.map((g) => g.toString(16));
    let text = hex.join(':');
    if (gapAt >= 0) {
      const end = Math.min(8, gapAt + gapLength);
      text = `${hex.slice(0, gapAt).join(':')}::${hex.slice(end).join(':')}`;
    }
    return upper ? text.toUpperCase() : text;
  })
  .filter((text) => isIP(text) === 6);
const mapped = fc.oneof(
  ipv4.map((v4) => `::ffff:${v4}`),
  ipv4.map((v4) => {
    const [a, b, c, d] = v4.split('.').map(Number);
    return `::ffff:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }),
);
const address = fc.oneof(ipv4, ipv6, mapped);
const entry = fc
  .oneof(
    ipv4,
    fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([a, bits]) => `${a}/${bits}`),
    ipv6,
    fc.tuple(ipv6, fc.integer({ min: 0, max: 128 })).map(([a, bits]) => `${a}/${bits}`),
    fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([a, bits]) => `::ffff:${a}/${bits}`),
  )
  .filter((text) => invalidAllowlistEntry(text) === undefined);

describe('IpAllowlist', () => {
  it('matches addresses, ranges and mapped forms', () => {
    const list = new IpAllowlist(['203.0.113.0/24', '2001:db8::/32', '::ffff:10.0.0.0']);
    expect(list.allows('203.0.113.9')).toBe(true);
    expect(list.allows('::ffff:203.0.113.9')).toBe(true);
    expect(list.allows('203.0.114.9')).toBe(false);
    expect(list.allows('2001:db8:1234::1')).toBe(true);
    expect(list.allows('2001:DB8::1%eth0')).toBe(true);
    expect(list.allows('2001:db9::1')).toBe(false);
    expect(list.allows('10.0.0.0')).toBe(true);
    expect(list.allows('::ffff:a00:0')).toBe(true);
    expect(list.allows('10.200.0.1')).toBe(false);
    expect(list.allows('not an address')).toBe(false);
    const v6 = new IpAllowlist(['1:2:3:4:5:6:7:8', '64:ff9b::/96', 'fe80::/10']);
    expect(v6.allows('1:2:3:4:5:6:0.7.0.8')).toBe(true);
    expect(v6.allows('1:2:3:4:5:6:7:9')).toBe(false);
    expect(v6.allows('64:ff9b::192.0.2.33')).toBe(true);
    expect(v6.allows('FE80::ABCD:1')).toBe(true);
    expect(v6.allows('fec0::1')).toBe(false);
    expect(new IpAllowlist([]).allows('192.0.2.1')).toBe(true);
    expect(new IpAllowlist([]).allows('nonsense')).toBe(false);
  });

  it('agrees with net.BlockList on every address and list', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), address, (entries, ip) => {
        expect(new IpAllowlist(entries).allows(ip)).toBe(referenceAllows(entries, ip));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with net.BlockList on addresses inside and next to each range', () => {
    fc.assert(
      fc.property(entry, fc.integer({ min: 0, max: 3 }), (range, nudge) => {
        const [network] = range.split('/');
        const inside = network;
        const parts = normaliseIp(network).split('.');
        const near =
          parts.length === 4
            ? [...parts.slice(0, 3), String((Number(parts[3]) + nudge) % 256)].join('.')
            : network;
        for (const ip of [inside, near]) {
          expect(new IpAllowlist([range]).allows(ip)).toBe(referenceAllows([range], ip));
        }
      }),
      { numRuns: 2000 },
    );
  });
});

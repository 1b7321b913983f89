import { describe, expect, it } from '@jest/globals';
import { countMapWork } from '../../test/support/map-work.js';
import { ExpiringMap } from './expiring-map.js';

const FOREVER = Number.POSITIVE_INFINITY;

describe('ExpiringMap', () => {
  it('stores, replaces, expires and deletes entries', () => {
    const map = new ExpiringMap<string>(10);
    map.set('a', 'one', 100, 0);
    map.set('b', 'two', 200, 0);
    expect(map.get('a', 99)).toBe('one');
    map.set('a', 'uno', 300, 50);
    expect(map.get('a', 250)).toBe('uno');
    expect(map.get('b', 200)).toBeUndefined(); // expired at 200 exactly, and dropped
    expect(map.size).toBe(1);
    const slot = map.find('a', 250);
    expect(map.expiresAt(slot)).toBe(300);
    map.replaceAt(slot, 'eins');
    expect(map.get('a', 250)).toBe('eins');
    expect(map.delete('a')).toBe(true);
    expect(map.delete('a')).toBe(false);
    expect(map.find('a', 0)).toBe(-1);
    expect(map.size).toBe(0);
  });

  it('drops expired entries from the front of each group as entries are added', () => {
    const map = new ExpiringMap<number>(1000);
    for (let i = 0; i < 100; i++) map.set(`minute${i}`, i, 60_000 + i, i, 60_000);
    for (let i = 0; i < 100; i++) map.set(`hour${i}`, i, 3_600_000 + i, i, 3_600_000);
    map.set('later', 0, FOREVER, 60_050);
    // Minute entries 0–50 have expired; the hour group's head has not, and is not in the way.
    expect(map.size).toBe(49 + 100 + 1);
    expect(map.get('minute51', 60_050)).toBe(51);
    expect(map.get('hour0', 60_050)).toBe(0);
  });

  it('evicts, when full, the group head that expires soonest', () => {
    const map = new ExpiringMap<string>(3);
    map.set('day', 'd', 86_400_000, 0, 86_400_000);
    map.set('minute', 'm', 60_000, 0, 60_000);
    map.set('hour', 'h', 3_600_000, 0, 3_600_000);
    map.set('next', 'n', 60_000, 1, 60_000);
    expect(map.get('minute', 2)).toBeUndefined();
    expect([map.get('day', 2), map.get('hour', 2), map.get('next', 2)]).toEqual(['d', 'h', 'n']);
  });

  it('keeps every entry reachable while its arrays grow and shrink', () => {
    const map = new ExpiringMap<number>(100_000);
    for (let i = 0; i < 20_000; i++) map.set(`k${i}`, i, 1000, 0, i % 3);
    expect(map.capacity).toBeGreaterThanOrEqual(20_000);
    for (let i = 0; i < 20_000; i += 97) expect(map.get(`k${i}`, 1)).toBe(i);
    for (let i = 0; i < 19_990; i++) map.delete(`k${i}`);
    map.set('late', -1, 2000, 1);
    expect(map.capacity).toBe(1024);
    for (let i = 19_990; i < 20_000; i++) expect(map.get(`k${i}`, 1)).toBe(i);
    expect(map.get('late', 1)).toBe(-1);
    // Everything expires; the next insertion drops it all from the groups' heads.
    map.set('after', 1, FOREVER, 5000);
    expect(map.size).toBe(1);
  });

  it.each([1_000, 100_000])(
    'at capacity (%i), adds a new key with one entry visited and no Map iteration',
    (capacity) => {
      const map = new ExpiringMap<number>(capacity);
      for (let i = 0; i < capacity; i++) map.set(`old${i}`, i, FOREVER, 0);
      const before = map.visited;
      const operations = 10_000;
      const work = countMapWork(() => {
        for (let i = 0; i < operations; i++) map.set(`new${i}`, i, FOREVER, 1);
      });
      expect(map.size).toBe(capacity);
      expect(map.visited - before).toBe(operations);
      expect(work.iterationSteps).toBe(0);
      expect(work.operations / operations).toBeLessThanOrEqual(4);
    },
  );

  it('visits each expired entry once, however many expire together', () => {
    const capacity = 50_000;
    const map = new ExpiringMap<number>(capacity);
    for (let i = 0; i < capacity; i++) map.set(`k${i}`, i, 60_000 + i, i, 60_000);
    const before = map.visited;
    // A minute later, every entry expires while new ones arrive: each old one is dropped once.
    const work = countMapWork(() => {
      for (let i = 0; i < capacity; i++) map.set(`n${i}`, i, 120_000 + i, 60_000 + i, 60_000);
    });
    expect(map.visited - before).toBeLessThanOrEqual(capacity);
    expect(work.iterationSteps).toBe(0);
    expect(map.size).toBe(capacity);
    expect(map.get('k0', 60_001)).toBeUndefined();
    expect(map.get('n0', 60_001)).toBe(0);
  });
});

import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { digestApiKey, generateApiKey } from './api-key.digest.js';

describe('API key digests', () => {
  it('is the SHA-256 hex digest of the key', () => {
    expect(digestApiKey('demo_hashed_org_a_d4e6f8a0b2')).toBe(
      '190ab8dceabef4ad4fb7886488441c980dc6db06a91f302cffd1576f379851f8',
    );
    expect(digestApiKey('ключ')).toBe(createHash('sha256').update('ключ', 'utf8').digest('hex'));
  });

  it('issues prefixed base62 keys of at least 128 random bits, with their digest', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { key, digest } = generateApiKey('sk_live');
      expect(key).toMatch(/^sk_live_[0-9A-Za-z]{33}$/);
      expect(digest).toBe(digestApiKey(key));
      keys.add(key);
    }
    expect(keys.size).toBe(200);
    expect(() => generateApiKey('bad prefix')).toThrow(/prefix/);
  });
});

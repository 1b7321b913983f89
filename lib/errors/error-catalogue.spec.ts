import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { BUILT_IN_ERROR_CODES, ERROR_CATALOGUE, isErrorStatus } from './error-catalogue.js';

describe('error catalogue', () => {
  it('gives every code a status in 400–599, a title and a message', () => {
    for (const code of BUILT_IN_ERROR_CODES) {
      const definition = ERROR_CATALOGUE[code];
      expect(isErrorStatus(definition.status)).toBe(true);
      expect(definition.title.length).toBeGreaterThan(0);
      expect(definition.message.length).toBeGreaterThan(0);
    }
    expect(Object.keys(ERROR_CATALOGUE).sort()).toEqual([...BUILT_IN_ERROR_CODES].sort());
  });

  it("matches the README's code table row for row", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(
      readme.indexOf('<!-- codes:start -->'),
      readme.indexOf('<!-- codes:end -->'),
    );
    const rows = table
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .filter((cells) => /^`[a-z_]+`$/.test(cells[1] ?? ''))
      .map(([, code, status, message]) => [code.slice(1, -1), Number(status), message]);
    expect(rows).toEqual(
      BUILT_IN_ERROR_CODES.map((code) => [
        code,
        ERROR_CATALOGUE[code].status,
        ERROR_CATALOGUE[code].message,
      ]),
    );
  });

  it.each([400, 404, 599])('accepts status %d', (status) =>
    expect(isErrorStatus(status)).toBe(true),
  );
  it.each([200, 399, 600, 404.5, NaN, '404', null])('rejects status %j', (status) =>
    expect(isErrorStatus(status)).toBe(false),
  );
});

import { describe, expect, it } from '@jest/globals';
import { exceedsDepth } from './body-depth.js';

const nest = (levels: number) => JSON.parse('{"a":'.repeat(levels) + '1' + '}'.repeat(levels));

describe('exceedsDepth', () => {
  it('counts object and array levels', () => {
    expect(exceedsDepth(nest(3), 3)).toBe(false);
    expect(exceedsDepth(nest(4), 3)).toBe(true);
    expect(exceedsDepth([[[1]]], 3)).toBe(false);
    expect(exceedsDepth([[[[1]]]], 3)).toBe(true);
    expect(exceedsDepth({ a: [{ b: 1 }] }, 3)).toBe(false);
  });

  it('ignores scalars and null', () => {
    for (const value of [undefined, null, 1, 'x', true]) expect(exceedsDepth(value, 0)).toBe(false);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(exceedsDepth(deep, 128)).toBe(true);
  });
});

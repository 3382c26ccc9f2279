import { describe, expect, it } from 'vitest';
import { DatasetError, permutation, Random, shuffle } from '../src/index.js';

describe('Random', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const draw = (seed: number) => Array.from({ length: 8 }, ((rng) => () => rng.nextUint32())(new Random(seed)));
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws floats in [0, 1) and integers in [0, n) that hit every value about equally', () => {
    const rng = new Random(7);
    const counts = new Array<number>(6).fill(0);
    let outside = 0;
    for (let i = 0; i < 60_000; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outside++;
      counts[rng.int(6)]!++;
    }
    expect(outside).toBe(0);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400); // ≈ 4 standard deviations
  });

  it('rejects a non-integer seed and an empty range, naming the function', () => {
    expect(() => new Random(1.5)).toThrow(/^Random: expected seed to be an integer/);
    expect(() => new Random(1).int(0)).toThrow(DatasetError);
  });
});

describe('shuffle and permutation', () => {
  it('returns a reordering of the input without touching it, fixed by the seed', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = shuffle(items, 3);
    expect(items).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(a).toEqual(shuffle(items, 3));
    expect(a).not.toEqual(items);
  });

  it('makes a permutation of 0…n−1', () => {
    expect([...permutation(10, 1)].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(permutation(0, 1)).toEqual([]);
  });
});

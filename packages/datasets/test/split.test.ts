import { describe, expect, it } from 'vitest';
import { splitByKey, splitItems, splitSizes, splitStratified } from '../src/index.js';

const items = Array.from({ length: 1000 }, (_, i) => i);

describe('splitItems', () => {
  it('cuts validation and test by rounding and gives train the rest', () => {
    expect(splitSizes(1000)).toEqual({ train: 800, validation: 100, test: 100 });
    expect(splitSizes(7, { train: 0.5, validation: 0.25, test: 0.25 })).toEqual({ train: 3, validation: 2, test: 2 });
  });

  it('is the same for the same seed, different for another, and its parts are disjoint and complete', () => {
    const a = splitItems(items, { seed: 5 });
    expect(a).toEqual(splitItems(items, { seed: 5 }));
    expect(a.test).not.toEqual(splitItems(items, { seed: 6 }).test);
    const all = [...a.train, ...a.validation, ...a.test];
    expect(new Set(all).size).toBe(1000);
    expect(a.test.length).toBe(100);
  });

  it('rejects fractions that do not sum to 1', () => {
    expect(() => splitItems(items, { seed: 0, fractions: { train: 0.8, validation: 0.2, test: 0.1 } })).toThrow(
      /^splitSizes: expected fractions .* summing to 1, got 0.8 \+ 0.2 \+ 0.1/,
    );
  });
});

describe('splitByKey', () => {
  it('never puts two items with the same key in different parts', () => {
    const rows = items.map((i) => ({ key: `k${i % 97}`, i }));
    const parts = splitByKey(rows, (r) => r.key, { seed: 1 });
    const partOf = new Map<string, string>();
    for (const name of ['train', 'validation', 'test'] as const) {
      for (const r of parts[name]) {
        expect(partOf.get(r.key) ?? name).toBe(name);
        partOf.set(r.key, name);
      }
    }
    expect(partOf.size).toBe(97);
    expect(parts.train.length + parts.validation.length + parts.test.length).toBe(1000);
  });
});

describe('splitStratified', () => {
  it('keeps each class at its share in every part', () => {
    const rows = items.map((i) => ({ label: i < 300 ? 1 : 0, i }));
    const parts = splitStratified(rows, (r) => r.label, { seed: 2 });
    expect(parts.test.filter((r) => r.label === 1).length).toBe(30);
    expect(parts.validation.filter((r) => r.label === 1).length).toBe(30);
    expect(parts.train.filter((r) => r.label === 1).length).toBe(240);
    expect(parts.test.map((r) => r.label)).not.toEqual([...parts.test.map((r) => r.label)].sort()); // classes are mixed
  });
});

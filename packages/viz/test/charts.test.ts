import { describe, expect, it } from 'vitest';
import { barChart, lineChart, niceTicks } from '../src/index.js';
import { parseSvg } from './helpers/svg.js';
import { findAll } from './helpers/xml.js';

function points(d: string): [number, number][] {
  return [...d.matchAll(/[ML]([-\d.]+) ([-\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe('lineChart', () => {
  it('draws each series through its points, higher values higher up', () => {
    const root = parseSvg(lineChart([{ name: 'train', y: [3, 2, 1.5, 1.2] }, { name: 'valid', y: [3.2, 2.5], x: [0, 2] }], { xLabel: 'step' }));
    const [train, valid] = findAll(root, (e) => e.attrs.class === 'qkv-series');
    const p = points(train!.attrs.d!);
    expect(p).toHaveLength(4);
    for (let i = 1; i < 4; i++) {
      expect(p[i]![0]).toBeGreaterThan(p[i - 1]![0]);
      expect(p[i]![1]).toBeGreaterThan(p[i - 1]![1]); // lower loss is further down in SVG y
    }
    expect(points(valid!.attrs.d!)[1]![0]).toBeCloseTo(p[2]![0], 6); // x = 2 in both
  });

  it('maps values linearly onto the y axis ticks', () => {
    const root = parseSvg(lineChart([{ name: 'acc', y: [0, 0.5, 1] }], { height: 300 }));
    const ys = points(findAll(root, (e) => e.attrs.class === 'qkv-series')[0]!.attrs.d!).map((q) => q[1]);
    expect(ys[1]! - ys[0]!).toBeCloseTo(ys[2]! - ys[1]!, 1);
    const ticks = findAll(root, (e) => e.attrs.class === 'qkv-tick' && e.name === 'text').map((t) => Number(t.attrs['data-value']));
    expect(ticks).toEqual(expect.arrayContaining([0, 0.2, 0.4, 0.6, 0.8, 1]));
  });

  it('breaks the line at NaN and uses powers of ten on a log axis', () => {
    const root = parseSvg(lineChart([{ name: 'loss', y: [10, NaN, 1, 0.1] }], { logY: true }));
    const d = findAll(root, (e) => e.attrs.class === 'qkv-series')[0]!.attrs.d!;
    expect(d.match(/M/g)).toHaveLength(2);
    const ticks = findAll(root, (e) => e.attrs.class === 'qkv-tick' && e.name === 'text' && e.attrs['data-value'] !== undefined).map((t) => Number(t.attrs['data-value']));
    expect(ticks).toContain(0.1);
    expect(ticks).toContain(10);
  });
});

describe('barChart', () => {
  it('draws one bar per series and category with heights proportional to values', () => {
    const root = parseSvg(barChart(['128', '512'], [{ name: 'cpu', values: [2, 8] }, { name: 'wasm', values: [1, 4] }], { unit: ' ms' }));
    const bars = findAll(root, (e) => e.attrs.class === 'qkv-bar');
    expect(bars.map((b) => `${b.attrs['data-category']}/${b.attrs['data-series']}`)).toEqual(['128/cpu', '128/wasm', '512/cpu', '512/wasm']);
    const h = bars.map((b) => Number(b.attrs.height));
    expect(h[2]! / h[0]!).toBeCloseTo(4, 1);
    expect(h[1]! / h[0]!).toBeCloseTo(0.5, 1);
  });

  it('rejects series with the wrong number of values', () => {
    expect(() => barChart(['a', 'b'], [{ name: 's', values: [1] }])).toThrow("barChart: series 's' needs 2 values (one per category), got 1");
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 × 10^k', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 100, 4)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(-0.3, 0.3, 6)).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
  });
});

describe('lineChart edge cases', () => {
  it('draws empty axes (no hang) for series with no points yet, on linear and log axes', async () => {
    const { lineChart } = await import('../src/index.js');
    for (const logY of [false, true]) {
      for (const y of [[], [Number.NaN], [0]]) {
        const svg = lineChart([{ name: 'loss', y }], { logY });
        expect(svg.startsWith('<svg')).toBe(true);
      }
    }
  });
});

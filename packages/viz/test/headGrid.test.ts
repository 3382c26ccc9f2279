import { interpolateViridis } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { headGrid } from '../src/index.js';
import { hexOf, parseSvg } from './helpers/svg.js';
import { byClass, findAll, textOf } from './helpers/xml.js';

// [L=2, H=3, T=2, S=2]: head h of layer l holds (l·3 + h)/5 + k/50 at cell k
const L = 2, H = 3, T = 2, S = 2;
const data = Float64Array.from({ length: L * H * T * S }, (_, n) => Math.floor(n / 4) / 5 + (n % 4) / 50);
const attention = { shape: [L, H, T, S], data };
const thumbs = (svg: string) => findAll(parseSvg(svg), (e) => e.attrs.class === 'qkv-thumb');
const fills = (thumb: ReturnType<typeof thumbs>[number]) => findAll(thumb, (e) => e.name === 'rect').map((r) => r.attrs.fill);

describe('headGrid', () => {
  it('draws a thumbnail per layer and head with T × S cells each, layer-major', () => {
    const t = thumbs(headGrid(attention));
    expect(t).toHaveLength(L * H);
    expect(t.map((x) => `${x.attrs['data-layer']}:${x.attrs['data-head']}`)).toEqual(['0:0', '0:1', '0:2', '1:0', '1:1', '1:2']);
    t.forEach((x) => expect(fills(x)).toHaveLength(T * S));
  });

  it('shares one colour scale across heads, so equal values get equal colours', () => {
    const svg = headGrid(attention, { domain: [0, 1.2] });
    const t = thumbs(svg);
    expect(fills(t[4]!)[2]).toBe(hexOf(interpolateViridis((4 / 5 + 2 / 50) / 1.2)));
    const bar = byClass(parseSvg(svg), 'qkv-colorbar');
    expect([bar.attrs['data-domain-min'], bar.attrs['data-domain-max']]).toEqual(['0', '1.2']);
  });

  it('adds the mean and the max over heads as an extra column per layer', () => {
    const domain = [0, 1.2] as const;
    for (const aggregate of ['mean', 'max'] as const) {
      const t = thumbs(headGrid(attention, { aggregate, domain }));
      expect(t).toHaveLength(L * (H + 1));
      const agg = t.filter((x) => x.attrs['data-head'] === aggregate);
      expect(agg).toHaveLength(L);
      // layer 1, cell 3: heads hold 3/5, 4/5, 5/5 plus 3/50
      const values = [3, 4, 5].map((i) => i / 5 + 3 / 50);
      const expected = aggregate === 'mean' ? values.reduce((a, b) => a + b) / 3 : Math.max(...values);
      expect(fills(agg[1]!)[3]).toBe(hexOf(interpolateViridis(expected / 1.2)));
    }
    expect(thumbs(headGrid(attention, { aggregate: 'mean', showHeads: false }))).toHaveLength(L);
  });

  it('pools long inputs down to maxCells per side', () => {
    const n = 100;
    const big = { shape: [1, 2, n, n], data: new Float32Array(2 * n * n).fill(0.5) };
    const t = thumbs(headGrid(big, { maxCells: 20 }));
    expect(fills(t[0]!)).toHaveLength(400);
  });

  it('labels layers and heads in order and explains itself in <desc>', () => {
    const root = parseSvg(headGrid(attention, { layerLabels: ['인코더 0', '인코더 1'], aggregate: 'max' }));
    expect(findAll(root, (e) => e.attrs.class === 'qkv-layer-label').map(textOf)).toEqual(['인코더 0', '인코더 1']);
    expect(findAll(root, (e) => e.attrs.class === 'qkv-head-label').map(textOf)).toEqual(['head 0', 'head 1', 'head 2', 'max of heads']);
    expect(textOf(findAll(root, (e) => e.name === 'desc')[0]!)).toContain('2 layers × 3 heads');
  });

  it('labels every thumbnail row with its query token and every column with its key token', () => {
    const root = parseSvg(headGrid(attention, { queryLabels: ['K', 'AE'], keyLabels: ['c', 'a'], aggregate: 'mean' }));
    // query tokens beside each layer's first thumbnail, key tokens under each column of the last layer
    expect(findAll(root, (e) => e.attrs.class === 'qkv-query-label').map(textOf)).toEqual(['K', 'AE', 'K', 'AE']);
    expect(findAll(root, (e) => e.attrs.class === 'qkv-key-label').map(textOf)).toEqual(['c', 'a', 'c', 'a', 'c', 'a', 'c', 'a']);
    expect(() => headGrid(attention, { queryLabels: ['K'] })).toThrow('headGrid: queryLabels must have 2 entries, got 1');
    // pooled axes no longer stand for tokens: no labels then
    const n = 30;
    const big = { shape: [1, 1, n, n], data: new Float32Array(n * n).fill(0.5) };
    const labels = Array.from({ length: n }, (_, i) => `t${i}`);
    const pooled = parseSvg(headGrid(big, { maxCells: 10, queryLabels: labels, keyLabels: labels }));
    expect(findAll(pooled, (e) => e.attrs.class === 'qkv-query-label' || e.attrs.class === 'qkv-key-label')).toHaveLength(0);
  });

  it('rejects inputs that are not [L, H, T, S] and contradictory options', () => {
    expect(() => headGrid({ shape: [6], data: new Float32Array(6) })).toThrow('headGrid: expected [L, H, T, S], [H, T, S] or [T, S], got shape [6]');
    expect(() => headGrid(attention, { showHeads: false })).toThrow("headGrid: showHeads false needs aggregate 'mean' or 'max', got 'none'");
  });
});

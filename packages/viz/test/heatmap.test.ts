import { interpolateRdBu, interpolateViridis, interpolateYlGnBu } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { attentionHeatmap } from '../src/index.js';
import { cellsOf, hexOf, parseSvg } from './helpers/svg.js';
import { byClass, findAll, textOf } from './helpers/xml.js';

const weights = { shape: [2, 3], data: [0, 0.5, 1, 0.25, 0.75, 0.1] };

describe('attentionHeatmap', () => {
  it('draws one rect per cell, row-major, on a square grid', () => {
    const root = parseSvg(attentionHeatmap(weights, { cellSize: 20, domain: [0, 1] }));
    const cells = cellsOf(root);
    expect(cells).toHaveLength(6);
    const x0 = Number(cells[0]!.attrs.x);
    const y0 = Number(cells[0]!.attrs.y);
    cells.forEach((c, k) => {
      expect(Number(c.attrs.x) - x0).toBeCloseTo((k % 3) * 20, 6);
      expect(Number(c.attrs.y) - y0).toBeCloseTo(Math.floor(k / 3) * 20, 6);
      expect(c.attrs.width).toBe('20');
    });
  });

  it('colours cells with the d3 interpolator at (v − min) / (max − min)', () => {
    const root = parseSvg(attentionHeatmap(weights, { domain: [0, 1] }));
    const fills = cellsOf(root).map((c) => c.attrs.fill);
    expect(fills).toEqual(weights.data.map((v) => hexOf(interpolateViridis(v))));
    const ylgnbu = parseSvg(attentionHeatmap(weights, { colormap: 'YlGnBu', domain: [0, 2] }));
    expect(cellsOf(ylgnbu)[1]!.attrs.fill).toBe(hexOf(interpolateYlGnBu(0.25)));
  });

  it('defaults the domain to the data extent, and a diverging map to ±max|v| centred on 0', () => {
    const root = parseSvg(attentionHeatmap(weights));
    const bar = byClass(root, 'qkv-colorbar');
    expect([bar.attrs['data-domain-min'], bar.attrs['data-domain-max']]).toEqual(['0', '1']);
    const scores = { shape: [1, 3], data: [-2, 1, 0] };
    const div = parseSvg(attentionHeatmap(scores, { colormap: 'RdBu' }));
    const divBar = byClass(div, 'qkv-colorbar');
    expect([divBar.attrs['data-domain-min'], divBar.attrs['data-domain-max']]).toEqual(['-2', '2']);
    expect(cellsOf(div).map((c) => c.attrs.fill)).toEqual([0, 0.75, 0.5].map((t) => hexOf(interpolateRdBu(t))));
  });

  it('labels the colour bar with the domain at both ends and a gradient from min (bottom) to max (top)', () => {
    const root = parseSvg(attentionHeatmap(weights, { domain: [0, 0.8] }));
    const bar = byClass(root, 'qkv-colorbar');
    const ticks = findAll(bar, (e) => e.attrs.class === 'qkv-colorbar-tick').map((t) => Number(t.attrs['data-value']));
    expect(ticks[0]).toBe(0);
    expect(ticks[ticks.length - 1]).toBe(0.8);
    const stops = findAll(bar, (e) => e.name === 'stop');
    expect(stops[0]!.attrs['stop-color']).toBe(hexOf(interpolateViridis(1)));
    expect(stops[stops.length - 1]!.attrs['stop-color']).toBe(hexOf(interpolateViridis(0)));
  });

  it('writes labels in order, escaped for XML, with Hangul verbatim', () => {
    const xLabels = ['<s>', '나는', '학생&'];
    const root = parseSvg(attentionHeatmap(weights, { xLabels, yLabels: ['I', '"am"'] }));
    const cols = findAll(byClass(root, 'qkv-col-labels'), (e) => e.name === 'text');
    expect(cols.map(textOf)).toEqual(xLabels);
    const rows = findAll(byClass(root, 'qkv-row-labels'), (e) => e.name === 'text');
    expect(rows.map(textOf)).toEqual(['I', '"am"']);
    expect(attentionHeatmap(weights, { xLabels })).toContain('나는');
  });

  it('thins 512 labels to evenly spaced ones at least one font height apart', () => {
    const n = 512;
    const tokens = Array.from({ length: n }, (_, i) => `t${i}`);
    const data = new Float32Array(n * n).map((_, k) => (k % 7) / 7);
    const svg = attentionHeatmap({ shape: [n, n], data }, { xLabels: tokens, yLabels: tokens, fontSize: 12, cellTitles: false });
    const root = parseSvg(svg);
    expect(cellsOf(root)).toHaveLength(n * n);
    const idx = findAll(byClass(root, 'qkv-col-labels'), (e) => e.name === 'text').map((e) => Number(e.attrs['data-index']));
    const cellSize = 560 / n;
    const stride = Math.ceil((12 * 1.15) / cellSize);
    expect(idx).toEqual(Array.from({ length: Math.ceil(n / stride) }, (_, k) => k * stride));
    expect(idx.length).toBeLessThan(60);
    expect(idx.length).toBeGreaterThan(30);
  });

  it('honours maxLabels', () => {
    const n = 100;
    const root = parseSvg(attentionHeatmap({ shape: [n, n], data: new Float32Array(n * n) }, { maxLabels: 10 }));
    expect(findAll(byClass(root, 'qkv-row-labels'), (e) => e.name === 'text')).toHaveLength(10);
  });

  it('gives −∞ cells the non-finite colour and keeps them out of the domain', () => {
    const root = parseSvg(attentionHeatmap({ shape: [1, 3], data: [1, -Infinity, 3] }, { nonFiniteColor: '#123456' }));
    expect(cellsOf(root)[1]!.attrs.fill).toBe('#123456');
    expect(byClass(root, 'qkv-colorbar').attrs['data-domain-min']).toBe('1');
  });

  it('prints values in cells on request, in a colour readable on the fill', () => {
    const root = parseSvg(attentionHeatmap({ shape: [1, 2], data: [0, 1] }, { showValues: true, domain: [0, 1] }));
    const values = findAll(byClass(root, 'qkv-values'), (e) => e.name === 'text');
    expect(values.map(textOf)).toEqual(['0.00', '1.00']);
    expect(values.map((v) => v.attrs.fill)).toEqual(['#ffffff', '#000000']); // dark purple, light yellow
  });

  it('is accessible: role img, <title> and <desc> referenced by aria-labelledby', () => {
    const root = parseSvg(attentionHeatmap(weights, { title: '교차 어텐션', description: 'layer 0' }));
    expect(root.attrs.role).toBe('img');
    const [titleId, descId] = root.attrs['aria-labelledby']!.split(' ');
    const title = findAll(root, (e) => e.attrs.id === titleId)[0]!;
    expect(title.name).toBe('title');
    expect(textOf(title)).toBe('교차 어텐션');
    expect(textOf(findAll(root, (e) => e.attrs.id === descId)[0]!)).toBe('layer 0');
  });

  it('accepts tensors (dataSync), nested arrays and [1, 1, T, S] batches', () => {
    const tensor = { shape: [1, 1, 2, 3], dtype: 'float32', dataSync: () => Float32Array.from(weights.data) };
    const nested = [
      [0, 0.5, 1],
      [0.25, 0.75, 0.1],
    ];
    const fills = (svg: string): (string | undefined)[] => cellsOf(parseSvg(svg)).map((c) => c.attrs.fill);
    expect(fills(attentionHeatmap(tensor))).toEqual(fills(attentionHeatmap(weights)));
    expect(fills(attentionHeatmap(nested))).toEqual(fills(attentionHeatmap(weights)));
  });

  it('rejects mismatched labels and non-matrices with errors naming the function', () => {
    expect(() => attentionHeatmap(weights, { xLabels: ['a'] })).toThrow(
      'attentionHeatmap: xLabels must have one label per column (3), got 1',
    );
    expect(() => attentionHeatmap({ shape: [2, 2, 2], data: new Float32Array(8) })).toThrow(
      'attentionHeatmap: expected a matrix [rows, cols], got shape [2, 2, 2]',
    );
    expect(() => attentionHeatmap({ shape: [2, 2], data: [1, 2, 3] })).toThrow('attentionHeatmap: shape [2, 2] needs 4 values, got 3');
    expect(() => attentionHeatmap(weights, { colormap: 'jet' as never })).toThrow("attentionHeatmap: colormap must be one of");
  });
});

describe('long titles', () => {
  it('widen the picture rather than being cut off', async () => {
    const { attentionHeatmap } = await import('../src/index.js');
    const title = 'cross-attention · layer 3 · mean of heads over a long word';
    const narrow = attentionHeatmap({ shape: [2, 2], data: [0.1, 0.9, 0.5, 0.5] });
    const wide = attentionHeatmap({ shape: [2, 2], data: [0.1, 0.9, 0.5, 0.5] }, { title });
    const width = (svg: string) => Number(/width="([\d.]+)"/.exec(svg)![1]);
    expect(width(wide)).toBeGreaterThan(title.length * 12 * 1.3 * 0.5);
    expect(width(wide)).toBeGreaterThan(width(narrow));
  });
});

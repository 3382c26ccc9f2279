import { interpolateRdBu } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { positionalEncodingView } from '../src/index.js';
import { cellsOf, hexOf, parseSvg } from './helpers/svg.js';
import { byClass, findAll } from './helpers/xml.js';

/** The paper's PE(p, 2i) = sin(p / 10000^(2i/D)), PE(p, 2i+1) = cos(…). */
function sinusoidal(P: number, D: number): { shape: number[]; data: Float64Array } {
  const data = new Float64Array(P * D);
  for (let p = 0; p < P; p++) {
    for (let d = 0; d < D; d++) {
      const angle = p / 10000 ** ((2 * Math.floor(d / 2)) / D);
      data[p * D + d] = d % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return { shape: [P, D], data };
}

describe('positionalEncodingView', () => {
  const pe = sinusoidal(16, 8);

  it('draws a position × dimension heatmap on RdBu_r over [−1, 1]', () => {
    const root = parseSvg(positionalEncodingView(pe));
    const cells = cellsOf(byClass(root, 'qkv-pe-heatmap'));
    expect(cells).toHaveLength(16 * 8);
    // position 0: sin(0) = 0 → the middle colour; cos(0) = 1 → t = 1 of RdBu_r = RdBu(0)
    expect(cells[0]!.attrs.fill).toBe(hexOf(interpolateRdBu(0.5)));
    expect(cells[1]!.attrs.fill).toBe(hexOf(interpolateRdBu(0)));
  });

  it('draws one curve per chosen dimension through every position', () => {
    const root = parseSvg(positionalEncodingView(pe, { dims: [2, 5] }));
    const paths = findAll(root, (e) => e.attrs.class === 'qkv-series');
    expect(paths.map((p) => p.attrs['data-name'])).toEqual(['dim 2', 'dim 5']);
    expect(paths[0]!.attrs.d!.match(/[ML]/g)).toHaveLength(16);
  });

  it('rejects dimensions that do not exist', () => {
    expect(() => positionalEncodingView(pe, { dims: [8] })).toThrow('positionalEncodingView: dims must be integers in [0, 8), got 8');
  });
});

import { toMatrix, type ArrayInput } from '../data/matrix.js';
import { idPrefixFor, svgDocument, type DocumentOptions } from './document.js';
import { matrixPanel } from './heatmapLayout.js';
import { linePanel } from './linePanel.js';
import { el, text } from './xml.js';

/** Options of {@link positionalEncodingView}. */
export interface PositionalEncodingOptions extends DocumentOptions {
  /** Dimensions drawn as curves over position; default [0, 1, 2, 3] (those that exist). */
  dims?: readonly number[];
  /** Colour map of the heatmap; default 'RdBu_r' over [−1, 1]. */
  colormap?: 'RdBu_r' | 'RdBu' | 'PuOr' | 'viridis' | 'YlGnBu';
  domain?: readonly [number, number];
  /** Heatmap cell size in px; default fits 560 px. */
  cellSize?: number;
  fontSize?: number;
}

/**
 * A positional encoding [P, D] (P positions · D model dims) drawn as a position × dimension heatmap
 * above curves of the chosen dimensions over position, like the figures of "Attention Is All You
 * Need" explainers. Works for sinusoidal, learned or any other [P, D] table.
 *
 * @example
 * positionalEncodingView(pe, { dims: [4, 5, 6, 7], title: 'sinusoidal, d_model = 64' })
 */
export function positionalEncodingView(encoding: ArrayInput, options: PositionalEncodingOptions = {}): string {
  const fn = 'positionalEncodingView';
  const m = toMatrix(encoding, fn);
  const [P, D] = [m.rows, m.cols];
  const dims = options.dims ?? [0, 1, 2, 3].filter((d) => d < D);
  for (const d of dims) if (!Number.isInteger(d) || d < 0 || d >= D) throw new RangeError(`${fn}: dims must be integers in [0, ${D}), got ${d}`);
  const fontSize = options.fontSize ?? 11;
  const idPrefix = options.idPrefix ?? idPrefixFor('pe', `${options.title ?? ''}|${P}x${D}`);
  const heat = matrixPanel(
    m,
    {
      colormap: options.colormap ?? 'RdBu_r',
      domain: options.domain ?? [-1, 1],
      cellSize: options.cellSize ?? Math.min(16, 560 / Math.max(P, D)),
      xTitle: 'dimension',
      yTitle: 'position',
      fontSize,
      cellTitles: false,
    },
    idPrefix,
    fn,
  );
  const series = dims.map((d) => ({ name: `dim ${d}`, y: Float64Array.from({ length: P }, (_, p) => m.data[p * D + d]!) }));
  const curves = series.length > 0 ? linePanel(series, { width: Math.max(heat.width, 420), height: 220, xLabel: 'position', yLabel: 'value', fontSize }, fn) : undefined;
  const titleHeight = options.title ? fontSize * 1.4 + 12 : 4;
  const width = Math.max(heat.width, curves?.width ?? 0) + 8;
  return svgDocument({
    kind: 'positional-encoding',
    width,
    height: titleHeight + heat.height + (curves ? curves.height + 12 : 0) + 4,
    idPrefix,
    background: options.background,
    title: options.title ?? 'Positional encoding',
    description: options.description ?? `Positional encoding of ${P} positions × ${D} dimensions as a heatmap${dims.length ? `, with dimensions ${dims.join(', ')} as curves over position` : ''}.`,
    body:
      (options.title ? text(options.title, { x: 8, y: 6 + fontSize * 1.4, 'font-size': fontSize * 1.4, 'font-weight': 'bold', fill: '#111' }) : '') +
      el('g', { class: 'qkv-pe-heatmap', transform: `translate(4 ${titleHeight})` }, heat.markup) +
      (curves ? el('g', { class: 'qkv-pe-curves', transform: `translate(0 ${titleHeight + heat.height + 12})` }, curves.markup) : ''),
  });
}

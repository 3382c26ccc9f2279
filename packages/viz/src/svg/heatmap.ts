import { estimateTextWidth } from '../data/textWidth.js';
import { toMatrix, type ArrayInput } from '../data/matrix.js';
import { idPrefixFor, svgDocument, type DocumentOptions } from './document.js';
import { matrixPanel, type MatrixPanelOptions } from './heatmapLayout.js';
import { formatNumber } from './ticks.js';
import { el, text } from './xml.js';

/** Options of {@link attentionHeatmap}. */
export interface HeatmapOptions extends MatrixPanelOptions, DocumentOptions {}

/**
 * An attention heatmap as an SVG string: rows are queries (target tokens), columns keys (source
 * tokens), with row/column labels (thinned for long inputs), a colour bar and hover titles.
 *
 * `weights` is [T, S] (T queries · S keys); leading dimensions of size 1 are dropped, so
 * [1, 1, T, S] works. Non-finite cells (−∞ raw scores) are drawn in `nonFiniteColor`.
 *
 * @example
 * const svg = attentionHeatmap({ shape: [2, 3], data: [0.7, 0.2, 0.1, 0.1, 0.1, 0.8] }, {
 *   xLabels: ['나는', '학생', '이다'], yLabels: ['I', 'student'], colormap: 'YlGnBu', title: 'cross-attention',
 * });
 */
export function attentionHeatmap(weights: ArrayInput, options: HeatmapOptions = {}): string {
  const fn = 'attentionHeatmap';
  const m = toMatrix(weights, fn);
  const idPrefix = options.idPrefix ?? idPrefixFor('heatmap', `${options.title ?? ''}|${m.rows}x${m.cols}`);
  const panel = matrixPanel(m, options, idPrefix, fn);
  const titleHeight = options.title ? (options.fontSize ?? 12) * 1.3 + 12 : 4;
  const title = options.title
    ? text(options.title, { x: 8, y: 6 + (options.fontSize ?? 12) * 1.3, 'font-size': (options.fontSize ?? 12) * 1.3, 'font-weight': 'bold', fill: '#111', class: 'qkv-title' })
    : '';
  const [d0, d1] = panel.scale.domain;
  // a long title widens the picture instead of being cut off at the panel's edge
  const titleWidth = options.title ? 16 + estimateTextWidth(options.title, (options.fontSize ?? 12) * 1.3) : 0;
  return svgDocument({
    kind: 'heatmap',
    width: Math.max(panel.width + 8, Math.ceil(titleWidth)),
    height: panel.height + titleHeight + 4,
    idPrefix,
    background: options.background,
    title: options.title ?? 'Attention heatmap',
    description:
      options.description ??
      `Heatmap of ${m.rows} rows (queries) by ${m.cols} columns (keys); colour ${panel.scale.colormap.name} from ${formatNumber(d0)} to ${formatNumber(d1)}.`,
    body: title + el('g', { transform: `translate(4 ${titleHeight})` }, panel.markup),
  });
}

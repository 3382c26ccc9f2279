import { COLORMAPS } from '../color/colormaps.js';
import { textColorOn } from '../color/rgb.js';
import { colorScale } from '../color/scale.js';
import { toMatrix, toVector, type ArrayInput } from '../data/matrix.js';
import { columnLabels, rowLabels } from './axisLabels.js';
import { idPrefixFor, svgDocument, type DocumentOptions } from './document.js';
import { formatNumber } from './ticks.js';
import { el, escapeXml, num, text } from './xml.js';

/** What a cell of a mask view shows. */
export type MaskCellState = 'keep' | 'masked' | 'padding' | 'both' | 'bias';

/** Fill of each state; biases use a diverging map instead. */
export const MASK_COLORS: Readonly<Record<Exclude<MaskCellState, 'bias'>, string>> = {
  keep: '#eef4fb',
  masked: '#2f3b52',
  padding: '#f0a04b',
  both: '#8a3b12',
};

/** Options of {@link maskView}. */
export interface MaskViewOptions extends DocumentOptions {
  /**
   * What `true` means in a boolean mask. Required for boolean masks because PyTorch's APIs
   * disagree: `F.scaled_dot_product_attention` → 'keep', `nn.MultiheadAttention` → 'masked'.
   */
  boolMeans?: 'keep' | 'masked';
  /** [S] key padding mask, `true` (or non-zero) = padding, as `keyPaddingMask` in MultiheadAttention. */
  keyPaddingMask?: ArrayInput | ArrayLike<number | boolean>;
  xLabels?: readonly string[];
  yLabels?: readonly string[];
  cellSize?: number;
  fontSize?: number;
  /** Print float biases inside cells when cells are at least 24 px; default true. */
  showValues?: boolean;
}

/** Floats at or below this are masked in practice: exp(−1e4) is 0 in float32. */
const MASKED_BELOW = -1e4;

/**
 * Classifies each cell of an attention mask combined with an optional key padding mask.
 * Float masks: 0 keeps, −∞ (or ≤ −1e4) masks, other values are biases added to the scores.
 * @returns row-major states, [T · S]
 */
export function maskStates(mask: ArrayInput, options: Pick<MaskViewOptions, 'boolMeans' | 'keyPaddingMask'>, fn = 'maskStates'): { rows: number; cols: number; states: MaskCellState[]; values: Float64Array } {
  const m = toMatrix(mask, fn);
  if (m.isBool && options.boolMeans === undefined) {
    throw new TypeError(`${fn}: a boolean mask needs boolMeans: 'keep' (scaled_dot_product_attention) or 'masked' (MultiheadAttention), got neither`);
  }
  const pad = options.keyPaddingMask === undefined ? undefined : toVector(options.keyPaddingMask as ArrayInput, fn);
  if (pad && pad.length !== m.cols) throw new RangeError(`${fn}: keyPaddingMask must be [S] = [${m.cols}], got [${pad.length}]`);
  const states: MaskCellState[] = [];
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j]!;
      const masked = m.isBool ? (v !== 0) === (options.boolMeans === 'masked') : v <= MASKED_BELOW || Number.isNaN(v);
      const padded = pad !== undefined && pad[j] !== 0;
      states.push(masked && padded ? 'both' : padded ? 'padding' : masked ? 'masked' : !m.isBool && v !== 0 ? 'bias' : 'keep');
    }
  }
  return { rows: m.rows, cols: m.cols, states, values: m.data };
}

/**
 * A picture of an attention mask: which key each query may attend to, with the attention mask's
 * and the padding mask's contributions told apart (so causal + padding can be checked at a glance),
 * float biases coloured on a diverging map, and rows where every key is masked flagged in red.
 *
 * `mask` is [T, S]: bool (say what `true` means with `boolMeans`) or float (0 / −∞ / bias).
 *
 * @example
 * // causalMask(4) from @qkv/attention is float −∞ above the diagonal
 * maskView(causal, { keyPaddingMask: [false, false, false, true], xLabels: tokens, yLabels: tokens })
 */
export function maskView(mask: ArrayInput, options: MaskViewOptions = {}): string {
  const fn = 'maskView';
  const { rows: T, cols: S, states, values } = maskStates(mask, options, fn);
  const fontSize = options.fontSize ?? 12;
  const cell = options.cellSize ?? Math.min(28, 480 / Math.max(T, S, 1));
  const xLabels = options.xLabels ?? Array.from({ length: S }, (_, j) => String(j));
  const yLabels = options.yLabels ?? Array.from({ length: T }, (_, i) => String(i));
  if (xLabels.length !== S) throw new RangeError(`${fn}: xLabels must have one label per column (${S}), got ${xLabels.length}`);
  if (yLabels.length !== T) throw new RangeError(`${fn}: yLabels must have one label per row (${T}), got ${yLabels.length}`);
  let biasMax = 0;
  states.forEach((s, k) => (biasMax = s === 'bias' ? Math.max(biasMax, Math.abs(values[k]!)) : biasMax));
  const bias = colorScale(COLORMAPS.RdBu_r, [-(biasMax || 1), biasMax || 1], fn);

  const titleHeight = options.title ? fontSize * 1.3 + 12 : 4;
  const probe = rowLabels({ labels: yLabels, start: 0, cellSize: cell, edge: 0, fontSize });
  const gx = 8 + probe.extent;
  const gy = titleHeight + 4;
  const parts: string[] = ['<g class="qkv-cells" shape-rendering="crispEdges" stroke="#ffffff" stroke-width="0.5">'];
  const fullyMasked: number[] = [];
  for (let i = 0; i < T; i++) {
    let kept = 0;
    for (let j = 0; j < S; j++) {
      const k = i * S + j;
      const state = states[k]!;
      if (state === 'keep' || state === 'bias') kept++;
      const fill = state === 'bias' ? bias.hex(values[k]!) : MASK_COLORS[state];
      const label = state === 'bias' ? `bias ${formatNumber(values[k]!)}` : state;
      parts.push(`<rect x="${num(gx + j * cell)}" y="${num(gy + i * cell)}" width="${num(cell)}" height="${num(cell)}" fill="${fill}" data-state="${state}"><title>${escapeXml(`${yLabels[i]} → ${xLabels[j]}: ${label}`)}</title></rect>`);
      if (state === 'bias' && (options.showValues ?? true) && cell >= 24) {
        parts.push(text(formatNumber(values[k]!), { x: gx + (j + 0.5) * cell, y: gy + (i + 0.5) * cell, 'font-size': Math.min(10, cell / 3), 'text-anchor': 'middle', 'dominant-baseline': 'central', fill: textColorOn(bias.rgb(values[k]!)) }));
      }
    }
    if (kept === 0) fullyMasked.push(i);
  }
  parts.push('</g>');
  const rowsMarkup = rowLabels({ labels: yLabels, start: gy, cellSize: cell, edge: gx, fontSize }).markup;
  const cols = columnLabels({ labels: xLabels, start: gx, cellSize: cell, edge: gy + T * cell, fontSize });
  const warnings = fullyMasked.map((i) => el('rect', { class: 'qkv-all-masked', 'data-row': i, x: gx - 2, y: gy + i * cell, width: S * cell + 4, height: cell, fill: 'none', stroke: '#d62728', 'stroke-width': 2 }));
  const used = (['keep', 'masked', 'padding', 'both', 'bias'] as const).filter((s) => states.includes(s));
  const lx = gx + S * cell + 16;
  const legendText: Record<MaskCellState, string> = { keep: 'attends', masked: 'masked (attn mask)', padding: 'masked (padding)', both: 'masked (both)', bias: 'float bias added' };
  const legend = used.map((s, k) => el('rect', { x: lx, y: gy + k * (fontSize + 8), width: fontSize, height: fontSize, fill: s === 'bias' ? bias.hex(biasMax) : MASK_COLORS[s], stroke: '#999', 'stroke-width': 0.5 }) + text(legendText[s], { x: lx + fontSize + 6, y: gy + k * (fontSize + 8) + fontSize / 2, 'dominant-baseline': 'central', 'data-state': s }));
  if (fullyMasked.length > 0) legend.push(text(`⚠ ${fullyMasked.length} row(s) mask every key`, { x: lx, y: gy + used.length * (fontSize + 8) + fontSize / 2, 'dominant-baseline': 'central', fill: '#d62728' }));
  const idPrefix = options.idPrefix ?? idPrefixFor('mask', `${options.title ?? ''}|${T}x${S}`);
  const counts = used.map((s) => `${states.filter((x) => x === s).length} ${legendText[s]}`).join(', ');
  return svgDocument({
    kind: 'mask',
    width: lx + fontSize * 14 + 8,
    height: Math.max(gy + T * cell + cols.extent + 8, gy + (used.length + 1) * (fontSize + 8) + 8),
    idPrefix,
    background: options.background,
    title: options.title ?? 'Attention mask',
    description: options.description ?? `Mask of ${T} queries × ${S} keys: ${counts}.${fullyMasked.length ? ` Rows ${fullyMasked.join(', ')} mask every key.` : ''}`,
    body:
      (options.title ? text(options.title, { x: 8, y: 6 + fontSize * 1.3, 'font-size': fontSize * 1.3, 'font-weight': 'bold', fill: '#111' }) : '') +
      parts.join('') + warnings.join('') + rowsMarkup + cols.markup +
      el('g', { class: 'qkv-legend', 'font-size': fontSize, fill: '#222' }, legend.join('')),
  });
}

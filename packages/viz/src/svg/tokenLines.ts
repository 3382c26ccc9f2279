import { schemeTableau10 } from 'd3-scale-chromatic';
import { toLayerHeads } from '../data/heads.js';
import type { ArrayInput } from '../data/matrix.js';
import { estimateTextWidth } from '../data/textWidth.js';
import { idPrefixFor, svgDocument, type DocumentOptions } from './document.js';
import { thinLabels } from './thin.js';
import { el, text } from './xml.js';

/** Options of {@link tokenLines}. */
export interface TokenLinesOptions extends DocumentOptions {
  /** Tokens on the left, one per query row (T). */
  leftTokens: readonly string[];
  /** Tokens on the right, one per key column (S); default `leftTokens` (self-attention). */
  rightTokens?: readonly string[];
  /** Which layer of an [L, H, T, S] input; default 0. */
  layer?: number;
  /** Heads to draw; default all. */
  heads?: readonly number[];
  /** One colour per head; default d3's Tableau10, cycling. */
  headColors?: readonly string[];
  /** Only draw lines from this query (bertviz's hover on a token); default all queries. */
  query?: number;
  /** Lines with weight below this are left out; default 0.02. */
  threshold?: number;
  /** Vertical distance between tokens in px; default 20. */
  rowHeight?: number;
  /** Horizontal span of the lines in px; default 180. */
  lineSpan?: number;
  fontSize?: number;
}

/**
 * bertviz's head view as an SVG: queries on the left, keys on the right, a line from query i to
 * key j for each head with opacity equal to the weight a_ij (clamped to [0, 1]), one hue per head.
 * Works for self-attention (T = S) and cross-attention (different token lists).
 *
 * `attention` is [T, S], [H, T, S] or [L, H, T, S] (pick `layer`).
 *
 * @example
 * tokenLines(weights, { leftTokens: ['the', 'cat', 'sat'], heads: [0, 3] })
 */
export function tokenLines(attention: ArrayInput, options: TokenLinesOptions): string {
  const fn = 'tokenLines';
  const { layers, heads: H, matrices } = toLayerHeads(attention, fn);
  const layer = options.layer ?? 0;
  if (!Number.isInteger(layer) || layer < 0 || layer >= layers) throw new RangeError(`${fn}: layer must be an integer in [0, ${layers}), got ${layer}`);
  const first = matrices[layer]![0]!;
  const [T, S] = [first.rows, first.cols];
  const left = options.leftTokens;
  const right = options.rightTokens ?? (T === S ? left : undefined);
  if (left.length !== T) throw new RangeError(`${fn}: leftTokens must have one token per query (T = ${T}), got ${left.length}`);
  if (right?.length !== S) throw new RangeError(`${fn}: rightTokens must have one token per key (S = ${S}), got ${right?.length ?? 'none'}`);
  const heads = options.heads ?? Array.from({ length: H }, (_, h) => h);
  for (const h of heads) if (!Number.isInteger(h) || h < 0 || h >= H) throw new RangeError(`${fn}: heads must be integers in [0, ${H}), got ${h}`);
  if (options.query !== undefined && (options.query < 0 || options.query >= T)) throw new RangeError(`${fn}: query must be in [0, ${T}), got ${options.query}`);
  const colors = options.headColors ?? schemeTableau10;

  const fontSize = options.fontSize ?? 13;
  const rowHeight = options.rowHeight ?? 20;
  const span = options.lineSpan ?? 180;
  const threshold = options.threshold ?? 0.02;
  const titleHeight = options.title ? fontSize * 1.3 + 12 : 4;
  const legendHeight = fontSize + 14;
  const top = titleHeight + legendHeight + rowHeight / 2;
  const leftWidth = Math.max(...left.map((t) => estimateTextWidth(t, fontSize))) + 12;
  const rightWidth = Math.max(...right.map((t) => estimateTextWidth(t, fontSize))) + 12;
  const x0 = leftWidth + 4;
  const x1 = x0 + span;

  const lines: string[] = [];
  for (const h of heads) {
    const m = matrices[layer]![h]!;
    const stroke = colors[h % colors.length]!;
    const group: string[] = [];
    for (let i = 0; i < T; i++) {
      if (options.query !== undefined && i !== options.query) continue;
      for (let j = 0; j < S; j++) {
        const w = m.data[i * S + j]!;
        if (!(w >= threshold)) continue;
        group.push(el('line', { x1: x0, y1: top + i * rowHeight, x2: x1, y2: top + j * rowHeight, 'stroke-opacity': Math.min(1, w), 'data-from': i, 'data-to': j, 'data-weight': String(w) }));
      }
    }
    lines.push(el('g', { class: 'qkv-head-lines', 'data-head': h, stroke, 'stroke-width': 2, 'stroke-linecap': 'round' }, group.join('')));
  }
  const labelIdx = (n: number): number[] => thinLabels(n, rowHeight, fontSize * 1.05);
  const leftLabels = labelIdx(T).map((i) => text(left[i]!, { x: x0 - 6, y: top + i * rowHeight, 'data-index': i, 'font-weight': i === options.query ? 'bold' : undefined }));
  const rightLabels = labelIdx(S).map((j) => text(right[j]!, { x: x1 + 6, y: top + j * rowHeight, 'data-index': j }));
  const legend = heads.map((h, k) => {
    const lx = 8 + k * (fontSize * 4.2);
    return el('rect', { x: lx, y: titleHeight + 2, width: fontSize, height: fontSize, fill: colors[h % colors.length]!, rx: 2 }) + text(`${h}`, { x: lx + fontSize + 4, y: titleHeight + 2 + fontSize / 2, 'dominant-baseline': 'central' });
  });
  const idPrefix = options.idPrefix ?? idPrefixFor('lines', `${options.title ?? ''}|${T}x${S}|${heads.join(',')}`);
  const body =
    (options.title ? text(options.title, { x: 8, y: 6 + fontSize * 1.3, 'font-size': fontSize * 1.3, 'font-weight': 'bold', fill: '#111' }) : '') +
    el('g', { class: 'qkv-legend', 'font-size': fontSize - 1, fill: '#333' }, legend.join('')) +
    el('g', { class: 'qkv-lines' }, lines.join('')) +
    el('g', { class: 'qkv-left-tokens', 'font-size': fontSize, 'text-anchor': 'end', 'dominant-baseline': 'central', fill: '#222' }, leftLabels.join('')) +
    el('g', { class: 'qkv-right-tokens', 'font-size': fontSize, 'text-anchor': 'start', 'dominant-baseline': 'central', fill: '#222' }, rightLabels.join(''));
  return svgDocument({
    kind: 'token-lines',
    width: Math.max(x1 + rightWidth + 8, 8 + heads.length * fontSize * 4.2),
    height: top + (Math.max(T, S) - 0.5) * rowHeight + 8,
    idPrefix,
    background: options.background,
    title: options.title ?? 'Attention between tokens',
    description: options.description ?? `Lines from ${T} query tokens to ${S} key tokens for head${heads.length === 1 ? '' : 's'} ${heads.join(', ')} of layer ${layer}; opacity is the attention weight.`,
    body,
  });
}

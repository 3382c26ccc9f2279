import { resolveColormap, type ColormapInput } from '../color/colormaps.js';
import { colorScale, defaultDomain } from '../color/scale.js';
import { aggregateHeads, toLayerHeads } from '../data/heads.js';
import type { ArrayInput, Matrix } from '../data/matrix.js';
import { poolMatrix, type PoolReduce } from '../data/pool.js';
import { renderCells } from './cells.js';
import { colorBar, COLOR_BAR_SPACE } from './colorBar.js';
import { idPrefixFor, svgDocument, type DocumentOptions } from './document.js';
import { formatNumber } from './ticks.js';
import { el, escapeXml, text } from './xml.js';
import { estimateTextWidth } from '../data/textWidth.js';

/** Options of {@link headGrid}. */
export interface HeadGridOptions extends DocumentOptions {
  /** Add a column per layer with the mean or max over its heads; default 'none'. */
  aggregate?: 'none' | 'mean' | 'max';
  /** Draw the individual heads; default true (false with an aggregate gives one thumbnail per layer). */
  showHeads?: boolean;
  /** Thumbnail side in px; default 72. */
  thumbSize?: number;
  /** Longer inputs are pooled to at most this many cells per side; default `thumbSize`. */
  maxCells?: number;
  /** How pooled cells combine; default 'mean'. */
  pool?: PoolReduce;
  colormap?: ColormapInput;
  /** Shared value range of every thumbnail; default the data's finite extent. */
  domain?: readonly [number, number];
  layerLabels?: readonly string[];
  headLabels?: readonly string[];
  /** Labels of the T query rows (e.g. the tokens), drawn left of each layer's first thumbnail when the rows are not pooled. */
  queryLabels?: readonly string[];
  /** Labels of the S key columns, drawn under the last layer's thumbnails when the columns are not pooled. */
  keyLabels?: readonly string[];
  fontSize?: number;
}

interface Thumb {
  layer: number;
  /** Head index, or the aggregate's name. */
  head: number | 'mean' | 'max';
  matrix: Matrix;
}

/**
 * A layers × heads grid of attention thumbnails (bertviz's model view as a static picture),
 * with one shared colour scale and bar so heads can be compared.
 *
 * `attention` is [L, H, T, S] (or [H, T, S] for one layer). Inputs longer than `maxCells` are
 * pooled per thumbnail, so a 512-token model stays a small SVG.
 *
 * @example
 * headGrid({ shape: [2, 4, 5, 5], data }, { aggregate: 'mean', title: 'encoder self-attention' })
 */
export function headGrid(attention: ArrayInput, options: HeadGridOptions = {}): string {
  const fn = 'headGrid';
  const { layers, heads, matrices } = toLayerHeads(attention, fn);
  const aggregate = options.aggregate ?? 'none';
  const showHeads = options.showHeads ?? true;
  if (!showHeads && aggregate === 'none') throw new RangeError(`${fn}: showHeads false needs aggregate 'mean' or 'max', got 'none'`);
  const layerLabels = options.layerLabels ?? Array.from({ length: layers }, (_, l) => `layer ${l}`);
  const headLabels = options.headLabels ?? Array.from({ length: heads }, (_, h) => `head ${h}`);
  if (layerLabels.length !== layers) throw new RangeError(`${fn}: layerLabels must have ${layers} entries, got ${layerLabels.length}`);
  if (headLabels.length !== heads) throw new RangeError(`${fn}: headLabels must have ${heads} entries, got ${headLabels.length}`);

  const colormap = resolveColormap(options.colormap ?? 'viridis', fn);
  const all = matrices.flat();
  const concat = new Float64Array(all.reduce((n, m) => n + m.data.length, 0));
  all.reduce((off, m) => (concat.set(m.data, off), off + m.data.length), 0);
  const scale = colorScale(colormap, options.domain ?? defaultDomain(concat, colormap), fn);

  const thumbSize = options.thumbSize ?? 72;
  const maxCells = options.maxCells ?? thumbSize;
  const fontSize = options.fontSize ?? 11;
  const gap = 6;
  const columns: (number | 'mean' | 'max')[] = [...(showHeads ? headLabels.map((_, h) => h) : []), ...(aggregate === 'none' ? [] : [aggregate])];
  const [rows, cols] = [matrices[0]![0]!.rows, matrices[0]![0]!.cols];
  const queryLabels = tokenLabels(fn, 'queryLabels', options.queryLabels, rows, maxCells);
  const keyLabels = tokenLabels(fn, 'keyLabels', options.keyLabels, cols, maxCells);
  const tokenFont = Math.min(fontSize - 1, (thumbSize / Math.max(rows, cols)) * 0.95);
  const queryWidth = queryLabels ? 4 + Math.max(...queryLabels.map((s) => estimateTextWidth(s, tokenFont))) : 0;
  const keyHeight = keyLabels ? 6 + Math.max(...keyLabels.map((s) => estimateTextWidth(s, tokenFont))) : 0;
  const left = 8 + Math.max(...layerLabels.map((s) => estimateTextWidth(s, fontSize))) + queryWidth;
  const titleHeight = options.title ? fontSize * 1.4 + 12 : 4;
  const top = titleHeight + fontSize + 8;

  const thumbs: Thumb[] = [];
  for (let l = 0; l < layers; l++) {
    for (const head of columns) {
      const m = typeof head === 'number' ? matrices[l]![head]! : aggregateHeads(matrices[l]!, head);
      thumbs.push({ layer: l, head, matrix: poolMatrix(m, maxCells, maxCells, options.pool ?? 'mean') });
    }
  }
  const parts: string[] = [];
  if (options.title) parts.push(text(options.title, { x: 8, y: 6 + fontSize * 1.4, 'font-size': fontSize * 1.4, 'font-weight': 'bold', fill: '#111' }));
  columns.forEach((head, c) => {
    const label = typeof head === 'number' ? headLabels[head]! : `${head} of heads`;
    parts.push(text(label, { x: left + c * (thumbSize + gap) + thumbSize / 2, y: top - 6, 'text-anchor': 'middle', 'font-size': fontSize, fill: '#333', class: 'qkv-head-label' }));
  });
  layerLabels.forEach((label, l) => {
    parts.push(text(label, { x: left - 6 - queryWidth, y: top + l * (thumbSize + gap) + thumbSize / 2, 'text-anchor': 'end', 'dominant-baseline': 'central', 'font-size': fontSize, fill: '#333', class: 'qkv-layer-label' }));
    queryLabels?.forEach((token, r) => {
      parts.push(text(token, { x: left - 3, y: top + l * (thumbSize + gap) + ((r + 0.5) * thumbSize) / rows, 'text-anchor': 'end', 'dominant-baseline': 'central', 'font-size': tokenFont, fill: '#555', class: 'qkv-query-label' }));
    });
  });
  const below = top + layers * (thumbSize + gap) - gap + 4;
  if (keyLabels) {
    columns.forEach((_, c) => {
      keyLabels.forEach((token, k) => {
        const x = left + c * (thumbSize + gap) + ((k + 0.5) * thumbSize) / cols;
        parts.push(text(token, { x, y: below, 'text-anchor': 'end', 'dominant-baseline': 'central', transform: `rotate(-90 ${x} ${below})`, 'font-size': tokenFont, fill: '#555', class: 'qkv-key-label' }));
      });
    });
  }
  for (const t of thumbs) {
    const c = columns.indexOf(t.head);
    const x = left + c * (thumbSize + gap);
    const y = top + t.layer * (thumbSize + gap);
    const cellW = thumbSize / t.matrix.cols;
    const cellH = thumbSize / t.matrix.rows;
    const cells = renderCells(t.matrix, { x, y, cellWidth: cellW, cellHeight: cellH, scale, nonFiniteColor: '#d9d9d9', showValues: false, fontSize });
    const name = typeof t.head === 'number' ? `${layerLabels[t.layer]}, ${headLabels[t.head]}` : `${layerLabels[t.layer]}, ${t.head} of heads`;
    parts.push(el('g', { class: 'qkv-thumb', 'data-layer': t.layer, 'data-head': String(t.head) }, `<title>${escapeXml(name)}</title>${cells}`));
  }
  const gridW = columns.length * (thumbSize + gap) - gap;
  const gridH = layers * (thumbSize + gap) - gap;
  const idPrefix = options.idPrefix ?? idPrefixFor('heads', `${options.title ?? ''}|${layers}x${heads}`);
  const barHeight = Math.max(gridH, 120);
  parts.push(colorBar(scale, { x: left + gridW + 14, y: top, width: 12, height: barHeight, fontSize: fontSize - 1, gradientId: `${idPrefix}-bar` }));
  const [d0, d1] = scale.domain;
  return svgDocument({
    kind: 'head-grid',
    width: left + gridW + 14 + COLOR_BAR_SPACE + 8,
    height: top + Math.max(gridH + keyHeight, barHeight) + 12,
    idPrefix,
    background: options.background,
    title: options.title ?? 'Attention by layer and head',
    description:
      options.description ??
      `${layers} layers × ${heads} heads of attention${aggregate === 'none' ? '' : ` with the ${aggregate} over heads`}; colour ${colormap.name} from ${formatNumber(d0)} to ${formatNumber(d1)}.`,
    body: parts.join(''),
  });
}

/** Token labels for one axis, or null when absent or when that axis is pooled (then cells are no longer tokens). */
function tokenLabels(fn: string, name: string, labels: readonly string[] | undefined, n: number, maxCells: number): readonly string[] | null {
  if (labels === undefined) return null;
  if (labels.length !== n) throw new RangeError(`${fn}: ${name} must have ${n} entries, got ${labels.length}`);
  return n > maxCells ? null : labels;
}

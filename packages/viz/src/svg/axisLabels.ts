import { estimateTextWidth, truncateText } from '../data/textWidth.js';
import { thinLabels } from './thin.js';
import { el, num, text } from './xml.js';

/** Labels along one side of a grid of cells. */
export interface AxisLabelOptions {
  labels: readonly string[];
  /** Where cell 0 starts along the axis, and each cell's extent. */
  start: number;
  cellSize: number;
  /** The grid edge the labels hang off (x for row labels, y for column labels). */
  edge: number;
  fontSize: number;
  maxLabels?: number | undefined;
  /** Longest label in display columns before it is cut with '…'. */
  maxColumns?: number | undefined;
}

/** Labels after thinning and truncation, with the room they need across the axis. */
export interface AxisLabels {
  markup: string;
  /** px the labels need perpendicular to the axis. */
  extent: number;
  /** Indices of the labels that were drawn, in order. */
  shown: number[];
}

function prepare(o: AxisLabelOptions): { shown: number[]; strings: string[]; extent: number } {
  const shown = thinLabels(o.labels.length, o.cellSize, o.fontSize * 1.15, o.maxLabels);
  const strings = shown.map((i) => truncateText(o.labels[i]!, o.maxColumns ?? 16));
  const extent = Math.max(0, ...strings.map((s) => estimateTextWidth(s, o.fontSize))) + 6;
  return { shown, strings, extent };
}

/** Row labels, right-aligned against the grid's left edge (`edge`). */
export function rowLabels(o: AxisLabelOptions): AxisLabels {
  const { shown, strings, extent } = prepare(o);
  const items = shown.map((i, k) =>
    text(strings[k]!, {
      x: o.edge - 4,
      y: o.start + (i + 0.5) * o.cellSize,
      'data-index': i,
    }),
  );
  const markup = el(
    'g',
    { class: 'qkv-row-labels', 'font-size': o.fontSize, 'text-anchor': 'end', 'dominant-baseline': 'central', fill: '#222' },
    items.join(''),
  );
  return { markup, extent, shown };
}

/**
 * Column labels below the grid (`edge` is its bottom). Short labels that fit their cell stay
 * horizontal; otherwise all are turned to read bottom-up, as in seaborn's heatmaps.
 */
export function columnLabels(o: AxisLabelOptions): AxisLabels {
  const { shown, strings, extent } = prepare(o);
  const stride = shown.length > 1 ? shown[1]! - shown[0]! : 1;
  const vertical = extent > o.cellSize * stride;
  const items = shown.map((i, k) => {
    const x = o.start + (i + 0.5) * o.cellSize;
    const y = o.edge + 4;
    return vertical
      ? text(strings[k]!, { x, y, 'data-index': i, 'text-anchor': 'end', 'dominant-baseline': 'central', transform: `rotate(-90 ${num(x)} ${num(y)})` })
      : text(strings[k]!, { x, y, 'data-index': i, 'text-anchor': 'middle', 'dominant-baseline': 'hanging' });
  });
  const markup = el('g', { class: 'qkv-col-labels', 'font-size': o.fontSize, fill: '#222' }, items.join(''));
  return { markup, extent: vertical ? extent : o.fontSize + 6, shown };
}

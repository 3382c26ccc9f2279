import { resolveColormap, type ColormapInput } from '../color/colormaps.js';
import { colorScale, defaultDomain, type ColorScale } from '../color/scale.js';
import type { Matrix } from '../data/matrix.js';
import { columnLabels, rowLabels } from './axisLabels.js';
import { renderCells } from './cells.js';
import { colorBar, COLOR_BAR_SPACE } from './colorBar.js';
import { formatNumber } from './ticks.js';
import { text } from './xml.js';

/** Options shared by every matrix-shaped view (heatmap, positional encoding). */
export interface MatrixPanelOptions {
  /** Column labels (keys / source tokens), one per column; default the indices. */
  xLabels?: readonly string[];
  /** Row labels (queries / target tokens), one per row; default the indices. */
  yLabels?: readonly string[];
  /** Axis titles, e.g. 'key (source)' and 'query (target)'. */
  xTitle?: string;
  yTitle?: string;
  /** Colour map name or interpolator; default 'viridis'. */
  colormap?: ColormapInput;
  /** Value range mapped onto the colour map; default the data's finite extent (symmetric for diverging maps). */
  domain?: readonly [number, number];
  /** Print values in cells; default false. */
  showValues?: boolean;
  /** Side of a cell in px; default min(32, 560 / max(rows, cols)). */
  cellSize?: number;
  /** Label font size in px; default 12. */
  fontSize?: number;
  /** Most labels drawn per axis (thinning also keeps them ≥ 1.15 em apart); default unlimited. */
  maxLabels?: number;
  /** Draw the colour bar; default true. */
  colorBar?: boolean;
  colorBarLabel?: string;
  /** Fill for NaN and ±∞ cells (e.g. −∞ masked scores); default '#d9d9d9'. */
  nonFiniteColor?: string;
  /** Add a hover `<title>` to each cell; default true up to 4,096 cells. */
  cellTitles?: boolean;
}

/** A rendered matrix panel: markup at the origin (0, 0), its size, and the scale it used. */
export interface MatrixPanel {
  markup: string;
  width: number;
  height: number;
  scale: ColorScale;
  cellSize: number;
  /** Where the grid of cells starts, relative to the panel. */
  gridX: number;
  gridY: number;
}

function labelsOrIndices(labels: readonly string[] | undefined, n: number, what: string, fn: string): readonly string[] {
  if (labels === undefined) return Array.from({ length: n }, (_, i) => String(i));
  if (labels.length !== n) throw new RangeError(`${fn}: ${what} must have one label per ${what === 'xLabels' ? 'column' : 'row'} (${n}), got ${labels.length}`);
  return labels;
}

/** Lays out cells, row and column labels, axis titles and colour bar for a matrix. */
export function matrixPanel(m: Matrix, o: MatrixPanelOptions, idPrefix: string, fn: string): MatrixPanel {
  const colormap = resolveColormap(o.colormap ?? 'viridis', fn);
  const scale = colorScale(colormap, o.domain ?? defaultDomain(m.data, colormap), fn);
  const fontSize = o.fontSize ?? 12;
  const cellSize = o.cellSize ?? Math.min(32, 560 / Math.max(m.rows, m.cols, 1));
  const xLabels = labelsOrIndices(o.xLabels, m.cols, 'xLabels', fn);
  const yLabels = labelsOrIndices(o.yLabels, m.rows, 'yLabels', fn);
  const yTitleSpace = o.yTitle ? fontSize + 8 : 0;
  const probeRows = rowLabels({ labels: yLabels, start: 0, cellSize, edge: 0, fontSize, maxLabels: o.maxLabels });
  const gridX = 4 + yTitleSpace + probeRows.extent;
  const gridY = 4;
  const gridW = m.cols * cellSize;
  const gridH = m.rows * cellSize;
  const rows = rowLabels({ labels: yLabels, start: gridY, cellSize, edge: gridX, fontSize, maxLabels: o.maxLabels });
  const cols = columnLabels({ labels: xLabels, start: gridX, cellSize, edge: gridY + gridH, fontSize, maxLabels: o.maxLabels });
  const showTitles = o.cellTitles ?? m.rows * m.cols <= 4096;
  const cells = renderCells(m, {
    x: gridX,
    y: gridY,
    cellWidth: cellSize,
    cellHeight: cellSize,
    scale,
    nonFiniteColor: o.nonFiniteColor ?? '#d9d9d9',
    showValues: o.showValues ?? false,
    fontSize: Math.max(7, Math.min(fontSize, cellSize * 0.32)),
    cellTitle: showTitles ? (i, j, v) => `${yLabels[i]} → ${xLabels[j]}: ${formatNumber(v)}` : undefined,
  });
  let height = gridY + gridH + cols.extent + 4;
  const parts = [cells, rows.markup, cols.markup];
  if (o.xTitle) {
    parts.push(text(o.xTitle, { x: gridX + gridW / 2, y: height + fontSize, 'text-anchor': 'middle', 'font-size': fontSize, fill: '#444', class: 'qkv-x-title' }));
    height += fontSize + 8;
  }
  if (o.yTitle) {
    const cx = 4 + fontSize / 2;
    const cy = gridY + gridH / 2;
    parts.push(text(o.yTitle, { x: cx, y: cy, 'text-anchor': 'middle', 'dominant-baseline': 'central', 'font-size': fontSize, fill: '#444', transform: `rotate(-90 ${cx} ${cy})`, class: 'qkv-y-title' }));
  }
  let width = gridX + gridW + 4;
  if (o.colorBar ?? true) {
    const barHeight = Math.max(gridH, 120);
    parts.push(colorBar(scale, { x: width + 12, y: gridY, width: 14, height: barHeight, fontSize: fontSize - 1, gradientId: `${idPrefix}-bar`, label: o.colorBarLabel }));
    width += 12 + COLOR_BAR_SPACE + (o.colorBarLabel ? fontSize + 4 : 0);
    height = Math.max(height, gridY + barHeight + fontSize);
  }
  return { markup: parts.join(''), width, height, scale, cellSize, gridX, gridY };
}

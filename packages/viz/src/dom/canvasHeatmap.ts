import { resolveColormap, type ColormapInput } from '../color/colormaps.js';
import { colorScale, colorTable, defaultDomain, type ColorScale } from '../color/scale.js';
import { toMatrix, type ArrayInput, type Matrix } from '../data/matrix.js';
import { estimateTextWidth } from '../data/textWidth.js';
import { formatNumber } from '../svg/ticks.js';
import { columnLabelRow, rowLabelColumn, styled } from './overlay.js';
import { fillImage, TABLE_SIZE } from './paint.js';

/** Options of {@link canvasHeatmap}. */
export interface CanvasHeatmapOptions {
  xLabels?: readonly string[];
  yLabels?: readonly string[];
  /** Default 'viridis'. */
  colormap?: ColormapInput;
  /** Default the data's finite extent (symmetric about 0 for diverging maps). */
  domain?: readonly [number, number];
  /** Displayed px per cell; default fits the larger side into 512 px (at least 1). */
  cellSize?: number;
  fontSize?: number;
  nonFiniteColor?: string;
  /** Accessible label of the canvas. */
  title?: string;
}

/** The painted heatmap and what it is made of. */
export interface CanvasHeatmap {
  /** Root element (already appended to the container). */
  readonly element: HTMLDivElement;
  /** rows × cols pixels, CSS-scaled by `cellSize` with pixelated rendering. */
  readonly canvas: HTMLCanvasElement;
  readonly scale: ColorScale;
  readonly cellSize: number;
  /** Repaints new weights of the same shape (e.g. live training); returns the time taken in ms. */
  paint(weights?: ArrayInput): number;
  /** The cell under a client (viewport) point, or undefined outside the grid. */
  cellAt(clientX: number, clientY: number): { row: number; col: number; value: number } | undefined;
  /** Removes the element and its listeners. */
  destroy(): void;
}

/**
 * Paints a large matrix to a canvas, one pixel per cell, scaled up without smoothing, with an
 * HTML overlay for thinned labels, a hover tooltip with the value and a crosshair.
 * A 512 × 512 paint is a single table lookup per cell (see the package's `bench`).
 *
 * @example
 * const view = canvasHeatmap(document.body, weights, { xLabels: tokens, yLabels: tokens, colormap: 'YlGnBu' });
 * view.paint(nextWeights); // same shape, new values
 */
export function canvasHeatmap(container: HTMLElement, weights: ArrayInput, options: CanvasHeatmapOptions = {}): CanvasHeatmap {
  const fn = 'canvasHeatmap';
  let m: Matrix = toMatrix(weights, fn);
  const { rows, cols } = m;
  const xLabels = options.xLabels ?? Array.from({ length: cols }, (_, j) => String(j));
  const yLabels = options.yLabels ?? Array.from({ length: rows }, (_, i) => String(i));
  if (xLabels.length !== cols) throw new RangeError(`${fn}: xLabels must have one label per column (${cols}), got ${xLabels.length}`);
  if (yLabels.length !== rows) throw new RangeError(`${fn}: yLabels must have one label per row (${rows}), got ${yLabels.length}`);
  const colormap = resolveColormap(options.colormap ?? 'viridis', fn);
  const scale = colorScale(colormap, options.domain ?? defaultDomain(m.data, colormap), fn);
  const table = colorTable(colormap, TABLE_SIZE);
  const cell = options.cellSize ?? Math.max(1, 512 / Math.max(rows, cols));
  const fontSize = options.fontSize ?? 12;
  const nonFinite = options.nonFiniteColor ?? '#d9d9d9';

  const canvas = styled('canvas', { width: `${cols * cell}px`, height: `${rows * cell}px`, imageRendering: 'pixelated', display: 'block' });
  canvas.width = cols;
  canvas.height = rows;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', options.title ?? `Attention heatmap, ${rows} × ${cols}`);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error(`${fn}: this browser gave no 2D canvas context`);
  const image = ctx.createImageData(cols, rows);

  // whole pixels, so the grid starts on a device pixel and clientX maps to cells exactly
  const labelWidth = Math.ceil(Math.max(...yLabels.map((s) => estimateTextWidth(s, fontSize))) + 8);
  const labelHeight = Math.ceil(Math.max(...xLabels.map((s) => estimateTextWidth(s, fontSize))) + 8);
  const element = styled('div', { display: 'inline-grid', gridTemplateColumns: `${labelWidth}px auto auto`, gap: '0 12px', fontFamily: 'system-ui, "Noto Sans CJK KR", sans-serif', color: '#222', userSelect: 'none' });
  element.className = 'qkv-canvas-heatmap';
  const grid = styled('div', { position: 'relative', width: `${cols * cell}px`, height: `${rows * cell}px`, cursor: 'crosshair' });
  const lineStyle = { position: 'absolute', background: 'rgba(255,255,255,0.85)', boxShadow: '0 0 0 1px rgba(0,0,0,0.35)', pointerEvents: 'none', display: 'none' } as const;
  const crossH = styled('div', { ...lineStyle, left: '0', width: '100%', height: '1px' });
  const crossV = styled('div', { ...lineStyle, top: '0', height: '100%', width: '1px' });
  crossH.className = 'qkv-crosshair-h';
  crossV.className = 'qkv-crosshair-v';
  const tooltip = styled('div', { position: 'absolute', pointerEvents: 'none', display: 'none', background: 'rgba(20,20,20,0.88)', color: '#fff', padding: '3px 6px', borderRadius: '3px', fontSize: `${fontSize}px`, whiteSpace: 'nowrap', zIndex: '1' });
  tooltip.className = 'qkv-tooltip';
  tooltip.setAttribute('role', 'status');
  grid.append(canvas, crossH, crossV, tooltip);
  const bar = colorBarElement(scale, table, rows * cell, fontSize);
  element.append(rowLabelColumn(yLabels, cell, fontSize, labelWidth), grid, bar, styled('div', {}), columnLabelRow(xLabels, cell, fontSize, labelHeight));
  container.append(element);

  const cellAt = (clientX: number, clientY: number): { row: number; col: number; value: number } | undefined => {
    const box = grid.getBoundingClientRect();
    const col = Math.floor(((clientX - box.left) / box.width) * cols);
    const row = Math.floor(((clientY - box.top) / box.height) * rows);
    if (row < 0 || col < 0 || row >= rows || col >= cols) return undefined;
    return { row, col, value: m.data[row * cols + col]! };
  };
  const onMove = (e: MouseEvent): void => {
    const hit = cellAt(e.clientX, e.clientY);
    for (const node of [crossH, crossV, tooltip]) node.style.display = hit ? 'block' : 'none';
    if (!hit) return;
    crossH.style.top = `${(hit.row + 0.5) * cell}px`;
    crossV.style.left = `${(hit.col + 0.5) * cell}px`;
    tooltip.textContent = `${yLabels[hit.row]} → ${xLabels[hit.col]}: ${formatNumber(hit.value)}`;
    tooltip.style.left = `${Math.min((hit.col + 1) * cell + 8, cols * cell - 8 * fontSize)}px`;
    tooltip.style.top = `${Math.max(0, hit.row * cell - fontSize * 2)}px`;
  };
  const onLeave = (): void => {
    for (const node of [crossH, crossV, tooltip]) node.style.display = 'none';
  };
  grid.addEventListener('mousemove', onMove);
  grid.addEventListener('mouseleave', onLeave);

  const paint = (next?: ArrayInput): number => {
    const start = performance.now();
    if (next !== undefined) {
      const n = toMatrix(next, fn);
      if (n.rows !== rows || n.cols !== cols) throw new RangeError(`${fn}: paint needs the same shape [${rows}, ${cols}], got [${n.rows}, ${n.cols}]`);
      m = n;
    }
    fillImage(image, m, scale, nonFinite, table);
    ctx.putImageData(image, 0, 0);
    return performance.now() - start;
  };
  paint();
  return {
    element,
    canvas,
    scale,
    cellSize: cell,
    paint,
    cellAt,
    destroy: () => {
      grid.removeEventListener('mousemove', onMove);
      grid.removeEventListener('mouseleave', onLeave);
      element.remove();
    },
  };
}

function colorBarElement(scale: ColorScale, table: Uint8ClampedArray, height: number, fontSize: number): HTMLDivElement {
  const box = styled('div', { display: 'flex', gap: '4px', height: `${Math.max(height, 100)}px`, fontSize: `${fontSize - 1}px` });
  box.className = 'qkv-colorbar';
  const stops: string[] = [];
  for (let i = 0; i <= 16; i++) {
    const t = Math.round(((16 - i) / 16) * (TABLE_SIZE - 1)) * 4;
    stops.push(`rgb(${table[t]}, ${table[t + 1]}, ${table[t + 2]}) ${(i / 16) * 100}%`);
  }
  const strip = styled('div', { width: '14px', background: `linear-gradient(to bottom, ${stops.join(', ')})`, border: '1px solid #999' });
  const ticks = styled('div', { display: 'flex', flexDirection: 'column', justifyContent: 'space-between' });
  ticks.append(styled('span', {}, formatNumber(scale.domain[1])), styled('span', {}, formatNumber(scale.domain[0])));
  box.append(strip, ticks);
  return box;
}

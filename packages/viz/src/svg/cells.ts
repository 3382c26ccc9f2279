import type { ColorScale } from '../color/scale.js';
import { textColorOn } from '../color/rgb.js';
import type { Matrix } from '../data/matrix.js';
import { formatNumber } from './ticks.js';
import { escapeXml, num } from './xml.js';

/** How to draw a matrix's cells. */
export interface CellOptions {
  x: number;
  y: number;
  cellWidth: number;
  cellHeight: number;
  scale: ColorScale;
  /** Fill for NaN and ±∞ (masked scores). */
  nonFiniteColor: string;
  /** Print each value inside its cell. */
  showValues: boolean;
  fontSize: number;
  /** Hover text per cell (`<title>`), given row and column; omitted when undefined. */
  cellTitle?: ((row: number, col: number, value: number) => string) | undefined;
}

/**
 * One `<rect>` per cell, row-major (cell (i, j) at x + j·w, y + i·h), in a `<g class="qkv-cells">`.
 * Values print with two decimals, in black or white
 * depending on the cell's luminance.
 */
export function renderCells(m: Matrix, o: CellOptions): string {
  const parts: string[] = [`<g class="qkv-cells" shape-rendering="crispEdges">`];
  const w = num(o.cellWidth);
  const h = num(o.cellHeight);
  for (let i = 0; i < m.rows; i++) {
    const y = num(o.y + i * o.cellHeight);
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j]!;
      const fill = Number.isFinite(v) ? o.scale.hex(v) : o.nonFiniteColor;
      const title = o.cellTitle ? `<title>${escapeXml(o.cellTitle(i, j, v))}</title>` : '';
      const rect = `<rect x="${num(o.x + j * o.cellWidth)}" y="${y}" width="${w}" height="${h}" fill="${fill}"`;
      parts.push(title ? `${rect}>${title}</rect>` : `${rect}/>`);
    }
  }
  parts.push('</g>');
  if (o.showValues) parts.push(renderValues(m, o));
  return parts.join('');
}

/** Two decimals, as seaborn's `annot=True, fmt='.2f'`, so values fit their cells. */
export function formatCellValue(v: number): string {
  return Number.isFinite(v) ? v.toFixed(2) : formatNumber(v);
}

function renderValues(m: Matrix, o: CellOptions): string {
  const parts: string[] = ['<g class="qkv-values" text-anchor="middle" dominant-baseline="central">'];
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j]!;
      const fill = Number.isFinite(v) ? textColorOn(o.scale.rgb(v)) : '#000000';
      const x = num(o.x + (j + 0.5) * o.cellWidth);
      const y = num(o.y + (i + 0.5) * o.cellHeight);
      parts.push(`<text x="${x}" y="${y}" font-size="${o.fontSize}" fill="${fill}">${escapeXml(formatCellValue(v))}</text>`);
    }
  }
  parts.push('</g>');
  return parts.join('');
}

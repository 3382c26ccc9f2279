import { resolveColormap, type ColormapInput } from '../color/colormaps.js';
import { colorScale, defaultDomain } from '../color/scale.js';
import { toMatrix, type ArrayInput } from '../data/matrix.js';
import { poolMatrix } from '../data/pool.js';
import { displayWidth, truncateText } from '../data/textWidth.js';
import { formatNumber } from '../svg/ticks.js';
import { background, RESET, shade, type ColorMode } from './ansi.js';

/** Options of {@link terminalHeatmap}. */
export interface TerminalHeatmapOptions {
  xLabels?: readonly string[];
  yLabels?: readonly string[];
  /** Default 'YlGnBu'. */
  colormap?: ColormapInput;
  domain?: readonly [number, number];
  /** Default 'truecolor'; '256' for older terminals, 'none' for logs (shade characters). */
  color?: ColorMode;
  /** Most cells across and down; wider inputs are max-pooled; default 64 × 64. */
  maxCells?: number;
  /** Longest label, in terminal columns; default 10. */
  maxLabelWidth?: number;
  /** Append a colour bar line with the domain; default true. */
  colorBar?: boolean;
}

/**
 * An attention heatmap for a terminal (the CLI's `predict`): each cell is two columns of
 * background colour (or shade characters with `color: 'none'`), row labels on the left and column
 * labels written downwards underneath, one character per line, so Hangul fits a cell.
 *
 * @example
 * process.stdout.write(terminalHeatmap(weights, { xLabels: letters, yLabels: phonemes }) + '\n')
 */
export function terminalHeatmap(weights: ArrayInput, options: TerminalHeatmapOptions = {}): string {
  const fn = 'terminalHeatmap';
  const full = toMatrix(weights, fn);
  const xAll = options.xLabels ?? Array.from({ length: full.cols }, (_, j) => String(j));
  const yAll = options.yLabels ?? Array.from({ length: full.rows }, (_, i) => String(i));
  if (xAll.length !== full.cols) throw new RangeError(`${fn}: xLabels must have one label per column (${full.cols}), got ${xAll.length}`);
  if (yAll.length !== full.rows) throw new RangeError(`${fn}: yLabels must have one label per row (${full.rows}), got ${yAll.length}`);
  const maxCells = options.maxCells ?? 64;
  const m = poolMatrix(full, maxCells, maxCells, 'max');
  // a pooled bin is labelled by its first token
  const xLabels = Array.from({ length: m.cols }, (_, j) => xAll[Math.floor((j * full.cols) / m.cols)]!);
  const yLabels = Array.from({ length: m.rows }, (_, i) => yAll[Math.floor((i * full.rows) / m.rows)]!);
  const colormap = resolveColormap(options.colormap ?? 'YlGnBu', fn);
  const scale = colorScale(colormap, options.domain ?? defaultDomain(full.data, colormap), fn);
  const mode = options.color ?? 'truecolor';
  const maxLabel = options.maxLabelWidth ?? 10;
  const rowText = yLabels.map((s) => truncateText(s, maxLabel));
  const gutter = Math.max(...rowText.map(displayWidth)) + 1;

  const cellText = (v: number): string => {
    if (mode === 'none') return shade(scale.position(v)).repeat(2);
    return Number.isFinite(v) ? `${background(scale.rgb(v), mode)}  ${RESET}` : '··';
  };
  const lines: string[] = [];
  for (let i = 0; i < m.rows; i++) {
    let line = rowText[i]!.padStart(gutter - 1 + rowText[i]!.length - displayWidth(rowText[i]!)) + ' ';
    for (let j = 0; j < m.cols; j++) line += cellText(m.data[i * m.cols + j]!);
    lines.push(line);
  }
  const colChars = xLabels.map((s) => [...truncateText(s, maxLabel)]);
  const depth = Math.max(...colChars.map((c) => c.length));
  for (let k = 0; k < depth; k++) {
    let line = ' '.repeat(gutter);
    for (const chars of colChars) {
      const ch = chars[k] ?? ' ';
      line += ch + ' '.repeat(Math.max(0, 2 - displayWidth(ch)));
    }
    lines.push(line.trimEnd());
  }
  if (options.colorBar ?? true) {
    const [d0, d1] = scale.domain;
    let bar = '';
    for (let k = 0; k < 16; k++) bar += cellText(d0 + ((d1 - d0) * k) / 15).slice(0, mode === 'none' ? 1 : undefined);
    lines.push(`${' '.repeat(gutter)}${formatNumber(d0)} ${bar} ${formatNumber(d1)}${m === full ? '' : `  (pooled ${full.rows}×${full.cols} → ${m.rows}×${m.cols}, max)`}`);
  }
  return lines.join('\n');
}

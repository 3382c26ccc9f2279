import { schemeTableau10 } from 'd3-scale-chromatic';
import { toVector, type ArrayInput } from '../data/matrix.js';
import { bottomAxis, leftAxis, linearScale, niceDomain } from './axes.js';
import { el, num, text } from './xml.js';

/** One curve: y values, with x values (default 0, 1, 2, …). */
export interface LineSeries {
  name: string;
  y: ArrayInput | ArrayLike<number>;
  x?: ArrayLike<number>;
  color?: string;
}

/** Axis and size options of a line plot. */
export interface LinePanelOptions {
  /** Plot size in px, axes included; default 560 × 320. */
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  /** log10 y axis (for losses spanning decades); non-positive values are skipped. */
  logY?: boolean;
  xDomain?: readonly [number, number];
  yDomain?: readonly [number, number];
  fontSize?: number;
}

interface Points {
  name: string;
  color: string;
  xs: Float64Array;
  ys: Float64Array;
}

function readSeries(series: readonly LineSeries[], logY: boolean, fn: string): Points[] {
  return series.map((s, k) => {
    const ys = toVector(s.y, fn);
    const xs = s.x ? Float64Array.from(s.x) : Float64Array.from(ys, (_, i) => i);
    if (xs.length !== ys.length) throw new RangeError(`${fn}: series '${s.name}' has ${xs.length} x values and ${ys.length} y values`);
    if (logY) ys.forEach((v, i) => (ys[i] = v > 0 ? v : NaN));
    return { name: s.name, color: s.color ?? schemeTableau10[k % 10]!, xs, ys };
  });
}

function extent(values: Float64Array[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) for (const x of v) if (Number.isFinite(x)) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
  return lo === Infinity ? [0, 1] : [lo, hi];
}

/** Path data through finite points; a NaN or ∞ breaks the line. */
function pathData(xs: Float64Array, ys: Float64Array, x: (v: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(ys[i]!) || !Number.isFinite(xs[i]!)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${num(x(xs[i]!))} ${num(y(ys[i]!))}`;
    pen = true;
  }
  return d;
}

/** Axes, grid, one `<path class="qkv-series">` per series and a legend, at the origin. */
export function linePanel(series: readonly LineSeries[], o: LinePanelOptions, fn: string): { markup: string; width: number; height: number } {
  if (series.length === 0) throw new RangeError(`${fn}: expected at least one series, got 0`);
  const width = o.width ?? 560;
  const height = o.height ?? 320;
  const fontSize = o.fontSize ?? 11;
  const points = readSeries(series, o.logY ?? false, fn);
  const [xlo, xhi] = o.xDomain ?? extent(points.map((p) => p.xs));
  const [ylo, yhi] = extent(points.map((p) => p.ys));
  // no positive value to place on a log axis (e.g. before the first step): draw decades 1–10
  const [plo, phi] = o.logY && !(ylo > 0) ? [1, 10] : [ylo, yhi];
  const yDomain = o.yDomain ?? (o.logY ? ([10 ** Math.floor(Math.log10(plo)), 10 ** Math.ceil(Math.log10(phi))] as const) : niceDomain(ylo, yhi));
  const left = 16 + fontSize * 4.5;
  const bottom = fontSize * (o.xLabel ? 4 : 2.5);
  const x = linearScale([xlo, xhi === xlo ? xlo + 1 : xhi], [left, width - 12]);
  const y = linearScale(yDomain, [height - bottom, 8], o.logY ?? false);
  const clipped = (v: number): number => Math.max(8, Math.min(height - bottom, y(v)));
  const paths = points.map((p) =>
    el('path', { class: 'qkv-series', 'data-name': p.name, d: pathData(p.xs, p.ys, x, clipped), fill: 'none', stroke: p.color, 'stroke-width': 1.75, 'stroke-linejoin': 'round' }),
  );
  const legend = points.map((p, k) =>
    el('line', { x1: left + 10, x2: left + 28, y1: 16 + k * (fontSize + 6), y2: 16 + k * (fontSize + 6), stroke: p.color, 'stroke-width': 2.5 }) +
    text(p.name, { x: left + 34, y: 16 + k * (fontSize + 6), 'dominant-baseline': 'central' }),
  );
  const markup =
    leftAxis(y, left, width - 12 - left, fontSize, o.yLabel) +
    bottomAxis(x, height - bottom, fontSize, o.xLabel) +
    el('g', { class: 'qkv-lines' }, paths.join('')) +
    (points.length > 1 ? el('g', { class: 'qkv-legend', 'font-size': fontSize, fill: '#222' }, `<rect x="${num(left + 4)}" y="6" width="${num(fontSize * 0.62 * Math.max(...points.map((p) => p.name.length)) + 40)}" height="${num(points.length * (fontSize + 6) + 8)}" fill="#ffffff" fill-opacity="0.85"/>` + legend.join('')) : '');
  return { markup, width, height };
}

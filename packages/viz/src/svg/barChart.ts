import { schemeTableau10 } from 'd3-scale-chromatic';
import { estimateTextWidth } from '../data/textWidth.js';
import { leftAxis, linearScale, niceDomain } from './axes.js';
import { idPrefixFor, svgDocument, type DocumentOptions } from './document.js';
import { formatNumber } from './ticks.js';
import { el, escapeXml, text } from './xml.js';

/** One group of bars' worth of values: `values[c]` belongs to `categories[c]`. */
export interface BarSeries {
  name: string;
  values: readonly number[];
  color?: string;
}

/** Options of {@link barChart}. */
export interface BarChartOptions extends DocumentOptions {
  width?: number;
  height?: number;
  /** y axis title, e.g. 'ms (median of 20 runs)'. */
  yLabel?: string;
  /** Appended to printed values, e.g. ' ms'. */
  unit?: string;
  /** Print each value above its bar; default true. */
  showValues?: boolean;
  /** log10 y axis for timings spanning decades. */
  logY?: boolean;
  fontSize?: number;
}

/**
 * Grouped vertical bars for benchmarks: one group per category (e.g. matrix size), one bar per
 * series (e.g. backend) in a fixed colour, values printed above the bars.
 *
 * @example
 * barChart(['128', '512'], [{ name: 'cpu', values: [1.2, 40] }, { name: 'wasm', values: [0.3, 9] }],
 *   { title: 'matmul', yLabel: 'ms', unit: ' ms' })
 */
export function barChart(categories: readonly string[], series: readonly BarSeries[], options: BarChartOptions = {}): string {
  const fn = 'barChart';
  if (series.length === 0) throw new RangeError(`${fn}: expected at least one series, got 0`);
  for (const s of series) {
    if (s.values.length !== categories.length) throw new RangeError(`${fn}: series '${s.name}' needs ${categories.length} values (one per category), got ${s.values.length}`);
  }
  const fontSize = options.fontSize ?? 11;
  const titleWidth = options.title ? estimateTextWidth(options.title, fontSize * 1.4) + 16 : 0;
  const width = options.width ?? Math.max(360, titleWidth, 90 + categories.length * (series.length * 26 + 24));
  const height = options.height ?? 320;
  const titleHeight = options.title ? fontSize * 1.4 + 12 : 4;
  const legendHeight = series.length > 1 ? fontSize + 12 : 0;
  const top = titleHeight + legendHeight + 8;
  const left = 16 + fontSize * 4.5;
  const bottom = height - fontSize * 3;
  const values = series.flatMap((s) => s.values.filter(Number.isFinite));
  const logY = options.logY ?? false;
  const positive = values.filter((v) => v > 0);
  const domain: [number, number] = logY
    ? [10 ** Math.floor(Math.log10(Math.min(...positive))), 10 ** Math.ceil(Math.log10(Math.max(...positive)))]
    : niceDomain(Math.min(0, ...values), Math.max(0, ...values));
  const y = linearScale(domain, [bottom, top], logY);
  const groupWidth = (width - left - 12) / categories.length;
  const barWidth = Math.min(40, (groupWidth * 0.8) / series.length);
  const bars: string[] = [];
  categories.forEach((category, c) => {
    const gx = left + c * groupWidth + (groupWidth - barWidth * series.length) / 2;
    series.forEach((s, k) => {
      const v = s.values[c]!;
      if (!Number.isFinite(v) || (logY && v <= 0)) return;
      const base = logY ? bottom : y(0);
      const [y0, y1] = [Math.min(base, y(v)), Math.max(base, y(v))];
      const title = `<title>${escapeXml(`${s.name}, ${category}: ${formatNumber(v)}${options.unit ?? ''}`)}</title>`;
      bars.push(el('rect', { class: 'qkv-bar', 'data-series': s.name, 'data-category': category, 'data-value': String(v), x: gx + k * barWidth, y: y0, width: barWidth - 2, height: Math.max(0.5, y1 - y0), fill: s.color ?? schemeTableau10[k % 10]! }, title));
      if (options.showValues ?? true) bars.push(text(`${formatNumber(v)}${options.unit ?? ''}`, { x: gx + (k + 0.5) * barWidth - 1, y: y0 - 3, 'text-anchor': 'middle', 'font-size': fontSize - 2, fill: '#333', class: 'qkv-bar-value' }));
    });
    bars.push(text(category, { x: left + (c + 0.5) * groupWidth, y: bottom + 8, 'text-anchor': 'middle', 'dominant-baseline': 'hanging', 'font-size': fontSize, fill: '#222', class: 'qkv-category' }));
  });
  let lx = left;
  const legend = series.map((s, k) => {
    const item = el('rect', { x: lx, y: titleHeight + 2, width: fontSize, height: fontSize, fill: s.color ?? schemeTableau10[k % 10]! }) + text(s.name, { x: lx + fontSize + 4, y: titleHeight + 2 + fontSize / 2, 'dominant-baseline': 'central' });
    lx += fontSize + 16 + estimateTextWidth(s.name, fontSize);
    return item;
  });
  const idPrefix = options.idPrefix ?? idPrefixFor('bars', `${options.title ?? ''}|${categories.join(',')}`);
  return svgDocument({
    kind: 'bar-chart',
    width,
    height,
    idPrefix,
    background: options.background,
    title: options.title ?? 'Bar chart',
    description: options.description ?? `Bar chart of ${series.map((s) => s.name).join(', ')} over ${categories.join(', ')}.`,
    body:
      (options.title ? text(options.title, { x: 8, y: 6 + fontSize * 1.4, 'font-size': fontSize * 1.4, 'font-weight': 'bold', fill: '#111' }) : '') +
      (series.length > 1 ? el('g', { class: 'qkv-legend', 'font-size': fontSize, fill: '#222' }, legend.join('')) : '') +
      leftAxis(y, left, width - 12 - left, fontSize, options.yLabel) +
      el('line', { x1: left, x2: width - 12, y1: bottom, y2: bottom, stroke: '#333' }) +
      el('g', { class: 'qkv-bars' }, bars.join('')),
  });
}

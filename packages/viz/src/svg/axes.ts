import { formatNumber, niceTicks } from './ticks.js';
import { el, text } from './xml.js';

/** A linear (or log10) mapping from data to px. */
export interface LinearScale {
  domain: readonly [number, number];
  range: readonly [number, number];
  log: boolean;
  (value: number): number;
}

/** Maps `domain` onto `range` linearly, or linearly in log10 when `log` (domain must be > 0). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number], log = false): LinearScale {
  const f = log ? Math.log10 : (v: number): number => v;
  const [a, b] = [f(domain[0]), f(domain[1])];
  const span = b - a || 1;
  const s = ((v: number) => range[0] + ((f(v) - a) / span) * (range[1] - range[0])) as LinearScale;
  return Object.assign(s, { domain, range, log });
}

/** Extends [lo, hi] outward to nice tick values (for axis domains). */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  if (lo === hi) return lo === 0 ? [0, 1] : [Math.min(0, lo), Math.max(0, hi)];
  const ticks = niceTicks(lo, hi, count);
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : Math.abs(hi - lo);
  return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
}

/** Tick values for an axis: nice linear ticks, or powers of ten for a log axis. */
export function axisTicks(scale: LinearScale, count: number): number[] {
  const [lo, hi] = scale.domain;
  if (!scale.log) return niceTicks(lo, hi, count);
  const ticks: number[] = [];
  for (let p = Math.ceil(Math.log10(lo) - 1e-9); p <= Math.floor(Math.log10(hi) + 1e-9); p++) ticks.push(10 ** p);
  return ticks;
}

/** A bottom x axis with ticks, labels and an optional title. */
export function bottomAxis(x: LinearScale, y: number, fontSize: number, title?: string): string {
  const ticks = axisTicks(x, Math.max(2, Math.floor(Math.abs(x.range[1] - x.range[0]) / 70)));
  const marks = ticks.map((t) => el('line', { x1: x(t), x2: x(t), y1: y, y2: y + 5, stroke: '#333' }) + text(formatNumber(t), { x: x(t), y: y + 8, 'text-anchor': 'middle', 'dominant-baseline': 'hanging', class: 'qkv-tick', 'data-value': String(t) }));
  const label = title ? text(title, { x: (x.range[0] + x.range[1]) / 2, y: y + fontSize * 2.6, 'text-anchor': 'middle', class: 'qkv-axis-title' }) : '';
  return el('g', { class: 'qkv-x-axis', 'font-size': fontSize, fill: '#333' }, el('line', { x1: x.range[0], x2: x.range[1], y1: y, y2: y, stroke: '#333' }) + marks.join('') + label);
}

/** A left y axis with ticks, light grid lines across `width`, labels and an optional title. */
export function leftAxis(y: LinearScale, x: number, width: number, fontSize: number, title?: string): string {
  const ticks = axisTicks(y, Math.max(2, Math.floor(Math.abs(y.range[0] - y.range[1]) / 45)));
  const marks = ticks.map(
    (t) =>
      el('line', { x1: x, x2: x + width, y1: y(t), y2: y(t), stroke: '#e5e5e5' }) +
      el('line', { x1: x - 5, x2: x, y1: y(t), y2: y(t), stroke: '#333' }) +
      text(formatNumber(t), { x: x - 8, y: y(t), 'text-anchor': 'end', 'dominant-baseline': 'central', class: 'qkv-tick', 'data-value': String(t) }),
  );
  const cy = (y.range[0] + y.range[1]) / 2;
  const label = title ? text(title, { x: fontSize, y: cy, 'text-anchor': 'middle', transform: `rotate(-90 ${fontSize} ${cy})`, class: 'qkv-axis-title' }) : '';
  return el('g', { class: 'qkv-y-axis', 'font-size': fontSize, fill: '#333' }, marks.join('') + el('line', { x1: x, x2: x, y1: y.range[0], y2: y.range[1], stroke: '#333' }) + label);
}

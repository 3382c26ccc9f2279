import type { ColorScale } from '../color/scale.js';
import { formatNumber, niceTicks } from './ticks.js';
import { el, num, text } from './xml.js';

/** Where a colour bar goes and how it is labelled. */
export interface ColorBarLayout {
  x: number;
  y: number;
  /** Bar thickness (px). */
  width: number;
  /** Bar length (px); the domain's maximum is at the top. */
  height: number;
  fontSize: number;
  /** Unique id for the gradient. */
  gradientId: string;
  label?: string | undefined;
}

/** Horizontal space a colour bar needs: the bar, its tick labels and its optional label. */
export const COLOR_BAR_SPACE = 14 + 6 + 48;

/**
 * A vertical colour bar for `scale`: a gradient of 17 stops from the domain's minimum (bottom) to
 * its maximum (top), tick labels at the ends and at nice values between.
 * The group carries `data-domain-min`/`data-domain-max` so tests and tools can read the range.
 */
export function colorBar(scale: ColorScale, layout: ColorBarLayout): string {
  const { x, y, width, height, fontSize, gradientId } = layout;
  const [d0, d1] = scale.domain;
  const stops: string[] = [];
  const n = 16;
  for (let i = 0; i <= n; i++) {
    // offset 0 is the top of the bar, which shows the maximum
    const value = d1 + ((d0 - d1) * i) / n;
    stops.push(el('stop', { offset: `${num((i / n) * 100)}%`, 'stop-color': scale.hex(value) }));
  }
  const gradient = el('linearGradient', { id: gradientId, x1: 0, y1: 0, x2: 0, y2: 1 }, stops.join(''));
  const yOf = (v: number): number => y + height - ((v - d0) / (d1 - d0)) * height;
  const inner = niceTicks(d0, d1, Math.max(2, Math.floor(height / 40))).filter(
    (t) => Math.abs(yOf(t) - yOf(d0)) > fontSize * 1.5 && Math.abs(yOf(t) - yOf(d1)) > fontSize * 1.5,
  );
  const ticks = [d0, ...inner, d1].map((v) => {
    const ty = yOf(v);
    return (
      el('line', { x1: x + width, x2: x + width + 4, y1: ty, y2: ty, stroke: '#333' }) +
      text(formatNumber(v), {
        class: 'qkv-colorbar-tick',
        x: x + width + 6,
        y: ty,
        'dominant-baseline': 'middle',
        'font-size': fontSize,
        fill: '#333',
        'data-value': String(v),
      })
    );
  });
  const label = layout.label
    ? text(layout.label, {
        x: x + width + 44,
        y: y + height / 2,
        'font-size': fontSize,
        'text-anchor': 'middle',
        transform: `rotate(90 ${num(x + width + 44)} ${num(y + height / 2)})`,
        fill: '#333',
      })
    : '';
  return el(
    'g',
    { class: 'qkv-colorbar', 'data-domain-min': String(d0), 'data-domain-max': String(d1) },
    `<defs>${gradient}</defs>` +
      el('rect', { x, y, width, height, fill: `url(#${gradientId})`, stroke: '#999', 'stroke-width': 0.5 }) +
      ticks.join('') +
      label,
  );
}

import { finiteExtent } from '../data/matrix.js';
import type { Colormap } from './colormaps.js';
import { parseColor, toHex, type Rgb } from './rgb.js';

/** A value → colour mapping over a fixed domain, with the colour map it samples. */
export interface ColorScale {
  readonly domain: readonly [number, number];
  readonly colormap: Colormap;
  /** t ∈ [0, 1] for a value (clamped); NaN for a non-finite value. */
  position(value: number): number;
  /** The RGB colour of a finite value (clamped to the domain). */
  rgb(value: number): Rgb;
  /** `#rrggbb` of a finite value. */
  hex(value: number): string;
}

/**
 * The domain a view uses when none is given: the finite extent of the data, or for a diverging
 * map a range symmetric about 0 (±max|v|), so that 0 sits on the neutral middle colour.
 */
export function defaultDomain(data: ArrayLike<number>, colormap: Colormap): [number, number] {
  const [lo, hi] = finiteExtent(data);
  if (colormap.diverging) {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    return [-m, m];
  }
  return lo === hi ? [lo, lo + 1] : [lo, hi];
}

/**
 * A linear colour scale: `domain[0]` ↦ t = 0, `domain[1]` ↦ t = 1 of `colormap`.
 * Colours are exact d3 samples (memoised per value), not a quantised table.
 * @example colorScale(COLORMAPS.viridis, [0, 1]).hex(0.5) // interpolateViridis(0.5)
 */
export function colorScale(colormap: Colormap, domain: readonly [number, number], fn = 'colorScale'): ColorScale {
  const [d0, d1] = domain;
  if (!Number.isFinite(d0) || !Number.isFinite(d1) || d0 === d1) {
    throw new RangeError(`${fn}: domain must be two different finite numbers, got [${d0}, ${d1}]`);
  }
  const cache = new Map<number, Rgb>();
  const position = (v: number): number => {
    if (!Number.isFinite(v)) return NaN;
    return Math.max(0, Math.min(1, (v - d0) / (d1 - d0)));
  };
  const rgb = (v: number): Rgb => {
    const t = position(v);
    let c = cache.get(t);
    if (c === undefined) {
      c = parseColor(colormap.interpolate(Number.isNaN(t) ? 0 : t));
      if (cache.size < 65_536) cache.set(t, c);
    }
    return c;
  };
  return { domain: [d0, d1], colormap, position, rgb, hex: (v) => toHex(rgb(v)) };
}

/**
 * `size` colours sampled evenly from t = 0 to 1, packed as RGBA bytes (for canvases and
 * terminals, where a table lookup per cell is what makes 512 × 512 fast).
 */
export function colorTable(colormap: Colormap, size = 256): Uint8ClampedArray {
  const table = new Uint8ClampedArray(size * 4);
  for (let i = 0; i < size; i++) {
    const [r, g, b] = parseColor(colormap.interpolate(size === 1 ? 0 : i / (size - 1)));
    table.set([r, g, b, 255], i * 4);
  }
  return table;
}

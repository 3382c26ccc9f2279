import type { ColorScale } from '../color/scale.js';
import { colorTable } from '../color/scale.js';
import { parseColor } from '../color/rgb.js';
import type { Matrix } from '../data/matrix.js';

/** Entries in the colour lookup table: t is quantised to 1/255, below what a screen shows. */
export const TABLE_SIZE = 256;

/**
 * Fills `image` (rows × cols pixels) with one pixel per cell: pixel (j, i) is cell (i, j)'s colour
 * from a 256-entry table of `scale`'s colour map. Non-finite cells get `nonFinite`.
 * This loop is the whole cost of painting a 512 × 512 heatmap.
 */
export function fillImage(image: ImageData, m: Matrix, scale: ColorScale, nonFinite: string, table = colorTable(scale.colormap, TABLE_SIZE)): void {
  const out = image.data;
  const [d0, d1] = scale.domain;
  const k = (TABLE_SIZE - 1) / (d1 - d0);
  const [nr, ng, nb] = parseColor(nonFinite);
  const n = m.rows * m.cols;
  const src = m.data;
  for (let p = 0; p < n; p++) {
    const v = src[p]!;
    const o = p * 4;
    if (v - v !== 0) {
      // NaN or ±∞
      out[o] = nr;
      out[o + 1] = ng;
      out[o + 2] = nb;
      out[o + 3] = 255;
      continue;
    }
    let idx = Math.round((v - d0) * k);
    idx = idx < 0 ? 0 : idx > TABLE_SIZE - 1 ? TABLE_SIZE - 1 : idx;
    const t = idx * 4;
    out[o] = table[t]!;
    out[o + 1] = table[t + 1]!;
    out[o + 2] = table[t + 2]!;
    out[o + 3] = 255;
  }
}

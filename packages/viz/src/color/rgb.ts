/** An sRGB colour as 0–255 integers. */
export type Rgb = readonly [r: number, g: number, b: number];

const HEX6 = /^#([0-9a-f]{6})$/i;
const HEX3 = /^#([0-9a-f]{3})$/i;
const RGB_FN = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*[\d.]+\s*)?\)$/i;

/**
 * Parses the colour strings d3 produces (`#rrggbb`, `#rgb`, `rgb(r, g, b)`) into integers.
 * @example parseColor('rgb(68, 1, 84)') // [68, 1, 84]
 */
export function parseColor(color: string): Rgb {
  const s = color.trim();
  const hex6 = HEX6.exec(s);
  if (hex6) {
    const n = parseInt(hex6[1]!, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const hex3 = HEX3.exec(s);
  if (hex3) {
    const [r, g, b] = [...hex3[1]!].map((c) => parseInt(c + c, 16));
    return [r!, g!, b!];
  }
  const fn = RGB_FN.exec(s);
  if (fn) return [clampByte(Number(fn[1])), clampByte(Number(fn[2])), clampByte(Number(fn[3]))];
  throw new RangeError(`parseColor: expected #rrggbb, #rgb or rgb(r, g, b), got '${color}'`);
}

function clampByte(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}

/**
 * `#rrggbb` for an Rgb triple.
 * @example toHex([255, 0, 128]) // '#ff0080'
 */
export function toHex(rgb: Rgb): string {
  return `#${rgb.map((c) => clampByte(c).toString(16).padStart(2, '0')).join('')}`;
}

/** Relative luminance (WCAG 2), 0 for black to 1 for white. */
export function luminance(rgb: Rgb): number {
  const lin = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lin[0]! + 0.7152 * lin[1]! + 0.0722 * lin[2]!;
}

/** Black or white, whichever reads better on `background` (for values printed inside cells). */
export function textColorOn(background: Rgb): string {
  return luminance(background) > 0.179 ? '#000000' : '#ffffff';
}

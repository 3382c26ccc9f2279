import type { Rgb } from '../color/rgb.js';

/** How colours are written: 24-bit escapes, the xterm 256-colour cube, or none (shade characters). */
export type ColorMode = 'truecolor' | '256' | 'none';

/** Resets all attributes. */
export const RESET = '\x1b[0m';

/** Nearest colour of the xterm 6 × 6 × 6 cube (indices 16–231). */
export function xterm256(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => Math.round((c / 255) * 5));
  return 16 + 36 * r! + 6 * g! + b!;
}

/** The escape sequence that sets the background to `rgb` in `mode` ('' for 'none'). */
export function background(rgb: Rgb, mode: ColorMode): string {
  if (mode === 'truecolor') return `\x1b[48;2;${rgb[0]};${rgb[1]};${rgb[2]}m`;
  if (mode === '256') return `\x1b[48;5;${xterm256(rgb)}m`;
  return '';
}

const SHADES = [' ', '░', '▒', '▓', '█'];

/** A shade character for t ∈ [0, 1] (for terminals without colour); '·' for NaN. */
export function shade(t: number): string {
  if (Number.isNaN(t)) return '·';
  return SHADES[Math.min(SHADES.length - 1, Math.round(t * (SHADES.length - 1)))]!;
}

/** Removes ANSI escape sequences (for measuring and testing). */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

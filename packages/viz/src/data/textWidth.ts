/**
 * Widths of label text: terminal columns and an estimate of rendered SVG width, so layouts leave
 * room for labels without a browser to measure them. East Asian wide characters (Hangul,
 * CJK ideographs, full-width forms) and most emoji count double.
 */

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || // Hangul Jamo initials
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || // Hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function isZeroWidth(cp: number): boolean {
  return (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) || cp === 0xfe0f || (cp >= 0x1160 && cp <= 0x11ff);
}

/**
 * Terminal columns `text` occupies (wide characters 2, combining marks 0).
 * @example displayWidth('한국어 ok') // 9
 */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    w += isZeroWidth(cp) ? 0 : isWide(cp) ? 2 : 1;
  }
  return w;
}

/** Estimated rendered width in px of `text` at `fontSize` in a sans-serif font (~0.6 em per column). */
export function estimateTextWidth(text: string, fontSize: number): number {
  return displayWidth(text) * fontSize * 0.6;
}

/** Cuts `text` to at most `maxColumns` display columns, ending with '…' when cut. */
export function truncateText(text: string, maxColumns: number): string {
  if (displayWidth(text) <= maxColumns) return text;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = displayWidth(ch);
    if (w + cw > maxColumns - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

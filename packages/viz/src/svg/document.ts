import { attrs, escapeXml } from './xml.js';

/** Font stack with Hangul coverage on every major OS (Noto CJK on Linux, Apple SD Gothic, Malgun). */
export const FONT_FAMILY =
  "system-ui, 'Noto Sans', 'Noto Sans CJK KR', 'Apple SD Gothic Neo', 'Malgun Gothic', 'Segoe UI', sans-serif";

/** Options every SVG view takes for accessibility and embedding. */
export interface DocumentOptions {
  /** Visible title, also the accessible name (`<title>`). */
  title?: string;
  /** Accessible description (`<desc>`); each view writes a sensible one when omitted. */
  description?: string;
  /** Prefix for element ids (gradients, title, desc); set it when several SVGs share a page. */
  idPrefix?: string;
  /** Background fill; default white, `'none'` for transparent. */
  background?: string;
}

/** What {@link svgDocument} needs: the size, the body markup and the accessible text. */
export interface DocumentParts {
  width: number;
  height: number;
  body: string;
  kind: string;
  title: string;
  description: string;
  idPrefix: string;
  background?: string | undefined;
}

/**
 * Deterministic id prefix from a view's kind and content, so renders are reproducible and two
 * different SVGs on one page rarely collide (pass `idPrefix` to be sure).
 */
export function idPrefixFor(kind: string, seed: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return `qkv-${kind}-${(h >>> 0).toString(36)}`;
}

/** Wraps a view's body in a standalone, accessible `<svg>` (role="img", title and desc). */
export function svgDocument(parts: DocumentParts): string {
  const { width, height, idPrefix } = parts;
  const background = parts.background ?? '#ffffff';
  const head = attrs({
    xmlns: 'http://www.w3.org/2000/svg',
    width: Math.ceil(width),
    height: Math.ceil(height),
    viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
    role: 'img',
    'aria-labelledby': `${idPrefix}-title ${idPrefix}-desc`,
    class: `qkv-viz qkv-${parts.kind}`,
    'font-family': FONT_FAMILY,
  });
  const bg = background === 'none' ? '' : `<rect width="100%" height="100%" fill="${escapeXml(background)}"/>`;
  return (
    `<svg${head}>` +
    `<title id="${idPrefix}-title">${escapeXml(parts.title)}</title>` +
    `<desc id="${idPrefix}-desc">${escapeXml(parts.description)}</desc>` +
    bg +
    parts.body +
    '</svg>'
  );
}

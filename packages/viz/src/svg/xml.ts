/** Small helpers for writing well-formed SVG text. */

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// Characters XML 1.0 forbids outright (C0 controls except tab, LF, CR; lone surrogates; U+FFFE/F).
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes text for XML content and attribute values; characters XML cannot hold become U+FFFD.
 * @example escapeXml('<pad> & "안녕"') // '&lt;pad&gt; &amp; &quot;안녕&quot;'
 */
export function escapeXml(text: string): string {
  return text.replace(XML_FORBIDDEN, '\uFFFD').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** Rounds coordinates to 2 decimals so the SVG stays small and diff-stable. */
export function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Attribute values as they can appear in an element. */
export type AttrValue = string | number | undefined;

/** ` name="value"` pairs, escaped, skipping undefined values. Numbers are rounded by {@link num}. */
export function attrs(values: Record<string, AttrValue>): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    out += ` ${name}="${typeof value === 'number' ? num(value) : escapeXml(value)}"`;
  }
  return out;
}

/** One element: `<name a="1">children</name>`, or self-closed when there are no children. */
export function el(name: string, attributes: Record<string, AttrValue>, children?: string): string {
  return children === undefined || children === ''
    ? `<${name}${attrs(attributes)}/>`
    : `<${name}${attrs(attributes)}>${children}</${name}>`;
}

/** A `<text>` element whose content is escaped. */
export function text(content: string, attributes: Record<string, AttrValue>): string {
  return `<text${attrs(attributes)}>${escapeXml(content)}</text>`;
}

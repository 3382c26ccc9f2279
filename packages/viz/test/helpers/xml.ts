/**
 * A tiny, strict XML parser for tests: it accepts only well-formed documents (one root,
 * matched tags, quoted unique attributes, known or numeric entities, no stray '<' or '&') and
 * returns the element tree, so tests can count and read elements without a DOM.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Decoded text directly inside this element. */
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  return raw.replace(/&([^;&<]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new SyntaxError(`xml: bare '&' near offset ${where}`);
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const v = ENTITIES[ref];
    if (v === undefined) throw new SyntaxError(`xml: unknown entity ${whole} near offset ${where}`);
    return v;
  });
}

/** Parses `source`; throws SyntaxError naming the offset of the first problem. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skipProlog = (): void => {
    for (;;) {
      while (/\s/.test(source[i] ?? '')) i++;
      if (source.startsWith('<?', i)) i = source.indexOf('?>', i) + 2;
      else if (source.startsWith('<!--', i)) i = source.indexOf('-->', i) + 3;
      else return;
      if (i < 2) throw new SyntaxError('xml: unterminated prolog');
    }
  };
  skipProlog();
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const textEnd = lt === -1 ? source.length : lt;
    const raw = source.slice(i, textEnd);
    if (raw.includes('>')) throw new SyntaxError(`xml: stray '>' near offset ${i}`);
    if (stack.length === 0) {
      if (raw.trim() !== '') throw new SyntaxError(`xml: text outside the root near offset ${i}`);
    } else stack[stack.length - 1]!.text += decode(raw, i);
    if (lt === -1) break;
    i = lt;
    if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i);
      if (end === -1) throw new SyntaxError(`xml: unterminated comment at ${i}`);
      i = end + 3;
      continue;
    }
    if (source.startsWith('</', i)) {
      const m = NAME.exec(source.slice(i + 2));
      const open = stack.pop();
      if (!m || !open || open.name !== m[0]) throw new SyntaxError(`xml: mismatched close tag at ${i}: </${m?.[0]}> closes <${open?.name}>`);
      i += 2 + m[0].length;
      while (/\s/.test(source[i] ?? '')) i++;
      if (source[i] !== '>') throw new SyntaxError(`xml: expected '>' at ${i}`);
      i++;
      continue;
    }
    const m = NAME.exec(source.slice(i + 1));
    if (!m) throw new SyntaxError(`xml: stray '<' at ${i}`);
    const node: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    i += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(source.slice(i, i + 64))![0].length;
      i += ws;
      if (source.startsWith('/>', i) || source[i] === '>') break;
      if (ws === 0) throw new SyntaxError(`xml: expected whitespace before attribute at ${i}`);
      const a = /^([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(["'])/.exec(source.slice(i, i + 256));
      if (!a) throw new SyntaxError(`xml: malformed attribute at ${i}`);
      const quote = a[2]!;
      const start = i + a[0].length;
      const end = source.indexOf(quote, start);
      if (end === -1) throw new SyntaxError(`xml: unterminated attribute at ${i}`);
      const value = source.slice(start, end);
      if (value.includes('<')) throw new SyntaxError(`xml: '<' in attribute value at ${start}`);
      if (a[1]! in node.attrs) throw new SyntaxError(`xml: duplicate attribute ${a[1]} at ${i}`);
      node.attrs[a[1]!] = decode(value, start);
      i = end + 1;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else if (root) throw new SyntaxError(`xml: second root element at ${i}`);
    else root = node;
    if (source.startsWith('/>', i)) i += 2;
    else {
      i += 1;
      stack.push(node);
    }
  }
  if (stack.length > 0) throw new SyntaxError(`xml: unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new SyntaxError('xml: no root element');
  return root;
}

/** Every element below (and including) `node` that matches `test`, in document order. */
export function findAll(node: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (test(e)) out.push(e);
    e.children.forEach(walk);
  };
  walk(node);
  return out;
}

/** The first element with `class` containing `className`; throws if there is none. */
export function byClass(node: XmlElement, className: string): XmlElement {
  const hit = findAll(node, (e) => (e.attrs.class ?? '').split(' ').includes(className))[0];
  if (!hit) throw new Error(`no element with class ${className}`);
  return hit;
}

/** All text inside an element, children included. */
export function textOf(e: XmlElement): string {
  return e.text + e.children.map(textOf).join('');
}

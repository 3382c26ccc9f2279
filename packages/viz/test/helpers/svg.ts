import { interpolateViridis } from 'd3-scale-chromatic';
import { byClass, findAll, parseXml, type XmlElement } from './xml.js';

export { interpolateViridis };

/** Parses an SVG string (failing the test if it is not well-formed) and checks its root. */
export function parseSvg(svg: string): XmlElement {
  const root = parseXml(svg);
  if (root.name !== 'svg' || root.attrs.xmlns !== 'http://www.w3.org/2000/svg') {
    throw new Error(`expected an <svg xmlns="http://www.w3.org/2000/svg"> root, got <${root.name}>`);
  }
  return root;
}

/** The cell rectangles of a matrix view, in document (row-major) order. */
export function cellsOf(root: XmlElement, className = 'qkv-cells'): XmlElement[] {
  return findAll(byClass(root, className), (e) => e.name === 'rect');
}

/**
 * Independent conversion of any d3 colour string to lowercase #rrggbb (the code under test has
 * its own parser; this one uses the browser-free canonical form d3 documents).
 */
export function hexOf(d3Color: string): string {
  if (d3Color.startsWith('#')) return d3Color.toLowerCase();
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(d3Color);
  if (!m) throw new Error(`unexpected d3 colour ${d3Color}`);
  return `#${[m[1], m[2], m[3]].map((c) => Number(c).toString(16).padStart(2, '0')).join('')}`;
}

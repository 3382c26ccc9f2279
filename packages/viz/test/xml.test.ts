import { describe, expect, it } from 'vitest';
import { parseXml } from './helpers/xml.js';

// The checker every SVG test relies on must itself reject broken XML, or those tests could not fail.
describe('test helper parseXml', () => {
  it('parses elements, attributes, entities and text', () => {
    const root = parseXml('<?xml version="1.0"?><a x="1 &amp; 2"><b>&lt;pad&gt; &#xAC00;</b><c/></a>');
    expect(root.name).toBe('a');
    expect(root.attrs.x).toBe('1 & 2');
    expect(root.children.map((c) => c.name)).toEqual(['b', 'c']);
    expect(root.children[0]!.text).toBe('<pad> 가');
  });

  it.each([
    ['mismatched tags', '<a><b></a></b>'],
    ['an unclosed element', '<a><b/>'],
    ['a bare ampersand', '<a>x & y</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a raw < in text', '<a>1 < 2</a>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['two roots', '<a/><b/>'],
  ])('rejects %s', (_what, source) => {
    expect(() => parseXml(source)).toThrow(SyntaxError);
  });
});

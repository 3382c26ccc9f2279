import { describe, expect, it } from 'vitest';
import { tokenLines } from '../src/index.js';
import { parseSvg } from './helpers/svg.js';
import { byClass, findAll, textOf } from './helpers/xml.js';

// [H=2, T=2, S=3] cross-attention from 2 target tokens to 3 source tokens
const attention = { shape: [2, 2, 3], data: [0.6, 0.3, 0.1, 0.01, 0.09, 0.9, 1, 0, 0, 0.5, 0.5, 0] };
const opts = { leftTokens: ['I', 'go'], rightTokens: ['나는', '간다', '<eos>'] };

describe('tokenLines', () => {
  it('draws one line per head, query and key above the threshold, with opacity = weight', () => {
    const root = parseSvg(tokenLines(attention, opts));
    const groups = findAll(root, (e) => e.attrs.class === 'qkv-head-lines');
    expect(groups.map((g) => g.attrs['data-head'])).toEqual(['0', '1']);
    const head0 = groups[0]!.children;
    expect(head0.map((l) => [l.attrs['data-from'], l.attrs['data-to'], l.attrs['stroke-opacity']])).toEqual([
      ['0', '0', '0.6'], ['0', '1', '0.3'], ['0', '2', '0.1'], ['1', '1', '0.09'], ['1', '2', '0.9'],
    ]); // 0.01 is under the 0.02 threshold
    expect(groups[1]!.children).toHaveLength(3);
  });

  it('joins query i on the left to key j on the right at their rows', () => {
    const root = parseSvg(tokenLines(attention, { ...opts, rowHeight: 30 }));
    const line = findAll(root, (e) => e.name === 'line' && e.attrs['data-from'] === '1' && e.attrs['data-to'] === '2')[0]!;
    expect(Number(line.attrs.y2) - Number(line.attrs.y1)).toBe(30);
    expect(Number(line.attrs.x2)).toBeGreaterThan(Number(line.attrs.x1));
  });

  it('gives each head its own hue and shows only the selected heads and query', () => {
    const root = parseSvg(tokenLines(attention, { ...opts, heads: [1], query: 1, headColors: ['#111111', '#ff0000'] }));
    const groups = findAll(root, (e) => e.attrs.class === 'qkv-head-lines');
    expect(groups).toHaveLength(1);
    expect(groups[0]!.attrs.stroke).toBe('#ff0000');
    expect(groups[0]!.children.map((l) => l.attrs['data-from'])).toEqual(['1', '1']);
  });

  it('writes both token columns in order, Hangul verbatim', () => {
    const root = parseSvg(tokenLines(attention, opts));
    expect(findAll(byClass(root, 'qkv-left-tokens'), (e) => e.name === 'text').map(textOf)).toEqual(['I', 'go']);
    expect(findAll(byClass(root, 'qkv-right-tokens'), (e) => e.name === 'text').map(textOf)).toEqual(['나는', '간다', '<eos>']);
  });

  it('rejects token lists of the wrong length and unknown heads', () => {
    expect(() => tokenLines(attention, { leftTokens: ['I'], rightTokens: opts.rightTokens })).toThrow('tokenLines: leftTokens must have one token per query (T = 2), got 1');
    expect(() => tokenLines(attention, { leftTokens: opts.leftTokens })).toThrow('tokenLines: rightTokens must have one token per key (S = 3), got none');
    expect(() => tokenLines(attention, { ...opts, heads: [2] })).toThrow('tokenLines: heads must be integers in [0, 2), got 2');
  });
});

import { interpolateYlGnBu } from 'd3-scale-chromatic';
import { describe, expect, it } from 'vitest';
import { displayWidth, stripAnsi, terminalHeatmap } from '../src/index.js';
import { hexOf } from './helpers/svg.js';

const w = { shape: [2, 3], data: [0, 0.5, 1, 1, 0.5, 0] };
const ESC = String.fromCharCode(27);

function rgbOf(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `${(n >> 16) & 255};${(n >> 8) & 255};${n & 255}`;
}

describe('terminalHeatmap', () => {
  it('paints each cell as two columns of 24-bit background colour from the colour map', () => {
    const out = terminalHeatmap(w, { yLabels: ['a', 'b'], colorBar: false });
    const first = out.split('\n')[0]!;
    const colours = [...first.matchAll(new RegExp(`${ESC}\\[48;2;([\\d;]+)m {2}${ESC}\\[0m`, 'g'))].map((m) => m[1]);
    expect(colours).toEqual([0, 0.5, 1].map((t) => rgbOf(hexOf(interpolateYlGnBu(t)))));
  });

  it('writes column labels downwards, one character per line, Hangul fitting a cell', () => {
    const lines = stripAnsi(terminalHeatmap(w, { xLabels: ['나', 'ab', 'c'], yLabels: ['x', 'y'], colorBar: false })).split('\n');
    expect(lines[2]).toBe('  나a c');
    expect(lines[3]).toBe('    b');
    expect(displayWidth(lines[0]!)).toBe(2 + 6);
  });

  it('falls back to shade characters without colour, and to the 256-colour cube', () => {
    expect(stripAnsi(terminalHeatmap(w, { color: 'none', colorBar: false })).split('\n')[0]).toBe('0   ▒▒██');
    expect(terminalHeatmap(w, { color: '256' })).toMatch(new RegExp(`${ESC}\\[48;5;\\d+m`));
  });

  it('ends with a colour bar giving the domain, and pools wide inputs', () => {
    const lines = stripAnsi(terminalHeatmap({ shape: [4, 200], data: new Float32Array(800).map((_, k) => k / 800) }, { maxCells: 50 })).split('\n');
    expect(lines[lines.length - 1]).toContain('pooled 4×200 → 4×50');
    expect(lines[0]!.length).toBe(2 + 100);
  });
});

// `pnpm bench --quick` as CI's smoke test: every suite runs at tiny sizes and checks its answers
// (no timing assertions). Plus the harness's own pieces against hand-computed values.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkClose, median } from '../src/harness.js';
import { markdownTable } from '../src/report.js';

describe('harness', () => {
  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('checkClose fails loudly on a wrong answer', () => {
    expect(checkClose('ok', [1, 2], [1, 2.00001], 1e-3)).toBeCloseTo(1e-5, 8);
    expect(() => checkClose('gemm', [1, 2], [1, 3], 1e-3)).toThrow(/gemm: computes the wrong answer/);
    expect(() => checkClose('gemm', [NaN], [1], 1e-3)).toThrow(/value 0 is NaN/);
  });
  it('markdown tables have a header, a rule and one line per row', () => {
    expect(markdownTable([{ a: '1', b: '2' }, { a: '3', b: '4' }]).split('\n')).toEqual(['| a | b |', '| --- | --- |', '| 1 | 2 |', '| 3 | 4 |']);
  });
});

describe('pnpm bench --quick', () => {
  it('runs every suite, checks every result and writes JSON, SVG and markdown', () => {
    const dist = resolve(import.meta.dirname, '../dist/bench.js');
    expect(existsSync(dist), 'run `pnpm build` first (turbo does before test)').toBe(true);
    const out = mkdtempSync(join(tmpdir(), 'qkv-bench-'));
    const stdout = execFileSync('node', [dist, '--quick', '--out', out, '--json', join(out, 'r.json')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(stdout).toMatch(/every result checked against its reference before timing/);
    const json = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8')) as { measurements: { suite: string; system: string; maxAbsDiff?: number }[]; memory: Record<string, { peakRssMb: number; peakHeapMb: number }> };
    const all = ['gemm', 'norm', 'mha', 'encoder', 'gpt-decode', 'rnn-vs-attention', 'tokenizer'];
    expect(new Set(json.measurements.map((m) => m.suite))).toEqual(new Set(all));
    expect(json.measurements.every((m) => m.maxAbsDiff !== undefined)).toBe(true); // every row was checked
    const systems = (suite: string) => new Set(json.measurements.filter((m) => m.suite === suite).map((m) => m.system));
    expect([...systems('mha')]).toEqual(expect.arrayContaining(['qkv-cpu', 'qkv-wasm', 'tfjs-cpu', 'tfjs-wasm', 'onnxruntime-node', 'onnxruntime-web']));
    expect([...systems('encoder')]).toEqual(expect.arrayContaining(['qkv-cpu', 'qkv-wasm', 'tfjs-wasm']));
    expect([...systems('gpt-decode')]).toEqual(expect.arrayContaining(['qkv-wasm KV cache', 'qkv-wasm no cache', 'onnxruntime-node KV cache', 'onnxruntime-web KV cache']));
    expect([...systems('rnn-vs-attention')]).toEqual(expect.arrayContaining(['qkv-cpu GRU', 'qkv-cpu self-attention']));
    for (const suite of all) {
      expect(json.memory[suite]!.peakRssMb).toBeGreaterThan(10); // each suite's own child process
      expect(json.memory[suite]!.peakHeapMb).toBeGreaterThan(1);
      expect(readFileSync(join(out, `${suite}.svg`), 'utf8')).toMatch(/^<svg/);
    }
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toMatch(/## GEMM/);
    expect(summary).toMatch(/\| GRU \| O\(n·d²\) \| O\(n\) \|/); // the course's table
    expect(summary).toMatch(/## Memory per suite/);
  });
});

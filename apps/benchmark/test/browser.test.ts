// `pnpm bench:browser --quick` in headless Chromium: GEMM and attention on cpu, wasm, webgl and
// webgpu (SwiftShader), each checked against cpu by the page before it is timed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const chromium = process.env.QKV_CHROMIUM ?? '/usr/bin/chromium';
const skip = process.env.QKV_SKIP_BROWSER === '1'; // explicit opt-out only: a missing Chromium fails the run below

describe.skipIf(skip)('pnpm bench:browser --quick', () => {
  it('measures every backend the page offers, each checked against cpu, and writes JSON, markdown and SVG', () => {
    expect(existsSync(chromium), `Chromium not found at ${chromium}: install it, set QKV_CHROMIUM, or QKV_SKIP_BROWSER=1`).toBe(true);
    const out = mkdtempSync(join(tmpdir(), 'qkv-bench-browser-'));
    execFileSync('node', [resolve(import.meta.dirname, '../dist/browser-run.js'), '--quick', '--out', out, '--json', join(out, 'b.json')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const json = JSON.parse(readFileSync(join(out, 'b.json'), 'utf8')) as { backends: string[]; measurements: { case: string; system: string; maxAbsDiff: number }[] };
    expect(json.backends).toEqual(expect.arrayContaining(['cpu', 'wasm', 'webgl']));
    const expected = ['cpu', 'wasm', 'webgl', 'webgpu'].filter((b) => json.backends.includes(b)).map((b) => `qkv-${b}`);
    for (const c of ['gemm 64³', 'mha L=16 E=32 H=4']) expect(json.measurements.filter((m) => m.case === c).map((m) => m.system)).toEqual(expected);
    expect(readFileSync(join(out, 'browser.md'), 'utf8')).toMatch(/\| gemm 64³ \| qkv-webgl \|/);
    expect(readFileSync(join(out, 'browser.svg'), 'utf8')).toMatch(/^<svg/);
  });
});

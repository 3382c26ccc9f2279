// `pnpm bench --quick` as CI's smoke test: every suite runs at tiny sizes and checks its answers
// (no timing assertions). Plus the harness's own pieces against hand-computed values.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkClose, median } from '../src/harness.js';
import { fromBase64, startTorchPeer, toBase64, TORCH_INSTALL } from '../src/peers/torch.js';
import { markdownTable } from '../src/report.js';


/** Whether Debian's python3 here can import torch (then the suites must have PyTorch rows). */
function hasTorch(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch, numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

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
    const all = ['gemm', 'norm', 'mha', 'encoder', 'gpt-decode', 'rnn-vs-attention', 'tokenizer', 'finetune', 'pretrained'];
    expect(new Set(json.measurements.map((m) => m.suite))).toEqual(new Set(all));
    expect(json.measurements.every((m) => m.maxAbsDiff !== undefined)).toBe(true); // every row was checked
    const systems = (suite: string) => new Set(json.measurements.filter((m) => m.suite === suite).map((m) => m.system));
    expect([...systems('mha')]).toEqual(expect.arrayContaining(['qkv-cpu', 'qkv-wasm', 'tfjs-cpu', 'tfjs-wasm', 'onnxruntime-node', 'onnxruntime-web']));
    expect([...systems('encoder')]).toEqual(expect.arrayContaining(['qkv-cpu', 'qkv-wasm', 'tfjs-wasm']));
    expect([...systems('gpt-decode')]).toEqual(expect.arrayContaining(['qkv-wasm KV cache', 'qkv-wasm no cache', 'onnxruntime-node KV cache', 'onnxruntime-web KV cache']));
    expect([...systems('finetune')]).toEqual(expect.arrayContaining(['qkv-wasm LoRA r8 c_attn', 'qkv-wasm full']));
    expect([...systems('rnn-vs-attention')]).toEqual(expect.arrayContaining(['qkv-cpu GRU', 'qkv-cpu self-attention']));
    for (const suite of all) {
      expect(json.memory[suite]!.peakRssMb).toBeGreaterThan(10); // each suite's own child process
      expect(json.memory[suite]!.peakHeapMb).toBeGreaterThan(1);
      expect(readFileSync(join(out, `${suite}.svg`), 'utf8')).toMatch(/^<svg/);
    }
    // the PyTorch peer, where torch is installed: both thread counts, checked like the others
    if (hasTorch()) for (const suite of ['gemm', 'mha', 'encoder']) expect([...systems(suite)]).toEqual(expect.arrayContaining(['pytorch', 'pytorch×2']));
    else expect(stdout).toMatch(/torch peer skipped: .* install with `apt-get install python3-torch/);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toMatch(/## GEMM/);
    expect(summary).toMatch(/\| GRU \| O\(n·d²\) \| O\(n\) \|/); // the course's table
    expect(summary).toMatch(/## Memory per suite/);
  });
});

describe('torch peer', () => {
  it('without a python3 that has torch, is skipped with the reason and the install line', async () => {
    const lines: string[] = [];
    const saved = process.env.QKV_PYTHON;
    process.env.QKV_PYTHON = '/bin/false';
    try {
      expect(await startTorchPeer({ quick: true, small: false, threads: 1, backends: [], log: (l) => lines.push(l) })).toBeNull();
    } finally {
      if (saved === undefined) delete process.env.QKV_PYTHON;
      else process.env.QKV_PYTHON = saved;
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^torch peer skipped: \/bin\/false has no working torch/);
    expect(lines[0]).toContain(TORCH_INSTALL);
  });

  it.skipIf(!hasTorch())('passes arrays both ways and answers a GEMM with the hand-computed product', async () => {
    const peer = (await startTorchPeer({ quick: true, small: false, threads: 1, backends: [], log: () => {} }))!;
    try {
      const a = Float32Array.from([1, 2, 3, 4, 5, 6]); // [2, 3]
      const b = Float32Array.from([1, 0, 0, 1, 1, 1]); // [3, 2]
      const r = await peer.call<{ y: string }>({ op: 'gemm', m: 2, k: 3, n: 2, a: toBase64(a), b: toBase64(b), threads: 1 });
      expect(Array.from(fromBase64(r.y))).toEqual([4, 5, 10, 11]);
      expect(r.runs).toBe(2);
      await expect(peer.call({ op: 'gemm', m: 2, k: 2, n: 2, a: toBase64(a), b: toBase64(b), threads: 1 })).rejects.toThrow(/torch peer: gemm: RuntimeError/);
    } finally {
      peer.close();
    }
  }, 60_000);
});

describe('bench.js command line', () => {
  const dist = resolve(import.meta.dirname, '../dist/bench.js');
  const runBench = (...args: string[]) => {
    try {
      return { stdout: execFileSync(process.execPath, [dist, ...args], { encoding: 'utf8', stdio: 'pipe' }), stderr: '', code: 0 };
    } catch (err) {
      const e = err as { stdout: string; stderr: string; status: number };
      return { stdout: e.stdout, stderr: e.stderr, code: e.status };
    }
  };
  it('prints its usage for --help and -h, with exit code 0', () => {
    for (const flag of ['--help', '-h']) {
      const r = runBench(flag);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^usage: node dist\/bench\.js/);
      expect(r.stdout).toMatch(/--suite <name>/);
    }
  });
  it('refuses an unknown flag with one line and the usage (exit 2), not ERR_PARSE_ARGS_UNKNOWN_OPTION with a stack', () => {
    const r = runBench('--frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bench: Unknown option '--frobnicate'/);
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
  });
});

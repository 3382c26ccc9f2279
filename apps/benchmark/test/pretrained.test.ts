// `pnpm bench --quick --suite pretrained` (a tiny GPT-2 in Hub layout) as a smoke test: the folder it
// writes is the Hub's layout, each configuration's checks ran (ONNX Runtime's logits and tokens equal
// qkv's, the load → save round trip is bit-identical), and the pieces the suite relies on.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Measurement } from '../src/harness.js';
import { checkGreedy, pretrainedTable } from '../src/suites/pretrained.js';
import type { PretrainedMeasurement } from '../src/suites/pretrained.js';

const scratch = mkdtempSync(join(tmpdir(), 'qkv-bench-pretrained-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('pnpm bench --quick --suite pretrained', () => {
  it('writes a Hub folder, checks ONNX Runtime against qkv and reports every configuration', () => {
    const dist = resolve(import.meta.dirname, '../dist/bench.js');
    expect(existsSync(dist), 'run `pnpm build` first (turbo does before test)').toBe(true);
    const cache = join(scratch, 'cache'); // empty: the suite must make the folder with savePretrained
    const stdout = execFileSync(process.execPath, [dist, '--quick', '--suite', 'pretrained', '--threads', '2', '--out', join(scratch, 'out'), '--json', join(scratch, 'r.json')], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, QKV_BENCH_CACHE: cache },
    });
    expect(stdout).toMatch(/pretrained: wrote .*gpt2-2x16-h2-v97-p64-seed1/);

    // the Hub layout, read by hand: GPT-2's config fields and Conv1D weights stored [in, out]
    const dir = join(cache, 'gpt2-2x16-h2-v97-p64-seed1');
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], n_layer: 2, n_embd: 16, n_head: 2, vocab_size: 97, n_positions: 64, activation_function: 'gelu_new' });
    const file = readFileSync(join(dir, 'model.safetensors'));
    const headerLength = Number(file.readBigUInt64LE(0));
    const header = JSON.parse(file.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; shape: number[] }>;
    expect(header['transformer.h.0.attn.c_attn.weight']).toMatchObject({ dtype: 'F32', shape: [16, 48] });
    expect(header['transformer.h.1.mlp.c_fc.weight']).toMatchObject({ dtype: 'F32', shape: [16, 64] });
    expect(header['transformer.wte.weight']).toMatchObject({ dtype: 'F32', shape: [97, 16] });

    const json = JSON.parse(readFileSync(join(scratch, 'r.json'), 'utf8')) as { measurements: PretrainedMeasurement[] };
    const rows = json.measurements.filter((m) => m.suite === 'pretrained');
    const systems = (prefix: string) => rows.filter((m) => m.case.startsWith(prefix)).map((m) => m.system);
    const all = ['qkv-wasm', 'qkv-wasm×2', 'onnxruntime-node', 'onnxruntime-web'];
    expect(systems('load')).toEqual(all);
    expect(systems('forward')).toEqual(all);
    expect(systems('greedy')).toEqual(all);
    expect(systems('export')).toEqual(['qkv exportOnnx', 'qkv exportOnnx kvCache']);
    for (const m of rows.filter((r) => r.case.startsWith('export'))) expect(m.rssAfterExportMb, m.system).toBeGreaterThanOrEqual(m.rssAfterLoadMb!);
    for (const m of rows.filter((r) => r.case.startsWith('forward'))) {
      expect(m.maxAbsDiff, m.system).toBeLessThanOrEqual(1e-3); // against qkv-cpu (qkv-wasm) or qkv-wasm (the others)
      expect(m.maxAbsDiff, m.system).toBeGreaterThanOrEqual(0);
    }
    for (const m of rows.filter((r) => !r.case.startsWith('export'))) expect(m.peakRssMb, m.system).toBeGreaterThan(20); // each configuration's own process
    expect(stdout).toMatch(/\| onnxruntime-web \| [\d.]+ \| [\d.]+ \| [\d.]+× \|/);
  });
});

describe('checkGreedy', () => {
  // prompt 2 tokens, 2 generated, V = 3: rows 1 and 2 predict the generated tokens
  const logits = Float32Array.of(9, 9, 9, /* row 1 */ 0.1, 0.7, 0.2, /* row 2 */ 0.5, 0.1, 0.4, /* row 3 */ 9, 9, 9);
  it('accepts the argmax of each row and returns the largest shortfall (0 here)', () => {
    expect(checkGreedy('gpt', Int32Array.of(1, 0), logits, 2, 3)).toBe(0);
  });
  it('refuses a token that is not its row\'s argmax, naming it', () => {
    expect(() => checkGreedy('gpt', Int32Array.of(1, 2), logits, 2, 3)).toThrow(/gpt: generated token 1 \(2\) has logit 0\.4.* below the row's maximum 0\.5/);
  });
});

describe('pretrainedTable', () => {
  const m = (c: string, system: string, ms: number, extra: Partial<PretrainedMeasurement> = {}): PretrainedMeasurement => ({ suite: 'pretrained', case: c, system, medianMs: ms, minMs: ms, maxMs: ms, runs: 1, ...extra });
  it('gives each system its load, forward and tokens/s with time ratios to qkv-wasm', () => {
    const rows: Measurement[] = [
      m('export to ONNX', 'qkv exportOnnx', 3000, { rssAfterLoadMb: 560, rssAfterExportMb: 2010 }),
      m('load, x', 'qkv-wasm', 2000, { rssAfterLoadMb: 900, peakRssMb: 1300 }),
      m('forward, x', 'qkv-wasm', 1000),
      m('greedy 32, x', 'qkv-wasm', 8000, { work: { amount: 32, unit: 'tokens/s' } }),
      m('load, x', 'onnxruntime-node', 500, { peakRssMb: 1500 }),
      m('forward, x', 'onnxruntime-node', 250),
      m('greedy 32, x', 'onnxruntime-node', 2000, { work: { amount: 32, unit: 'tokens/s' } }),
    ];
    const lines = pretrainedTable(rows).split('\n');
    expect(lines[2]).toBe('| qkv-wasm | 2.00 | 1000 | 1.00× | 4.0 | 1.00× | 900 | 1300 |');
    expect(lines[3]).toBe('| onnxruntime-node | 0.50 | 250 | 0.25× | 16.0 | 0.25× | - | 1500 |'); // 32 tokens in 2 s
    expect(lines.at(-1)).toMatch(/^Export: qkv exportOnnx 3\.0 s, peak RSS 560 MB after loading on qkv-cpu, 2010 MB after both exports\./);
  });
});

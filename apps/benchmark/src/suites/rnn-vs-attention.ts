// The course's comparison of a recurrent layer and a self-attention layer at n = 512, d = 512:
// a GRU walks the sequence in n dependent steps, self-attention in one; both forward and
// forward+backward on each backend, with the course's complexity table.
import { MultiheadAttention } from '@qkv/attention';
import { GRU } from '@qkv/nn';
import type { Module } from '@qkv/nn';
import { manualSeed, noGrad, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { checkClose, randomArray, scaledTol, time } from '../harness.js';
import type { BenchContext, Measurement } from '../harness.js';
import { markdownTable } from '../report.js';
import { clearGrads, gradValues, qkvName, useQkv } from '../qkv.js';

/** The two layers, with what the course's table says about them (Vaswani et al. 2017, table 1). */
export const LAYERS = {
  GRU: { complexity: 'O(n·d²)', sequential: 'O(n)', pathLength: 'O(n)' },
  'self-attention': { complexity: 'O(n²·d)', sequential: 'O(1)', pathLength: 'O(1)' },
} as const;
type LayerName = keyof typeof LAYERS;
type Pass = 'forward' | 'forward+backward';

/** x [n, 1, d] → y [n, 1, d] through a freshly seeded layer on the active backend. */
function layerFn(name: LayerName, d: number): { module: Module; apply: (x: Tensor) => Tensor } {
  manualSeed(13);
  if (name === 'GRU') {
    const gru = new GRU(d, d);
    return { module: gru, apply: (x) => gru.forward(x)[0] };
  }
  const mha = new MultiheadAttention(d, d >= 64 ? 8 : 4);
  return { module: mha, apply: (x) => mha.forward(x, x, x, { needWeights: false })[0] };
}

/** One pass; forward returns y, forward+backward returns dx for upstream gradient g. */
function runner(name: LayerName, pass: Pass, n: number, d: number, x: Float32Array, g: Float32Array) {
  const { module, apply } = layerFn(name, d);
  const xt = tensor(x, { shape: [n, 1, d], requiresGrad: pass === 'forward+backward' });
  const gt = tensor(g, { shape: [n, 1, d] });
  const go = (): Float32Array => {
    if (pass === 'forward') return tidy(() => noGrad(() => apply(xt).dataSync() as Float32Array));
    tidy(() => apply(xt).backward(gt));
    const dx = gradValues(xt, `rnn-vs-attention ${name} dx`);
    clearGrads([xt, ...module.parameters()]);
    return dx;
  };
  return { go, dispose: () => [xt, gt].forEach((t) => t.dispose()) };
}

/** GRU and self-attention, forward and forward+backward, n = 512, d = 512 (quick: 16, 16). */
export async function rnnVsAttentionSuite(ctx: BenchContext): Promise<Measurement[]> {
  const [n, d] = ctx.quick ? [16, 16] : [512, 512];
  const x = randomArray(n * d, 31);
  const g = randomArray(n * d, 32);
  const out: Measurement[] = [];
  for (const pass of ['forward', 'forward+backward'] as const) {
    for (const name of Object.keys(LAYERS) as LayerName[]) {
      await useQkv('cpu', 1);
      const ref = runner(name, pass, n, d, x, g);
      const expected = ref.go();
      ref.dispose();
      for (const backend of ctx.backends) {
        for (const threads of backend === 'wasm' ? [...new Set([1, ctx.threads])] : [1]) {
          await useQkv(backend, threads);
          const system = `${qkvName(backend, threads)} ${name}`;
          const r = runner(name, pass, n, d, x, g);
          const diff = checkClose(`rnn-vs-attention ${pass} ${system}`, r.go(), expected, scaledTol(expected, 1e-4));
          out.push({ suite: 'rnn-vs-attention', case: `${pass} n=${n} d=${d}`, system, ...(await time(r.go, ctx.quick, { minRuns: 3 })), maxAbsDiff: diff });
          r.dispose();
        }
      }
    }
  }
  return out;
}

/** The course's table: per layer, its complexity, sequential operations and path length, then the measured ms per backend and pass. */
export function courseTable(ms: Measurement[]): string {
  const rows = (Object.keys(LAYERS) as LayerName[]).map((name) => {
    const row: Record<string, string> = { layer: name, 'complexity per layer': LAYERS[name].complexity, 'sequential operations': LAYERS[name].sequential, 'max path length': LAYERS[name].pathLength };
    for (const m of ms.filter((m) => m.system.endsWith(` ${name}`))) {
      row[`${m.system.slice(0, -name.length - 1)} ${m.case.split(' ')[0]} ms`] = m.medianMs.toFixed(m.medianMs >= 100 ? 0 : 1);
    }
    return row;
  });
  return `${markdownTable(rows)}\n\nA GRU needs n dependent steps (each waits for the previous hidden state); self-attention computes every position at once, at the price of an n×n score matrix.`;
}

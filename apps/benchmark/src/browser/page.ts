// The browser benchmark page: GEMM and multi-head self-attention on every qkv backend the browser
// offers (cpu, wasm in-browser, webgl and webgpu from @qkv/gpu-kernels), each checked against cpu
// before it is timed. Leaves `qkvBrowserBench(options)` and `qkvReady` on globalThis.
import '@qkv/wasm-kernels';
import '@qkv/gpu-kernels';
import { MultiheadAttention } from '@qkv/attention';
import { listBackends, manualSeed, noGrad, setBackend, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { browserWorkloads, compareToReference } from './workloads.js';
import type { BrowserBenchOptions, BrowserRow, Workload } from './workloads.js';

/** Builds the computation of a workload on the active backend; returns it and a disposer. */
function instantiate(w: Workload): { fn: () => Tensor; dispose: () => void } {
  const inputs = w.inputs.map((s) => tensor(s.data, { shape: s.shape }));
  if (w.op === 'gemm') return { fn: () => inputs[0]!.matmul(inputs[1]!), dispose: () => inputs.forEach((t) => t.dispose()) };
  manualSeed(5); // the same weights on every backend
  const mha = new MultiheadAttention(w.embedDim!, w.heads!, { batchFirst: true });
  const x = inputs[0]!;
  return { fn: () => mha.forward(x, x, x, { needWeights: false })[0], dispose: () => inputs.forEach((t) => t.dispose()) };
}

/** Median and extremes of `runs` timed runs after one untimed (kernel compilation), each with `await data()`. */
async function timeOne(fn: () => Tensor, runs: number): Promise<{ out: Float32Array; times: number[] }> {
  const times: number[] = [];
  let out: Float32Array = new Float32Array();
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    const y = tidy(() => noGrad(fn));
    out = (await y.data()) as Float32Array;
    y.dispose();
    if (r > 0) times.push(performance.now() - t0);
  }
  return { out, times };
}

/** Runs every workload on every requested backend this browser has; throws if one computes a wrong answer. */
async function qkvBrowserBench(options: BrowserBenchOptions = {}): Promise<BrowserRow[]> {
  const { runs = 3, backends = ['cpu', 'wasm', 'webgl', 'webgpu'] } = options;
  const available = listBackends();
  const rows: BrowserRow[] = [];
  for (const w of browserWorkloads(options)) {
    let reference: Float32Array | null = null;
    for (const backend of ['cpu', ...backends.filter((b) => b !== 'cpu' && available.includes(b))]) {
      await setBackend(backend);
      const { fn, dispose } = instantiate(w);
      const { out, times } = await timeOne(fn, runs);
      dispose();
      reference ??= out; // cpu, the reference, runs first
      const maxAbsDiff = compareToReference(`${w.op} ${w.shape} on ${backend}`, out, reference, w.tolerance);
      if (backend === 'cpu' && !backends.includes('cpu')) continue;
      rows.push({ op: w.op, shape: w.shape, backend, times, maxAbsDiff, flops: w.flops });
    }
  }
  await setBackend('cpu');
  return rows;
}

Object.assign(globalThis, { qkvBrowserBench, qkvBackends: () => listBackends(), qkvReady: true });

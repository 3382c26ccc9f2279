// The benchmark page: GEMM and attention per backend (cpu, webgl, webgpu), median wall time of a
// few runs including `await data()` readback, and the largest |difference| from cpu. Usable by
// apps/benchmark: it leaves `qkvBench(options)` on globalThis.
import { time } from '@qkv/bench-harness';
import { listBackends, randn, setBackend, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import '../src/index.js';

/** One measured row. */
export interface BenchRow {
  op: string;
  shape: string;
  backend: string;
  medianMs: number;
  maxAbsDiff: number;
}

type Workload = { op: string; shape: string; inputs: number[][]; fn: (...xs: Tensor[]) => Tensor };

/** GEMM [n,n]·[n,n] and attention softmax(q·kᵀ/√D)·v over [B·H, T, D]. */
function workloads(gemmSizes: number[], attention: [number, number, number][]): Workload[] {
  return [
    ...gemmSizes.map((n) => ({ op: 'gemm', shape: `${n}×${n}·${n}×${n}`, inputs: [[n, n], [n, n]], fn: (a: Tensor, b: Tensor) => a.matmul(b) })),
    ...attention.map(([bh, t, d]) => ({
      op: 'attention',
      shape: `BH=${bh} T=${t} D=${d}`,
      inputs: [[bh, t, d], [bh, t, d], [bh, t, d]],
      fn: (q: Tensor, k: Tensor, v: Tensor) => q.matmul(k.transpose(-2, -1)).mul(1 / Math.sqrt(d)).softmax(-1).matmul(v), // [BH,T,D]·[BH,D,T] → [BH,T,T] → [BH,T,D]
    })),
  ];
}

async function timeOne(w: Workload, values: Float32Array[], runs: number): Promise<{ ms: number; out: Float32Array }> {
  const xs = values.map((v, i) => tensor(v, { shape: w.inputs[i]! }));
  let out: Float32Array = new Float32Array();
  const run = async () => {
    const y = tidy(() => w.fn(...xs));
    out = (await y.data()) as Float32Array;
    y.dispose();
  };
  // the warm-up run compiles the kernels; then exactly `runs` timed runs
  const { medianMs } = await time(run, { warmup: 1, minRuns: runs, maxRuns: runs, minMs: 0 });
  for (const x of xs) x.dispose();
  return { ms: medianMs, out };
}

/** Runs every workload on every available backend of `backends`. */
async function qkvBench(options: { gemm?: number[]; attention?: [number, number, number][]; runs?: number; backends?: string[] } = {}): Promise<BenchRow[]> {
  const { gemm = [128, 256, 512], attention = [[8, 128, 64], [8, 256, 64]], runs = 3, backends = ['cpu', 'webgl', 'webgpu'] } = options;
  const rows: BenchRow[] = [];
  const available = listBackends();
  for (const w of workloads(gemm, attention)) {
    await setBackend('cpu');
    const values = w.inputs.map((s) => tidy(() => randn(s)).dataSync() as Float32Array);
    let reference: Float32Array | null = null;
    for (const backend of backends.filter((b) => available.includes(b))) {
      await setBackend(backend);
      const { ms, out } = await timeOne(w, values, runs);
      reference ??= out;
      let maxAbsDiff = 0;
      for (let i = 0; i < out.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(out[i]! - reference[i]!));
      rows.push({ op: w.op, shape: w.shape, backend, medianMs: ms, maxAbsDiff });
    }
  }
  await setBackend('cpu');
  return rows;
}

Object.assign(globalThis, { qkvBench, qkvReady: true });

// What the browser page measures, shared by the page and the Node runner (no DOM, no Node APIs).
import { randomArray } from '../random.js';

/** Options of `qkvBrowserBench`. */
export interface BrowserBenchOptions {
  /** Square GEMM sizes n (n×n·n×n); default [128, 256, 512]. */
  gemm?: number[];
  /** Self-attention lengths L at E = 512, H = 8, B = 1; default [128, 512]. */
  mha?: number[];
  /** Embed dim and heads of the attention workloads; default [512, 8]. */
  mhaDims?: [number, number];
  /** Timed runs after the first; default 3. */
  runs?: number;
  /** Backends to measure (cpu always runs first, as the reference); default cpu, wasm, webgl, webgpu. */
  backends?: string[];
}

/** One measured row from the page. */
export interface BrowserRow {
  op: 'gemm' | 'mha';
  shape: string;
  backend: string;
  /** Wall times of the timed runs, ms, each including `await data()`. */
  times: number[];
  maxAbsDiff: number;
  flops: number;
}

/** A computation with its seeded inputs. */
export interface Workload {
  op: 'gemm' | 'mha';
  shape: string;
  inputs: { shape: number[]; data: Float32Array }[];
  embedDim?: number;
  heads?: number;
  flops: number;
  /** Largest |difference| from cpu accepted. */
  tolerance: number;
}

/** The workloads of a run: GEMMs, then multi-head self-attention forward passes. */
export function browserWorkloads(options: BrowserBenchOptions): Workload[] {
  const { gemm = [128, 256, 512], mha = [128, 512], mhaDims = [512, 8] } = options;
  const [E, H] = mhaDims;
  return [
    ...gemm.map((n) => ({ op: 'gemm' as const, shape: `${n}³`, inputs: [{ shape: [n, n], data: randomArray(n * n, 1) }, { shape: [n, n], data: randomArray(n * n, 2) }], flops: 2 * n ** 3, tolerance: 1e-4 * n })),
    ...mha.map((L) => ({ op: 'mha' as const, shape: `L=${L} E=${E} H=${H}`, inputs: [{ shape: [1, L, E], data: randomArray(L * E, 11) }], embedDim: E, heads: H, flops: 8 * L * E * E + 4 * L * L * E, tolerance: 1e-3 })),
  ];
}

/** Max |got − reference|; throws, naming the case, when it is above `tolerance` or a value is not finite. */
export function compareToReference(what: string, got: ArrayLike<number>, reference: ArrayLike<number>, tolerance: number): number {
  if (got.length !== reference.length) throw new Error(`${what}: ${got.length} values, cpu gave ${reference.length}`);
  let max = 0;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i]! - reference[i]!);
    if (!Number.isFinite(d)) throw new Error(`${what}: value ${i} is ${got[i]}, cpu gave ${reference[i]}`);
    max = Math.max(max, d);
  }
  if (max > tolerance) throw new Error(`${what}: computes the wrong answer (max |diff| from cpu ${max.toExponential(2)} > ${tolerance})`);
  return max;
}

// GEMM GFLOPS of every engine at the sizes, each result checked on sampled entries first.
import type { QkvEngine } from './engines.js';
import { qkvGemm, tfjsGemm, useTfjs } from './engines.js';
import { median, medianRatio, timeInTurnsSync, timeSync } from '@qkv/bench-harness';

/** The benchmark's GEMM sizes [M, K, N]. */
export const gemmSizes: [number, number, number][] = [[128, 128, 128], [512, 512, 512], [1024, 1024, 1024], [128, 512, 2048]];

function randomFloats(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
}

/** Throws unless 97 sampled entries of C equal float64 dot products of A's rows and B's columns. */
function checkSampled(label: string, c: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number): void {
  for (let s = 0; s < 97; s++) {
    const i = (s * 7919) % m;
    const j = (s * 104729) % n;
    let ref = 0;
    for (let p = 0; p < k; p++) ref += a[i * k + p]! * b[p * n + j]!;
    if (Math.abs(c[i * n + j]! - ref) > 1e-3 * Math.sqrt(k)) throw new Error(`${label}: C[${i},${j}] = ${c[i * n + j]}, expected ${ref}`);
  }
}

interface Runner {
  run(): Float32Array;
  time(): void;
  dispose(): void;
}

function measure(label: string, make: () => Runner, a: Float32Array, b: Float32Array, [m, k, n]: [number, number, number]): number {
  const r = make();
  checkSampled(label, r.run(), a, b, m, k, n);
  const ms = timeSync(r.time, { warmup: 2, minRuns: 3, maxRuns: 40, minMs: 2500 }).medianMs;
  r.dispose();
  return (2 * m * k * n) / ms / 1e6;
}

/**
 * Median GFLOPS of several engines timed in turns (one call of each per round), so that a slow
 * spell of this shared machine hits every engine alike instead of whichever ran during it.
 */
function measureInTurns(runners: [label: string, runner: Runner][], a: Float32Array, b: Float32Array, [m, k, n]: [number, number, number], budgetMs = 4000): Record<string, number> {
  for (const [label, r] of runners) checkSampled(label, r.run(), a, b, m, k, n);
  const times = timeInTurnsSync(runners.map(([, r]) => ({ run: r.time })), { warmup: 2, minRuns: 5, maxRuns: 200, minMs: budgetMs });
  const out: Record<string, number> = {};
  const [peer, last] = [runners[runners.length - 1]![0], times[times.length - 1]!]; // the peer the ratios are taken against
  runners.forEach(([label, r], i) => {
    // the ratio within each round, then its median: a slow spell cancels out of a pair
    if (i < runners.length - 1) out[`${label} ÷ ${peer}`] = medianRatio(last, times[i]!);
    out[label] = (2 * m * k * n) / median(times[i]!) / 1e6;
    r.dispose();
  });
  return out;
}

/** GFLOPS rows: one per size, one column per engine; qkv and tfjs-wasm are timed in turns. */
export async function gemmTable(engines: QkvEngine[]): Promise<{ size: string; gflops: Record<string, number> }[]> {
  const rows = [];
  for (const size of gemmSizes) {
    const [m, k, n] = size;
    const a = randomFloats(m * k, 1);
    const b = randomFloats(k * n, 2);
    await useTfjs('wasm');
    const runners: [string, Runner][] = [...engines.map((e): [string, Runner] => [e.label, qkvGemm(e, a, b, m, k, n)]), ['tfjs-wasm 1T', tfjsGemm(a, b, m, k, n)]];
    const gflops = measureInTurns(runners, a, b, size);
    await useTfjs('cpu');
    gflops['tfjs-cpu'] = measure('tfjs-cpu', () => tfjsGemm(a, b, m, k, n), a, b, size);
    rows.push({ size: `${m}×${k}×${n}`, gflops });
  }
  return rows;
}

// Timing, correctness checks and result rows shared by every suite.
export { randomArray } from './random.js';

/** One measured case: a system (qkv backend or peer) on one size. */
export interface Measurement {
  suite: string;
  case: string;
  system: string;
  /** Median, min and max wall time of the warm runs, ms. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
  /** Work per run for a throughput figure: FLOPs, tokens or bytes. */
  work?: { amount: number; unit: 'GFLOPS' | 'tokens/s' | 'MB/s' };
  /** Largest |difference| from the reference computed before timing. */
  maxAbsDiff?: number;
}

/** Settings every suite receives. */
export interface BenchContext {
  quick: boolean;
  threads: number;
  backends: string[];
  log: (line: string) => void;
}

/** Median of a list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Times `fn` after `warmup` calls: at least `minRuns` runs and until `minMs` has passed (quick mode:
 * 2 runs). `fn` may be async; its result is awaited each time.
 */
export async function time(fn: () => unknown, quick: boolean, options: { minRuns?: number; minMs?: number; warmup?: number } = {}): Promise<{ medianMs: number; minMs: number; maxMs: number; runs: number }> {
  const { minRuns = 5, minMs = 1500, warmup = 1 } = options;
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const start = performance.now();
  const runs = quick ? 2 : minRuns;
  while (times.length < runs || (!quick && performance.now() - start < minMs)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
    notePeakMemory();
    if (times.length >= 200) break;
  }
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), runs: times.length };
}

/** Max |a − b|; throws (loudly failing the benchmark) if above `tol` or if a value is not finite. */
export function checkClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): number {
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} values, expected ${expected.length}`);
  let max = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    if (!Number.isFinite(actual[i]!) && actual[i] !== expected[i]) throw new Error(`${what}: value ${i} is ${actual[i]}, expected ${expected[i]}`);
    if (d > max) max = d;
  }
  if (!(max <= tol)) throw new Error(`${what}: computes the wrong answer (max |diff| ${max.toExponential(2)} > ${tol})`);
  return max;
}

/** Throughput of a measurement in its unit. */
export function throughput(m: Measurement): number | undefined {
  if (!m.work) return undefined;
  const perSecond = m.work.amount / (m.medianMs / 1000);
  return m.work.unit === 'GFLOPS' ? perSecond / 1e9 : m.work.unit === 'MB/s' ? perSecond / 1e6 : perSecond;
}

/** Peak resident memory seen so far, MB (the OS's high-water mark of this process). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

let peakHeap = 0;
let peakExternal = 0;

/**
 * Samples the JS heap and external memory (ArrayBuffers, WebAssembly memories) and keeps the
 * highest values seen; `time` calls it after every run, suites may call it after big allocations.
 */
export function notePeakMemory(): void {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakExternal = Math.max(peakExternal, m.external); // includes ArrayBuffers and WebAssembly memories
}

/** Memory of a suite run: peak RSS, and the peaks of heap and external memory sampled after each timed run, MB. */
export interface MemoryPeak {
  peakRssMb: number;
  peakHeapMb: number;
  peakExternalMb: number;
}

/** The peaks so far in this process. */
export function memoryPeak(): MemoryPeak {
  notePeakMemory();
  return { peakRssMb: peakRssMb(), peakHeapMb: peakHeap / 2 ** 20, peakExternalMb: peakExternal / 2 ** 20 };
}

/** Largest |x| of a list (0 for an empty one). */
export function maxAbs(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, Math.abs(xs[i]!));
  return m;
}

/** A tolerance relative to the reference's scale: `rtol · max(1, max|ref|)`, for sums that grow with size. */
export function scaledTol(reference: ArrayLike<number>, rtol: number): number {
  return rtol * Math.max(1, maxAbs(reference));
}

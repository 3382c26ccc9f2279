// What every suite shares: the repo's one benchmark harness (@qkv/bench-harness: timing, medians,
// checks, tables) with this app's quick mode, measurement rows and memory peaks on top.
import { maxAbs, time as timeRuns } from '@qkv/bench-harness';
import type { Timing } from '@qkv/bench-harness';
export { checkClose, maxAbs, median } from '@qkv/bench-harness';
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
  /** `--small`: only the smaller real sizes (gemm 128³ and 512³, mha L = 128), for a before/after run of about two minutes. */
  small: boolean;
  threads: number;
  backends: string[];
  log: (line: string) => void;
  /** Internal (`--part`): a suite that runs its configurations in child processes of their own (pretrained) gets the one to run here. */
  part?: string;
}

/**
 * Times `fn` after `warmup` calls: at least `minRuns` runs and until `minMs` has passed, at most 200
 * (quick mode: 2 runs). `fn` may be async; its result is awaited each time. Samples memory after each run.
 */
export function time(fn: () => unknown, quick: boolean, options: { minRuns?: number; minMs?: number; warmup?: number } = {}): Promise<Timing> {
  const { minRuns = 5, minMs = 1500, warmup = 1 } = options;
  return timeRuns(fn, { warmup, minRuns: quick ? 2 : Math.min(minRuns, 200), maxRuns: quick ? 2 : 200, minMs: quick ? 0 : minMs, onRun: notePeakMemory });
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

/** A tolerance relative to the reference's scale: `rtol · max(1, max|ref|)`, for sums that grow with size. */
export function scaledTol(reference: ArrayLike<number>, rtol: number): number {
  return rtol * Math.max(1, maxAbs(reference));
}

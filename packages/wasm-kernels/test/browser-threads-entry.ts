// Bundled by test/browser-threads.test.ts for headless Chromium: GEMMs on the wasm worker pool,
// in a page or in a dedicated Web Worker (whose pool workers are then nested workers).
import { batchMatMul, findBackendAsync, Generator, randn, setBackend } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose } from '@qkv/tensor-core/testing';
import { getThreads, setThreads, wasmFeatures } from '../src/index.js';
import type { WasmBackend } from '../src/index.js';
import { ThreadPool } from '../src/runtime/threads.js';
import { conformanceOnWasm } from './browser-entry.js';

/** What one run saw; the test asserts on it (a page cannot throw into Node usefully). */
export interface ThreadReport {
  /** `self.crossOriginIsolated` where the run happened. */
  isolated: boolean;
  /** 'window' or 'worker'. */
  scope: string;
  sharedMemory: boolean;
  /** getThreads() after setThreads(2) (or after its rejection). */
  threads: number;
  /** setThreads(2)'s rejection message, or null when it resolved. */
  setThreadsError: string | null;
  /** GEMMs that were split across the pool (ThreadPool.dispatch calls of a GEMM export). */
  poolRuns: number;
  /** Whether the pool's calling thread slept in Atomics.wait (false: it spun), or null without runs. */
  callerBlocked: boolean | null;
  /** Whether the shared memory grew after the workers started (they must see the new pages). */
  memoryGrew: boolean;
  /** One line per GEMM case, with its multiply-adds. */
  cases: string[];
  /** Messages of failed comparisons (with cpu, and with one thread). */
  failures: string[];
}

let poolRuns = 0;
let callerBlocked: boolean | null = null;
const dispatch = ThreadPool.prototype.dispatch;
ThreadPool.prototype.dispatch = function (this: ThreadPool, ...args: Parameters<ThreadPool['dispatch']>): void {
  if (args[0].startsWith('gemm')) poolRuns++;
  callerBlocked = (this as unknown as { canBlock: boolean }).canBlock;
  dispatch.apply(this, args);
};

/** Bytes of the wasm backend's memory now. */
async function memoryBytes(): Promise<number> {
  return ((await findBackendAsync('wasm')) as WasmBackend).heap.memory.buffer.byteLength;
}

/** [Ba, M, K]·[Bb, K, N] (shapes of op(A), op(B)), each with ≥ 2¹⁸ multiply-adds so the pool splits it. */
const gemms: { a: number[]; b: number[]; transposeA?: boolean; transposeB?: boolean }[] = [
  { a: [1, 256, 256], b: [1, 256, 256] },
  { a: [1, 257, 63], b: [1, 63, 65] }, // odd sizes: a ragged last strip and panel
  { a: [3, 130, 257], b: [1, 257, 67] }, // shared B: the batch folds into the rows
  { a: [2, 65, 129], b: [2, 33, 65], transposeA: true, transposeB: true }, // M = 129, K = 65, N = 33
];

function operands(g: (typeof gemms)[number], seed: number): [Tensor, Tensor] {
  const gen = new Generator(seed);
  return [randn(g.a, { generator: gen }), randn(g.b, { generator: gen })];
}

async function products(backend: string): Promise<Float32Array[]> {
  await setBackend(backend);
  return Promise.all(gemms.map(async (g, i) => {
    const [a, b] = operands(g, 100 + i);
    const y = batchMatMul(a, b, g.transposeA, g.transposeB);
    const values = (await y.data()) as Float32Array;
    [a, b, y].forEach((t) => t.dispose());
    return values;
  }));
}

/** Runs every GEMM on cpu, on wasm with setThreads(2) (if it resolves), and on wasm with one thread. */
export async function runThreadChecks(): Promise<ThreadReport> {
  const scope = typeof (globalThis as { document?: unknown }).document === 'undefined' ? 'worker' : 'window';
  const failures: string[] = [];
  const reference = await products('cpu');
  await setBackend('wasm');
  let setThreadsError: string | null = null;
  await setThreads(2).catch((err: unknown) => (setThreadsError = `${(err as Error).name}: ${(err as Error).message}`));
  const threads = await getThreads();
  const before = poolRuns;
  const bytesAtStart = await memoryBytes();
  const pooled = await products('wasm');
  const runs = poolRuns - before;
  const memoryGrew = (await memoryBytes()) > bytesAtStart;
  await setBackend('wasm');
  await setThreads(1);
  const single = await products('wasm');
  const cases = gemms.map((g, i) => {
    const [, m, k] = g.transposeA ? [g.a[0], g.a[2], g.a[1]] : g.a;
    const n = g.transposeB ? g.b[1] : g.b[2];
    const name = `[${g.a}]${g.transposeA ? 'ᵀ' : ''}·[${g.b}]${g.transposeB ? 'ᵀ' : ''}`;
    try {
      expectClose(Array.from(pooled[i]!), Array.from(reference[i]!), { atol: 1e-4, rtol: 1e-4 });
    } catch (err) {
      failures.push(`${name} on ${threads} threads vs cpu: ${(err as Error).message}`);
    }
    // each thread owns whole rows, so the pool changes no rounding
    if (!pooled[i]!.every((v, j) => Object.is(v, single[i]![j]))) failures.push(`${name}: ${threads} threads differ from 1 thread`);
    return `${name}: ${Math.max(g.a[0]!, g.b[0]!) * m! * k! * n!} MACs`;
  });
  const { sharedMemory } = await wasmFeatures();
  return { isolated: globalThis.crossOriginIsolated === true, scope, sharedMemory, threads, setThreadsError, poolRuns: runs, callerBlocked, memoryGrew, cases, failures };
}

/** The conformance suite on wasm with `threads` threads (shared memory when the page is isolated). */
export async function runConformance(threads: number): Promise<{ passed: number; failures: string[] }> {
  await setBackend('wasm');
  await setThreads(threads);
  const result = await conformanceOnWasm();
  await setThreads(1);
  return result;
}

Object.assign(globalThis, { runThreadChecks, runConformance });
// Loaded as a dedicated worker's script: run on the first message and post the report back.
if (typeof (globalThis as { document?: unknown }).document === 'undefined' && typeof postMessage === 'function') {
  onmessage = () => {
    runThreadChecks().then(
      (report) => postMessage(report),
      (err: unknown) => postMessage({ error: String((err as Error).stack ?? err) }),
    );
  };
}

// Threads for the `wasm` backend: how many, and starting/stopping the worker pool.
import { BackendError, findBackendAsync } from '@qkv/tensor-core';
import type { WasmBackend } from './backend.js';
import { ThreadPool } from './runtime/threads.js';

/**
 * Runs the `wasm` GEMMs and fused attention on `n` threads (the calling one included) over the shared heap.
 * `n = 1` stops the workers. Resolves once the workers are ready. Needs shared memory: always in
 * Node; in browsers only when the page is cross-origin isolated (COOP + COEP headers), in the page
 * or in a dedicated worker of it (the pool's workers are then nested); otherwise it rejects and the
 * backend keeps one thread, as it does when a worker fails to start.
 * @param n threads, 1 ≤ n ≤ 64 (a useful value: the number of physical cores)
 * @example await setThreads(2) // Node: also read from QKV_WASM_THREADS at backend start-up
 */
export async function setThreads(n: number): Promise<void> {
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new BackendError(`setThreads: expected an integer in [1, 64], got ${n}`);
  const wb = (await findBackendAsync('wasm')) as WasmBackend;
  if (wb.pool?.size === n || (n === 1 && !wb.pool)) return;
  wb.pool?.terminate();
  wb.pool = null;
  if (n === 1) return;
  if (!wb.choice.shared) {
    throw new BackendError('setThreads: threads need a shared WebAssembly.Memory, which this environment lacks (browsers: serve the page cross-origin isolated, with COOP: same-origin and COEP: require-corp)');
  }
  wb.pool = await ThreadPool.create(n - 1, wb.choice.bytes, wb.heap.memory);
}

/** Threads the `wasm` backend uses now (1 before the backend is initialised). */
export async function getThreads(): Promise<number> {
  const wb = (await findBackendAsync('wasm')) as WasmBackend;
  return wb.pool?.size ?? 1;
}

/**
 * The module build in use: relaxed SIMD (fused multiply-add) and shared memory (threads possible).
 * @example await wasmFeatures() // { relaxedSimd: true, sharedMemory: true, threads: 1 }
 */
export async function wasmFeatures(): Promise<{ relaxedSimd: boolean; sharedMemory: boolean; threads: number }> {
  const wb = (await findBackendAsync('wasm')) as WasmBackend;
  return { relaxedSimd: wb.choice.relaxed, sharedMemory: wb.choice.shared, threads: wb.pool?.size ?? 1 };
}

// Running a computation on a named qkv backend.
import { setBackend, setThreads } from './setup.js';
import { tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

/** Display name of a qkv backend at a thread count: `qkv-wasm×2`. */
export function qkvName(backend: string, threads: number): string {
  return `qkv-${backend}${backend === 'wasm' && threads > 1 ? `×${threads}` : ''}`;
}

/** Activates a backend (and thread count for wasm). */
export async function useQkv(backend: string, threads: number): Promise<void> {
  await setBackend(backend);
  if (backend === 'wasm') await setThreads(threads);
}

/** Runs `fn` in a tidy scope and returns the output's values (forcing the computation). */
export function run(fn: () => Tensor): Float32Array {
  return tidy(() => fn().dataSync() as Float32Array);
}

/** Drops the gradients of `tensors` (parameters and inputs) so the next backward starts fresh. */
export function clearGrads(tensors: Iterable<Tensor>): void {
  for (const t of tensors) {
    t.grad?.dispose();
    t.grad = null;
  }
}

/** The values of `t.grad`, or a clear error naming `what` when backward did not reach it. */
export function gradValues(t: Tensor, what: string): Float32Array {
  if (!t.grad) throw new Error(`${what}: backward produced no gradient`);
  return t.grad.dataSync() as Float32Array;
}

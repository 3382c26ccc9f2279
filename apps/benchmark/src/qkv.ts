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

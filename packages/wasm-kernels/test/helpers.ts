// Test helpers: run the same computation on cpu and on wasm from the same input values.
import { setBackend, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose } from '@qkv/tensor-core/testing';

/** Deterministic pseudo-random floats in [-1, 1) (an LCG, independent of tensor-core's RNG). */
export function floats(n: number, seed = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Runs `fn` on cpu and on wasm with tensors of the given shapes and values; returns both outputs. */
export async function onBoth(
  shapes: readonly number[][],
  fn: (...xs: Tensor[]) => Tensor,
): Promise<{ cpu: Float32Array; wasm: Float32Array; shape: number[]; backend: string }> {
  const values = shapes.map((s, i) => floats(s.reduce((a, b) => a * b, 1), i + 7));
  const run = async (name: string): Promise<{ data: Float32Array; shape: number[]; backend: string }> => {
    await setBackend(name);
    const y = fn(...values.map((v, i) => tensor(v, { shape: shapes[i]! })));
    const out = { data: (await y.data()) as Float32Array, shape: [...y.shape], backend: y.backend };
    y.dispose();
    return out;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  return { cpu: cpu.data, wasm: wasm.data, shape: wasm.shape, backend: wasm.backend };
}

/** Asserts the wasm result equals the cpu one within tolerance and really ran on wasm. */
export async function expectSameAsCpu(shapes: readonly number[][], fn: (...xs: Tensor[]) => Tensor, tol = { atol: 1e-4, rtol: 1e-4 }): Promise<void> {
  const r = await onBoth(shapes, fn);
  if (r.backend !== 'wasm') throw new Error(`expected the result on wasm, got ${r.backend}`);
  expectClose(r.wasm, r.cpu, tol);
}

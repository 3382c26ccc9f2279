// Shared plumbing of the gpu kernels: the handle behind an input, and running a program.
import type { Backend, DType, KernelOutput, TensorInfo } from '@qkv/tensor-core';
import type { GpuBackend } from '../backend.js';
import type { GpuHandle } from '../handle.js';
import type { Program } from '../program.js';

/** Runs `program` on the inputs' handles and wraps the result as a kernel output. */
export function runProgram(backend: Backend, program: Program, inputs: readonly TensorInfo[], shape: number[], dtype: DType): KernelOutput {
  const handle = (backend as GpuBackend).run(program, inputs.map((t) => t.handle as GpuHandle));
  return { handle, shape, dtype };
}

/** Product of the dims. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Splits `shape` around `dim` into (outer, size, inner) extents. */
export function around(shape: readonly number[], dim: number): [number, number, number] {
  return [sizeOf(shape.slice(0, dim)), shape[dim] ?? 1, sizeOf(shape.slice(dim + 1))];
}

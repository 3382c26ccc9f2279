// The reference backend: plain TypeScript over typed arrays. A handle is the typed array itself.
import type { Backend, KernelOutput, TensorInfo } from '../../backend.js';
import type { DType, TypedArray } from '../../dtype.js';

/** Creates the cpu backend object (kernels are registered separately, in register.ts). */
export function createCpuBackend(): Backend {
  return {
    name: 'cpu',
    write: (values: TypedArray) => values,
    read: async (handle: unknown) => (handle as TypedArray).slice(),
    readSync: (handle: unknown) => (handle as TypedArray).slice(),
    disposeData: () => {},
  };
}

/** The typed array behind a cpu input. */
export function arr(info: TensorInfo): TypedArray {
  return info.handle as TypedArray;
}

/** The Float32Array behind a float32 cpu input. */
export function f32(info: TensorInfo): Float32Array {
  return info.handle as Float32Array;
}

/** Wraps a freshly computed array as a kernel output. */
export function out(values: TypedArray, shape: number[], dtype: DType): KernelOutput {
  return { handle: values, shape, dtype };
}

// Kernels without a WASM implementation (and non-float32 cases of those with one) run the cpu
// reference kernel on zero-copy views of the WASM heap; only the result is copied in. This keeps
// exact cpu semantics without the engine's copy-out/copy-in fallback and its warning.
import { backendInstance, getKernel, KernelNotFoundError } from '@qkv/tensor-core';
import type { KernelFunc, KernelName, KernelOutput, TensorInfo, TypedArray } from '@qkv/tensor-core';
import type { WasmBackend } from '../backend.js';

/** The cpu kernel `name`, run on views of the inputs' heap blocks. */
export function onCpuViews<K extends KernelName>(name: K): KernelFunc<K> {
  return ({ inputs, attrs, backend }) => {
    const wb = backend as WasmBackend;
    const cpuKernel = getKernel(name, 'cpu');
    if (!cpuKernel) throw new KernelNotFoundError(`${name}: no cpu kernel to run on the wasm heap`);
    const views: TensorInfo[] = inputs.map((info) => ({
      ...info,
      handle: wb.view(wb.handleOf(info), info.dtype, info.storage.size),
    }));
    const out = cpuKernel({ inputs: views, attrs, backend: backendInstance('cpu') });
    if (!('handle' in out)) throw new KernelNotFoundError(`${name}: a view kernel cannot run through the wasm fallback`);
    return { handle: wb.write(out.handle as TypedArray, out.dtype), shape: out.shape, dtype: out.dtype } satisfies KernelOutput;
  };
}

/** Runs `native` when every input is float32, the cpu kernel on heap views otherwise. */
export function float32Or<K extends KernelName>(name: K, native: KernelFunc<K>): KernelFunc<K> {
  const fallback = onCpuViews(name);
  return (args) => (args.inputs.every((i) => i.dtype === 'float32') ? native(args) : fallback(args));
}

// Backend registration for the benchmark process: importing this registers qkv's `wasm` (relaxed
// SIMD where the engine has it) and `wasm-plain`: the same kernels on the plain-SIMD build, so one
// run can report both builds of the GEMM targets.
import { allKernelNames, getKernel, registerBackend, registerKernel } from '@qkv/tensor-core';
import { createWasmBackend } from '@qkv/wasm-kernels';
export { setThreads, getThreads, wasmFeatures } from '@qkv/wasm-kernels';
export { setBackend, getBackend } from '@qkv/tensor-core';

// priority 0: never picked by `ready()`, only by name
registerBackend('wasm-plain', () => createWasmBackend({ relaxed: false }), 0);
for (const kernelName of allKernelNames) {
  const kernelFunc = getKernel(kernelName, 'wasm');
  if (kernelFunc) registerKernel({ kernelName, backendName: 'wasm-plain', kernelFunc });
}

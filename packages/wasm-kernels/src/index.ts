/**
 * @qkv/wasm-kernels — the `wasm` backend for @qkv/tensor-core: WebAssembly SIMD kernels (GEMM with
 * packed panels and a 4×8 register tile, element-wise maps, reductions, softmax, layer norm) and
 * optional worker threads over a shared memory. Importing the package registers the backend.
 *
 * @example
 * import '@qkv/wasm-kernels';
 * import { ready, randn } from '@qkv/tensor-core';
 * await ready(); // 'wasm'
 * randn([512, 512]).matmul(randn([512, 512]));
 */
import './register.js';

export { createWasmBackend, WasmBackend } from './backend.js';
export type { WasmHandle } from './backend.js';
export type { ModuleOptions } from './runtime/binaries.js';
export { nativeKernels, WASM_PRIORITY } from './register.js';
export { getThreads, setThreads, wasmFeatures } from './threads.js';
export { sizeClass } from './runtime/heap.js';

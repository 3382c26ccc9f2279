// Registers the `wasm` backend (priority 2, above `cpu`) and its kernels. This file is the
// package's only side effect.
import { allKernelNames, registerBackend, registerKernel } from '@qkv/tensor-core';
import type { KernelFunc, KernelName } from '@qkv/tensor-core';
import { createWasmBackend } from './backend.js';
import { fusedAttentionKernel } from './kernels/attention.js';
import { copyKernels } from './kernels/copy.js';
import { binaryKernel, unaryKernel } from './kernels/elementwise.js';
import { float32Or, onCpuViews } from './kernels/fallback.js';
import { indexKernels } from './kernels/gather.js';
import { broadcastToKernel, transposeKernel } from './kernels/layout.js';
import { batchMatMulKernel } from './kernels/matmul.js';
import { binaryCodes, unaryCodes } from './kernels/op-codes.js';
import type { BinaryKernel, UnaryKernel } from './kernels/op-codes.js';
import { layerNormKernel, reduceKernel, softmaxKernel } from './kernels/reduce.js';
import { selectKernels } from './kernels/select.js';

/** Kernels compiled to WebAssembly for float32, int32 and bool alike (comparisons, where, cast, gathers, slices). */
const anyDTypeKernels: Partial<Record<KernelName, KernelFunc>> = { ...selectKernels, ...indexKernels, ...copyKernels };

/** Kernels compiled to WebAssembly (float32 inputs, except the any-dtype ones; other dtypes run the cpu kernel on heap views). */
export const nativeKernels: Partial<Record<KernelName, KernelFunc>> = {
  BatchMatMul: batchMatMulKernel,
  FusedAttention: fusedAttentionKernel,
  Softmax: softmaxKernel(false),
  LogSoftmax: softmaxKernel(true),
  LayerNorm: layerNormKernel,
  Sum: reduceKernel('Sum'),
  Max: reduceKernel('Max'),
  Min: reduceKernel('Min'),
  ...Object.fromEntries((Object.keys(unaryCodes) as UnaryKernel[]).map((n) => [n, unaryKernel(n)])),
  ...Object.fromEntries((Object.keys(binaryCodes) as BinaryKernel[]).map((n) => [n, binaryKernel(n)])),
  ...anyDTypeKernels,
};

/** Priority of `wasm` in the registry: above `cpu` (1), so `await ready()` picks it. */
export const WASM_PRIORITY = 2;

registerBackend('wasm', createWasmBackend, WASM_PRIORITY);
/** Data movement done on the heap for every dtype. */
const layoutKernels: Partial<Record<KernelName, KernelFunc>> = { Transpose: transposeKernel, BroadcastTo: broadcastToKernel };

for (const kernelName of allKernelNames) {
  if (kernelName === 'Reshape') continue; // the engine's own view kernel on every backend
  const native = nativeKernels[kernelName];
  const kernelFunc = layoutKernels[kernelName] ?? anyDTypeKernels[kernelName] ?? (native ? float32Or(kernelName, native) : onCpuViews(kernelName));
  registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
}

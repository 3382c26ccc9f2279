// Registers the `wasm` backend (priority 2, above `cpu`) and its kernels. This file is the
// package's only side effect.
import { allKernelNames, registerBackend, registerKernel } from '@qkv/tensor-core';
import type { KernelFunc, KernelName, KernelTable } from '@qkv/tensor-core';
import { createWasmBackend } from './backend.js';
import { fusedAttentionKernel } from './kernels/attention.js';
import { fusedAttentionGradKernel } from './kernels/attention-grad.js';
import { adamStepKernel } from './kernels/adam.js';
import { copyKernels } from './kernels/copy.js';
import { binaryKernel, unaryKernel } from './kernels/elementwise.js';
import type { CodedUnary } from './kernels/elementwise.js';
import { float32Or, onCpuViews } from './kernels/fallback.js';
import { indexKernels } from './kernels/gather.js';
import { broadcastToKernel, transposeKernel } from './kernels/layout.js';
import { batchMatMulKernel } from './kernels/matmul.js';
import { binaryCodes, unaryCodes } from './kernels/op-codes.js';
import type { BinaryKernel } from './kernels/op-codes.js';
import { layerNormKernel, reduceKernel, softmaxKernel } from './kernels/reduce.js';
import { selectKernels } from './kernels/select.js';

/** Kernels compiled to WebAssembly for float32, int32 and bool alike (comparisons, where, cast, gathers, slices). */
const anyDTypeKernels: KernelTable = { ...selectKernels, ...indexKernels, ...copyKernels };

const unary = Object.fromEntries((Object.keys(unaryCodes) as CodedUnary[]).map((n) => [n, unaryKernel(n)])) as { [K in CodedUnary]?: KernelFunc<CodedUnary> };
const binary = Object.fromEntries((Object.keys(binaryCodes) as BinaryKernel[]).map((n) => [n, binaryKernel(n)])) as { [K in BinaryKernel]?: KernelFunc<BinaryKernel> };

/** Kernels compiled to WebAssembly (float32 inputs, except the any-dtype ones; other dtypes run the cpu kernel on heap views). */
export const nativeKernels: KernelTable = {
  BatchMatMul: batchMatMulKernel,
  FusedAttention: fusedAttentionKernel,
  FusedAttentionGrad: fusedAttentionGradKernel,
  AdamStep: adamStepKernel,
  Softmax: softmaxKernel<'Softmax'>(false),
  LogSoftmax: softmaxKernel<'LogSoftmax'>(true),
  LayerNorm: layerNormKernel,
  Sum: reduceKernel('Sum'),
  Max: reduceKernel('Max'),
  Min: reduceKernel('Min'),
  ...unary,
  ...binary,
  ...anyDTypeKernels,
};

/** Priority of `wasm` in the registry: above `cpu` (1), so `await ready()` picks it. */
export const WASM_PRIORITY = 2;

/** Data movement done on the heap for every dtype. */
const layoutKernels: KernelTable = { Transpose: transposeKernel, BroadcastTo: broadcastToKernel };

/** The wasm kernel of `kernelName`: layout, any-dtype, float32 native (cpu on views for other dtypes), or cpu on views. */
function wasmKernel<K extends Exclude<KernelName, 'Reshape'>>(kernelName: K): KernelFunc<K> {
  const native = nativeKernels[kernelName];
  return layoutKernels[kernelName] ?? anyDTypeKernels[kernelName] ?? (native ? float32Or(kernelName, native) : onCpuViews(kernelName));
}

registerBackend('wasm', createWasmBackend, WASM_PRIORITY);
for (const kernelName of allKernelNames) {
  if (kernelName === 'Reshape') continue; // the engine's own view kernel on every backend
  // replace: a second copy of this package (two bundles) registers the same kernels again
  registerKernel({ kernelName, backendName: 'wasm', kernelFunc: wasmKernel(kernelName), replace: true });
}

// Every kernel of the gpu backends. The mapped type makes a kernel name without a gpu kernel a
// compile error, so an async-only backend (WebGPU, which cannot fall back to cpu) is complete.
import type { KernelFunc, KernelName } from '@qkv/tensor-core';
import { fusedAttentionKernel } from './attention.js';
import { binaryKernel, binaryKernelNames, whereKernel } from './binary.js';
import type { BinaryKernel } from './binary.js';
import { gatherKernel, indexAddKernel, indexSelectKernel, scatterAddKernel } from './indexing.js';
import { layerNormKernel } from './layer-norm.js';
import { broadcastToKernel, concatKernel, padKernel, sliceKernel, transposeKernel } from './layout.js';
import { batchMatMulKernel } from './matmul.js';
import { argKernel, reduceKernel } from './reduce.js';
import { softmaxKernel } from './softmax.js';
import { castKernel, geluKernel, unaryKernel, unaryKernelNames } from './unary.js';

/**
 * Kernels the gpu backends leave out: Reshape (the engine's view kernel), FusedAttentionGrad and
 * AdamStep, whose only callers (fusedAttention's gradient, adamStep) compose the public ops on the
 * device instead when the active backend lacks the kernel.
 */
export type LeftOut = 'Reshape' | 'FusedAttentionGrad' | 'AdamStep';

/** A gpu kernel for every kernel name but those `LeftOut`. */
export type Table = { readonly [K in Exclude<KernelName, LeftOut>]: KernelFunc<K> };

const elementwise = {
  ...(Object.fromEntries(unaryKernelNames.map((n) => [n, unaryKernel(n)])) as Record<(typeof unaryKernelNames)[number], KernelFunc<(typeof unaryKernelNames)[number]>>),
  Cast: castKernel,
  Gelu: geluKernel,
  ...(Object.fromEntries(binaryKernelNames.map((n) => [n, binaryKernel(n)])) as Record<BinaryKernel, KernelFunc<BinaryKernel>>),
};

/** Kernel functions by name (Reshape is the engine's shared view kernel). */
export const gpuKernels: Table = {
  ...elementwise,
  Where: whereKernel,
  Sum: reduceKernel('Sum'),
  Max: reduceKernel('Max'),
  Min: reduceKernel('Min'),
  ArgMax: argKernel('ArgMax'),
  ArgMin: argKernel('ArgMin'),
  Softmax: softmaxKernel(false),
  LogSoftmax: softmaxKernel(true),
  LayerNorm: layerNormKernel,
  BatchMatMul: batchMatMulKernel,
  Transpose: transposeKernel,
  BroadcastTo: broadcastToKernel,
  Slice: sliceKernel,
  Pad: padKernel,
  Concat: concatKernel,
  Gather: gatherKernel,
  ScatterAdd: scatterAddKernel,
  IndexSelect: indexSelectKernel,
  IndexAdd: indexAddKernel,
  FusedAttention: fusedAttentionKernel,
};

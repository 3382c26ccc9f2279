// Registers the cpu backend and its kernels. This file (and index.ts, which imports it) is the
// package's only side effect.
import type { KernelFunc } from '../../backend.js';
import { registerBackend, registerKernel } from '../../engine.js';
import type { KernelName } from '../../kernel-names.js';
import { createCpuBackend } from './backend.js';
import { elementwiseKernels } from './elementwise.js';
import { gatherKernel, indexAddKernel, indexSelectKernel, scatterAddKernel } from './indexing.js';
import { broadcastToKernel, concatKernel, padKernel, sliceKernel, transposeKernel } from './layout.js';
import { batchMatMulKernel } from './matmul.js';
import { adamStepKernel } from './adam.js';
import { fusedAttentionKernel } from './attention.js';
import { fusedAttentionGradKernel } from './attention-grad.js';
import { reduceKernels } from './reduce.js';

/** The cpu kernel of every kernel name (Reshape is the engine's own view kernel, shared by all backends). */
export const cpuKernels: { readonly [K in Exclude<KernelName, 'Reshape'>]: KernelFunc<K> } = {
  ...elementwiseKernels(),
  ...reduceKernels(),
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
  FusedAttentionGrad: fusedAttentionGradKernel,
  AdamStep: adamStepKernel,
};

function registerCpuKernel<K extends Exclude<KernelName, 'Reshape'>>(kernelName: K): void {
  // replace: a second copy of this package (two bundles) registers the same reference kernels again
  registerKernel({ kernelName, backendName: 'cpu', kernelFunc: cpuKernels[kernelName], replace: true });
}

registerBackend('cpu', createCpuBackend, 1);
for (const kernelName of Object.keys(cpuKernels) as Exclude<KernelName, 'Reshape'>[]) registerCpuKernel(kernelName);

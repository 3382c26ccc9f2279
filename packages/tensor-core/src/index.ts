/**
 * @qkv/tensor-core — tensors, PyTorch-named ops with broadcasting, reverse-mode autograd, the kernel
 * registry and the reference `cpu` backend.
 *
 * Shape legend used across qkv: B batch · T target length · S source length · E/C embed dim ·
 * H heads · D = E / H · V vocabulary.
 */
import './wire.js';
import './backends/cpu/register.js';

export { Tensor } from './tensor.js';
export type { NestedArray, TensorLike } from './tensor.js';
export type { DType, TypedArray } from './dtype.js';
export { promoteTypes, bytesPerElement } from './dtype.js';
export * from './errors.js';
export { MAX_TENSOR_SIZE, broadcastShapes, dims, normalizeDim, sizeOf, stridesOf, trailingDims } from './shape.js';
export type { Attrs, Backend, BackendFactory, KernelArgs, KernelConfig, KernelFunc, KernelOutput, KernelTable, TensorInfo } from './backend.js';
export type * from './kernel-attrs.js';
export { checkAttrs, isKernelName } from './kernel-attrs.js';
export { Storage } from './backend.js';
export { allKernelNames, binaryKernels, unaryKernels } from './kernel-names.js';
export type { BinaryKernel, DifferentiableKernel, FusedKernel, KernelName, UnaryKernel } from './kernel-names.js';
export {
  activeBackend,
  backendInstance,
  enableGrad,
  findBackendAsync,
  getBackend,
  getKernel,
  isGradEnabled,
  keep,
  listBackends,
  makeTensor,
  memory,
  noGrad,
  ready,
  registerBackend,
  registerKernel,
  runKernel,
  setBackend,
  tidy,
} from './engine.js';
export type { MemoryInfo, RecordHook, TensorContainer } from './engine.js';
export { grad, valueAndGrad } from './autograd/functional.js';
export { checkpoint } from './autograd/tape.js';
export type { BackwardOptions, CustomNode, GradContext, GradFunc, GradNode, KernelNode } from './autograd/tape.js';
export { cpuKernels } from './backends/cpu/register.js';
export { gemm as cpuGemm } from './backends/cpu/matmul.js';
/** Strided walks over broadcast shapes, for backend packages' own kernels. */
export { around, batchOffsets, broadcastStrides, forEachRow } from './backends/cpu/strided.js';
export * from './ops/creation.js';
export * from './ops/random.js';
export * from './ops/unary.js';
export * from './ops/binary.js';
export * from './ops/reduce.js';
export * from './ops/softmax.js';
export * from './ops/matmul.js';
export * from './ops/shape-ops.js';
export * from './ops/index-ops.js';
export * from './ops/norm.js';
export * from './ops/attention.js';
export * from './ops/optim.js';
export { clone, detach, item, sumToShape } from './ops/util.js';

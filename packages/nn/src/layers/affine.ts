// x·Wᵀ + b with W in PyTorch's [out, in] layout, as one GEMM on the transposed operand: no copy of
// Wᵀ per call (a GRU over 512 steps used to keep 512 copies of its weights alive for backward).
import { batchMatMul } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

/**
 * x·Wᵀ + b. x [..., in] · W [out, in] → [..., out] (F.linear).
 * @example affine(x, fc.weight, fc.bias) // [B, T, 512] → [B, T, 2048]
 */
export function affine(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  const inFeatures = x.shape[x.ndim - 1]!;
  const outFeatures = weight.shape[0]!;
  const rows = x.reshape([1, -1, inFeatures]); // [1, N, in]
  const y = batchMatMul(rows, weight.reshape([1, outFeatures, inFeatures]), false, true).reshape([...x.shape.slice(0, -1), outFeatures]);
  return bias ? y.add(bias) : y;
}

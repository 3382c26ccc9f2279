// Products the attention functions share: Q·Kᵀ without materialising Kᵀ, and batched weights·V.
// (Masks — polarity, the causal mask, validation — live in @qkv/tensor-core's ops/mask.ts.)
import { batchMatMul, fmtShape, matmul, ShapeError } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

/** The dtypes a mask of `scaledDotProductAttention` or `combineMasks` may have (for `assertMaskDType`). */
export const MASK_DTYPES = { bool: '', float32: '' } as const;
/** The fix offered when a mask has neither dtype. */
export const MASK_DTYPE_HINT = 'turn a 0/1 mask into one with .bool() or additiveMask()';

/** The last two dims of a tensor with at least two, e.g. [L, E] of q [..., L, E]; `where` names the public caller in the ShapeError. */
export function lastTwo(t: Tensor, where: string): [number, number] {
  if (t.ndim < 2) throw new ShapeError(`${where}: expected at least 2 dims [..., rows, cols], got ${fmtShape(t.shape)}`);
  return [t.shape[t.ndim - 2]!, t.shape[t.ndim - 1]!];
}

/**
 * a·bᵀ over the last two dims: [..., M, K]·[..., N, K] → [..., M, N]. Equal batch dims take one
 * transposed GEMM; other batch shapes broadcast through `matmul`.
 */
export function matmulTransposed(a: Tensor, b: Tensor): Tensor {
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const [m, k] = lastTwo(a, 'matmulTransposed');
  const [n, k2] = lastTwo(b, 'matmulTransposed');
  if (a.ndim >= 2 && a.ndim === b.ndim && batchA.every((d, i) => d === batchB[i]) && k === k2) {
    return batchMatMul(a.reshape([-1, m, k]), b.reshape([-1, n, k2]), false, true).reshape([...batchA, m, n]);
  }
  return matmul(a, b.transpose(-2, -1));
}

/**
 * a·b over the last two dims with equal batch dims taken as one batched GEMM.
 * [..., M, K]·[..., K, N] → [..., M, N]
 */
export function batchedMatmul(a: Tensor, b: Tensor): Tensor {
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const [m, k] = lastTwo(a, 'batchedMatmul');
  const [k2, n] = lastTwo(b, 'batchedMatmul');
  if (a.ndim >= 3 && a.ndim === b.ndim && batchA.every((d, i) => d === batchB[i]) && k === k2) {
    return batchMatMul(a.reshape([-1, m, k]), b.reshape([-1, k2, n])).reshape([...batchA, m, n]);
  }
  return matmul(a, b);
}

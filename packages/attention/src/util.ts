// Helpers the attention functions share: mask dtype checks, bool → additive masks, and Q·Kᵀ
// without materialising Kᵀ.
import { arange, batchMatMul, broadcastShapes, DTypeError, fmtShape, matmul, ShapeError, zeros } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

/** Throws unless `mask` is bool or float32, the two kinds PyTorch accepts. */
export function assertMaskDType(op: string, name: string, mask: Tensor): void {
  if (mask.dtype !== 'bool' && mask.dtype !== 'float32') {
    throw new DTypeError(`${op}: ${name} must be bool or float32, got ${mask.dtype}; turn a 0/1 mask into one with .bool() or additiveMask()`);
  }
}

/**
 * A float mask to add to the scores: a float mask is returned as is; a bool mask becomes 0 / −∞,
 * with −∞ where the bool is `maskedWhen`.
 */
export function toAdditive(mask: Tensor, maskedWhen: boolean): Tensor {
  if (mask.dtype !== 'bool') return mask;
  return zeros(mask.shape).maskedFill(maskedWhen ? mask : mask.logicalNot(), -Infinity);
}

/** Throws unless `mask` broadcasts to exactly `target` (it may not grow the scores). */
export function assertBroadcastsTo(op: string, name: string, mask: Tensor, target: readonly number[], targetName: string): void {
  let ok = mask.ndim <= target.length;
  try {
    const out = broadcastShapes(op, mask.shape, target);
    ok &&= out.length === target.length && out.every((d, i) => d === target[i]);
  } catch {
    ok = false;
  }
  if (!ok) throw new ShapeError(`${op}: ${name} must broadcast to ${targetName} = ${fmtShape(target)}, got ${fmtShape(mask.shape)}`);
}

/**
 * a·bᵀ over the last two dims: [..., M, K]·[..., N, K] → [..., M, N]. Equal batch dims take one
 * transposed GEMM; other batch shapes broadcast through `matmul`.
 */
export function matmulTransposed(a: Tensor, b: Tensor): Tensor {
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const [m, k] = a.shape.slice(-2) as [number, number];
  const [n, k2] = b.shape.slice(-2) as [number, number];
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
  const [m, k] = a.shape.slice(-2) as [number, number];
  const [k2, n] = b.shape.slice(-2) as [number, number];
  if (a.ndim >= 3 && a.ndim === b.ndim && batchA.every((d, i) => d === batchB[i]) && k === k2) {
    return batchMatMul(a.reshape([-1, m, k]), b.reshape([-1, k2, n])).reshape([...batchA, m, n]);
  }
  return matmul(a, b);
}

/**
 * bool [L, S], true where key j ≤ query i: the causal "may attend" mask, top-left aligned as
 * PyTorch's `is_causal` (built from comparisons because `tril` of a bool tensor is not bool).
 */
export function causalKeep(L: number, S: number): Tensor {
  return arange(S).unsqueeze(0).le(arange(L).unsqueeze(1));
}

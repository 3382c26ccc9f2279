// torch.matmul: vectors, matrices and broadcast batches, all lowered to one BatchMatMul kernel.
import { runKernel } from '../engine.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { broadcastShapes, dims, sizeOf, trailingDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertTensor } from './util.js';

/**
 * Batched matrix product of 3-d tensors with optional transposed operands:
 * `op(a)·op(b)` where op transposes the last two dims when asked. Batch sizes must be equal or 1.
 * a [Ba, M, K] (or [Ba, K, M] with transposeA) · b [Bb, K, N] (or [Bb, N, K]) → [max(Ba,Bb), M, N]
 * @example batchMatMul(q, k, false, true) // Q·Kᵀ without materialising Kᵀ
 */
export function batchMatMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  assertTensor('batchMatMul', 'a', a);
  assertTensor('batchMatMul', 'b', b);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw new DTypeError(`batchMatMul: expected float32 operands, got ${a.dtype} and ${b.dtype}`);
  if (a.ndim !== 3 || b.ndim !== 3) throw new ShapeError(`batchMatMul: expected 3-d operands, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const [ba, a1, a2] = dims(a, 3, 'batchMatMul', 'B, M, K');
  const [bb, b1, b2] = dims(b, 3, 'batchMatMul', 'B, K, N');
  const k = transposeA ? a1 : a2;
  const kb = transposeB ? b2 : b1;
  if (k !== kb) {
    throw new ShapeError(`matmul: inner dimensions must match, got ${fmtShape(a.shape)}${transposeA ? 'ᵀ' : ''} and ${fmtShape(b.shape)}${transposeB ? 'ᵀ' : ''}`);
  }
  if (ba !== bb && ba !== 1 && bb !== 1) throw new ShapeError(`batchMatMul: batch sizes must match or be 1, got ${ba} and ${bb}`);
  return runKernel('BatchMatMul', [a, b], { transposeA, transposeB });
}

/**
 * Matrix product with `torch.matmul`'s rules: 1-d·1-d is a dot product; a 1-d operand is
 * treated as a row (left) or column (right) vector and that dim removed; leading batch dims
 * broadcast. Integer operands are rejected (use `.float()`).
 * @example matmul(x, w) // [B, T, C]·[C, D] → [B, T, D]
 * @example matmul(q, k.transpose(-2, -1)) // [B, H, T, D]·[B, H, D, S] → [B, H, T, S]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  assertTensor('matmul', 'a', a);
  assertTensor('matmul', 'b', b);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw new DTypeError(`matmul: expected float32 operands, got ${a.dtype} and ${b.dtype}`);
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`matmul: both arguments need at least 1 dimension, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const av = a.ndim === 1 ? a.reshape([1, a.shape[0]!]) : a;
  const bv = b.ndim === 1 ? b.reshape([b.shape[0]!, 1]) : b;
  const [m, k] = trailingDims(av, 2, 'matmul', 'M, K');
  const [k2, n] = trailingDims(bv, 2, 'matmul', 'K, N');
  if (k !== k2) throw new ShapeError(`matmul: inner dimensions must match, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const batchA = av.shape.slice(0, -2);
  const batchB = bv.shape.slice(0, -2);
  const batch = broadcastShapes('matmul', batchA, batchB);
  let out: Tensor;
  if (batchB.length === 0 || sizeOf(batchB) === 1) {
    // [..., M, K]·[K, N]: fold the batch into the rows, one GEMM.
    out = batchMatMul(av.reshape([1, sizeOf(batchA) * m, k]), bv.reshape([1, k, n])).reshape([...batch, m, n]);
  } else {
    const a3 = sizeOf(batchA) === 1 ? av.reshape([1, m, k]) : av.expand([...batch, m, k]).reshape([-1, m, k]);
    const b3 = bv.expand([...batch, k, n]).reshape([-1, k, n]);
    out = batchMatMul(a3, b3).reshape([...batch, m, n]);
  }
  if (a.ndim === 1) out = out.squeeze(-2);
  if (b.ndim === 1) out = out.squeeze(-1);
  return out;
}

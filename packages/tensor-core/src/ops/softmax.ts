// Numerically stable softmax and log-softmax along one dim.
import { runKernel } from '../engine.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertTensor, castTo } from './util.js';

/**
 * softmax(x)ᵢ = exp(xᵢ − max x) / Σⱼ exp(xⱼ − max x) along `dim`.
 * A slice that is entirely −∞ gives all zeros (PyTorch gives NaN there): a fully masked
 * attention row then contributes nothing instead of poisoning the batch with NaN.
 * @example softmax(scores, -1) // [B, H, T, S], rows sum to 1
 */
export function softmax(x: Tensor, dim: number): Tensor {
  assertTensor('softmax', 'input', x);
  return runKernel('Softmax', [castTo(x, 'float32')], { dim: normalizeDim('softmax', dim, x.ndim) });
}

/**
 * log(softmax(x)) computed as x − max − log Σ exp(x − max), never via log of a softmax.
 * A slice that is entirely −∞ gives −∞ everywhere (PyTorch gives NaN).
 * @example logSoftmax(logits, -1)
 */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  assertTensor('logSoftmax', 'input', x);
  return runKernel('LogSoftmax', [castTo(x, 'float32')], { dim: normalizeDim('logSoftmax', dim, x.ndim) });
}

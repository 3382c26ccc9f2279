// Binary cross-entropy on logits, computed stably (`F.binary_cross_entropy_with_logits`).
import { ShapeError, fmtShape } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { reduce } from './reduction.js';
import type { Reduction } from './reduction.js';

/** Options of `binaryCrossEntropyWithLogits`. */
export interface BceWithLogitsOptions {
  /** Per-element rescaling, broadcast to the input. */
  weight?: Tensor | null;
  /** Weight of the positive term per class, broadcast along the last dim. */
  posWeight?: Tensor | null;
  reduction?: Reduction;
}

/**
 * −w·[p·t·log σ(x) + (1 − t)·log(1 − σ(x))] with p the positive weight, computed as
 * (1 − t)·x + (1 + (p − 1)·t)·(log(1 + e^−|x|) + max(−x, 0)), which never overflows.
 * @param input logits [*]; @param target probabilities in [0, 1], same shape
 * @example binaryCrossEntropyWithLogits(logits, labels.float())
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  const { weight = null, posWeight = null, reduction = 'mean' } = options;
  if (input.ndim !== target.ndim || input.shape.some((s, i) => s !== target.shape[i])) {
    throw new ShapeError(`binaryCrossEntropyWithLogits: target must have the input's shape ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`);
  }
  const t = target.float();
  const softplusNeg = input.abs().neg().exp().add(1).log().add(input.neg().relu()); // log(1 + e^−x), stable
  const logWeight = posWeight ? posWeight.sub(1).mul(t).add(1) : null;
  let loss = t.neg().add(1).mul(input).add(logWeight ? logWeight.mul(softplusNeg) : softplusNeg);
  if (weight) loss = loss.mul(weight);
  return reduce('binaryCrossEntropyWithLogits', loss, reduction);
}

// Mean squared error (`F.mse_loss`).
import { ShapeError, fmtShape } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { reduce } from './reduction.js';
import type { Reduction } from './reduction.js';

/**
 * (input − target)², reduced. Shapes must be equal (PyTorch warns and broadcasts; we refuse,
 * since a broadcast there is almost always a bug).
 * @example mseLoss(pred, y) // scalar
 */
export function mseLoss(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  if (input.ndim !== target.ndim || input.shape.some((s, i) => s !== target.shape[i])) {
    throw new ShapeError(`mseLoss: target must have the input's shape ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`);
  }
  const diff = input.sub(target);
  return reduce('mseLoss', diff.mul(diff), options.reduction ?? 'mean');
}

// Layer normalisation and dropout, the two functional ops every Transformer layer uses.
import { runKernel } from '../engine.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { defaultGenerator } from './random.js';
import type { Generator } from './random.js';
import { makeTensor } from '../engine.js';
import { assertTensor, castTo } from './util.js';

/**
 * Normalises over the trailing `normalizedShape` dims: (x − mean) / √(var + eps) · weight + bias,
 * with the biased variance (`F.layer_norm`).
 * @param x [..., *normalizedShape]
 * @param weight, bias [*normalizedShape] or null
 * @example layerNorm(x, [C], gamma, beta) // [B, T, C]
 */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  assertTensor('layerNorm', 'input', x);
  const k = normalizedShape.length;
  if (k === 0 || !shapesEqual(x.shape.slice(x.ndim - k), normalizedShape) || k > x.ndim) {
    throw new ShapeError(`layerNorm: input's trailing dims must be normalizedShape ${fmtShape(normalizedShape)}, got input ${fmtShape(x.shape)}`);
  }
  if (!(eps >= 0)) throw new ValueError(`layerNorm: eps must be ≥ 0, got ${eps}`);
  for (const [name, p] of [['weight', weight], ['bias', bias]] as const) {
    if (p && !shapesEqual(p.shape, normalizedShape)) {
      throw new ShapeError(`layerNorm: ${name} must have shape ${fmtShape(normalizedShape)}, got ${fmtShape(p.shape)}`);
    }
  }
  let y = runKernel('LayerNorm', [castTo(x, 'float32')], { normDims: k, eps });
  if (weight) y = y.mul(weight);
  if (bias) y = y.add(bias);
  return y;
}

/**
 * Zeroes each element with probability `p` and scales the rest by 1/(1−p) while `training`
 * (`F.dropout`); identity otherwise. Draws from `generator` (default: the global seeded one).
 * @example dropout(x, 0.1, model.training)
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  assertTensor('dropout', 'input', x);
  if (!(p >= 0 && p <= 1)) throw new ValueError(`dropout: probability must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  const g = generator ?? defaultGenerator();
  const keepScale = p === 1 ? 0 : 1 / (1 - p);
  // keep (and scale) where a uniform 32-bit draw is ≥ p·2³²
  const mask = g.fillMask(new Float32Array(x.size), p, keepScale);
  return x.mul(makeTensor(mask, x.shape, 'float32'));
}

// Negative log-likelihood and cross-entropy over class indices or class probabilities, with
// PyTorch's ignoreIndex, class weights, label smoothing and reductions.
import { DTypeError, IndexError, ShapeError, ValueError, fmtShape, where } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { reduce } from './reduction.js';
import type { Reduction } from './reduction.js';

/** Options of `nllLoss`. */
export interface NllLossOptions {
  /** A manual rescaling weight per class, [C]. */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing and are not counted in the mean (default −100). */
  ignoreIndex?: number;
  reduction?: Reduction;
}

/** Options of `crossEntropy`. */
export interface CrossEntropyOptions extends NllLossOptions {
  /** ε in [0, 1]: the target becomes (1 − ε)·one-hot + ε/C (default 0). */
  labelSmoothing?: number;
}

/** The class dim and the expected target shape: input [N, C, d…] or [C]. */
function classLayout(op: string, input: Tensor, target: Tensor): number {
  if (input.ndim === 0) throw new ShapeError(`${op}: input must be [C] or [N, C, …], got a scalar`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const expected = input.shape.filter((_, i) => i !== classDim);
  if (target.dtype === 'int32' && (target.ndim !== expected.length || target.shape.some((s, i) => s !== expected[i]))) {
    throw new ShapeError(`${op}: target must be ${fmtShape(expected)} for input ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`);
  }
  return classDim;
}

function checkTargets(op: string, target: Tensor, classes: number, ignoreIndex: number): void {
  if (target.storage.backend.asyncOnly) return;
  for (const v of target.dataSync()) {
    if (v !== ignoreIndex && (v < 0 || v >= classes)) throw new IndexError(`${op}: target ${v} is out of bounds for ${classes} classes (ignoreIndex ${ignoreIndex})`);
  }
}

/** −w[y]·logp[y] per element, its weights (0 where ignored), and the ignore mask. */
function pickTargets(op: string, logProbs: Tensor, target: Tensor, classDim: number, weight: Tensor | null, ignoreIndex: number) {
  const classes = logProbs.shape[classDim]!;
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== classes)) {
    throw new ShapeError(`${op}: weight must be [C] = [${classes}], got ${fmtShape(weight.shape)}`);
  }
  checkTargets(op, target, classes, ignoreIndex);
  const ignored = target.eq(ignoreIndex);
  const safe = where(ignored, 0, target); // gather needs in-range indices everywhere
  const picked = logProbs.gather(classDim, safe.unsqueeze(classDim)).squeeze(classDim); // [N, d…]
  const kept = ignored.logicalNot().float();
  const w = weight ? weight.indexSelect(0, safe.reshape([-1])).reshape(safe.shape).mul(kept) : kept;
  return { loss: picked.neg().mul(w), weights: w, ignored };
}

/**
 * Negative log-likelihood of int32 class indices under log-probabilities (`F.nll_loss`).
 * 'mean' divides by the summed weights of the non-ignored targets (NaN if all are ignored, as PyTorch).
 * @param input log-probabilities [N, C] or [N, C, d…] or [C]
 * @param target int32 [N] or [N, d…] or []
 * @example nllLoss(logits.logSoftmax(-1), targets)
 */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = 'mean' } = options;
  if (target.dtype !== 'int32') throw new DTypeError(`nllLoss: target must be int32 class indices, got ${target.dtype}`);
  const classDim = classLayout('nllLoss', input, target);
  const { loss, weights } = pickTargets('nllLoss', input, target, classDim, weight, ignoreIndex);
  return reduction === 'mean' ? loss.sum().div(weights.sum()) : reduce('nllLoss', loss, reduction);
}

/**
 * Cross-entropy between logits and targets (`F.cross_entropy`): log-softmax over the class dim,
 * then NLL. Targets are int32 class indices (with `ignoreIndex`), or float class probabilities
 * of the input's shape. With label smoothing ε the loss is (1 − ε)·nll + ε/C·Σ_c −w_c·logp_c.
 * @param input logits [N, C] or [N, C, d…] or [C]
 * @param target int32 [N] / [N, d…] / [], or float32 probabilities like `input`
 * @example crossEntropy(logits.reshape([B * T, V]), targets.reshape([B * T]), { ignoreIndex: padId })
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = options;
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) throw new ValueError(`crossEntropy: labelSmoothing must be in [0, 1], got ${labelSmoothing}`);
  if (target.dtype === 'bool') throw new DTypeError('crossEntropy: target must be int32 class indices or float32 probabilities, got bool');
  const classDim = classLayout('crossEntropy', input, target);
  const classes = input.shape[classDim]!;
  const logProbs = input.logSoftmax(classDim);
  const classWeight = weight ? weight.reshape(input.shape.map((s, i) => (i === classDim ? s : 1))) : null;
  if (target.dtype === 'float32') return softTargets(input, target, logProbs, classDim, classWeight, labelSmoothing, reduction);
  const { loss, weights, ignored } = pickTargets('crossEntropy', logProbs, target, classDim, weight, ignoreIndex);
  if (labelSmoothing === 0) return reduction === 'mean' ? loss.sum().div(weights.sum()) : reduce('crossEntropy', loss, reduction);
  const weighted = classWeight ? logProbs.mul(classWeight) : logProbs;
  const smooth = weighted.sum(classDim).neg().maskedFill(ignored, 0); // [N, d…]
  const eps = labelSmoothing;
  if (reduction === 'none') return loss.mul(1 - eps).add(smooth.mul(eps / classes));
  const nll = loss.sum();
  const smoothSum = smooth.sum();
  if (reduction === 'sum') return nll.mul(1 - eps).add(smoothSum.mul(eps / classes));
  const denominator = weights.sum();
  const smoothDenominator = classWeight ? denominator : ignored.logicalNot().float().sum();
  return nll.div(denominator).mul(1 - eps).add(smoothSum.div(smoothDenominator).mul(eps / classes));
}

/** Cross-entropy against class probabilities: −Σ_c w_c·t_c·logp_c, 'mean' over the batch elements. */
function softTargets(input: Tensor, target: Tensor, logProbs: Tensor, classDim: number, classWeight: Tensor | null, eps: number, reduction: Reduction): Tensor {
  if (target.ndim !== input.ndim || target.shape.some((s, i) => s !== input.shape[i])) {
    throw new ShapeError(`crossEntropy: probability targets must have the input's shape ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`);
  }
  const classes = input.shape[classDim]!;
  const t = eps > 0 ? target.mul(1 - eps).add(eps / classes) : target;
  const weighted = classWeight ? logProbs.mul(classWeight) : logProbs;
  const loss = weighted.mul(t).sum(classDim).neg(); // [N, d…]
  return reduce('crossEntropy', loss, reduction);
}

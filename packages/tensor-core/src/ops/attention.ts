// Scaled dot-product attention as one kernel: scores, mask, softmax and the weighted sum, without
// the [..., L, S] weights as a tensor (a backend that fuses it keeps one block of scores at a time).
import { runKernel } from '../engine.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { broadcastShapes, shapesEqual, trailingDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertTensor } from './util.js';

/** Options of `fusedAttention`. */
export interface FusedAttentionOptions {
  /** float32, added to the scores (0 = attend, −∞ = hidden); broadcastable to [..., L, S]. */
  mask?: Tensor | null;
  /** Hide key s from query l when s > l (top-left aligned, as PyTorch's `is_causal`); default false. */
  causal?: boolean;
  /** Score scale; default 1/√E. NaN or ±∞ is an error. */
  scale?: number | null;
  /** The public function named in errors (e.g. 'scaledDotProductAttention'); default 'fusedAttention'. */
  caller?: string;
}

function assertMaskFits(op: string, mask: Tensor, scores: readonly number[]): void {
  if (mask.dtype !== 'float32') throw new DTypeError(`${op}: mask must be float32 (added to the scores), got ${mask.dtype}; turn a bool mask into 0/−∞ first`);
  let fits = mask.ndim <= scores.length;
  try {
    fits &&= shapesEqual(broadcastShapes(op, mask.shape, scores), scores);
  } catch {
    fits = false;
  }
  if (!fits) throw new ShapeError(`${op}: mask must broadcast to the scores [..., L, S] = ${fmtShape(scores)}, got ${fmtShape(mask.shape)}`);
}

/**
 * softmax(q·kᵀ·scale + mask)·v along the keys, as one kernel. A query whose keys are all hidden
 * gets a zero row (as tensor-core's softmax gives zero weights there). The weights themselves are
 * never returned; compose `matmul`/`softmax` when you need them.
 *
 * Legend: … batch dims (equal for q, k, v) · L queries · S keys · E query/key dim · Ev value dim.
 * q [..., L, E] · k [..., S, E] · v [..., S, Ev] → [..., L, Ev]
 * @example fusedAttention(q, k, v, { causal: true }) // q, k, v [B, H, T, D] → [B, H, T, D]
 */
export function fusedAttention(q: Tensor, k: Tensor, v: Tensor, options: FusedAttentionOptions = {}): Tensor {
  const { mask = null, causal = false, scale = null, caller: op = 'fusedAttention' } = options;
  for (const [name, t] of [['q', q], ['k', k], ['v', v]] as const) {
    assertTensor(op, name, t);
    if (t.dtype !== 'float32') throw new DTypeError(`${op}: ${name} must be float32, got ${t.dtype}`);
    if (t.ndim < 2) throw new ShapeError(`${op}: ${name} must have at least 2 dims [..., len, dim], got ${fmtShape(t.shape)}`);
  }
  const batch = q.shape.slice(0, -2);
  const [L, E] = trailingDims(q, 2, op, 'L, E');
  const S = k.shape[k.ndim - 2]!;
  if (!shapesEqual(k.shape, [...batch, S, E])) throw new ShapeError(`${op}: k must be [..., S, E] with q's batch dims and E = ${E}, got k ${fmtShape(k.shape)} for q ${fmtShape(q.shape)}`);
  if (v.ndim !== q.ndim || !shapesEqual(v.shape.slice(0, -1), [...batch, S])) {
    throw new ShapeError(`${op}: v must be [..., S, Ev] with q's batch dims and S = ${S}, got v ${fmtShape(v.shape)} for q ${fmtShape(q.shape)}`);
  }
  if (mask) {
    assertTensor(op, 'mask', mask);
    assertMaskFits(op, mask, [...batch, L, S]);
  }
  const s = scale ?? 1 / Math.sqrt(E);
  if (typeof s !== 'number' || !Number.isFinite(s)) throw new ValueError(`${op}: scale must be a finite number, got ${s}`);
  return runKernel('FusedAttention', mask ? [q, k, v, mask] : [q, k, v], { scale: s, causal });
}

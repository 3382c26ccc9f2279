// Scaled dot-product attention with `F.scaled_dot_product_attention`'s semantics, returning the
// attention weights on request (PyTorch's function never does).
import { assertMaskBroadcasts, assertMaskDType, broadcastShapes, causalKeep, DTypeError, dropout, fmtShape, fusedAttention, ShapeError, toAdditiveMask, ValueError } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { batchedMatmul, lastTwo, MASK_DTYPE_HINT, MASK_DTYPES, matmulTransposed } from './util.js';

/** Options of `scaledDotProductAttention`. */
export interface SdpaOptions {
  /**
   * Broadcastable to [..., L, S]. bool: `true` = this query may attend to this key (take part);
   * float: added to the scores (0 = attend, −∞ = masked).
   */
  attnMask?: Tensor | null;
  /** Apply a top-left aligned causal mask (query i sees keys 0..i); not together with `attnMask`. */
  isCausal?: boolean;
  /** Dropout probability on the weights; default 0. Applied whenever > 0, as PyTorch's function. */
  dropoutP?: number;
  /** Score scale; default 1/√E. */
  scale?: number | null;
  /** Also return the attention weights [..., L, S]; default false. */
  returnWeights?: boolean;
  /** Random source for dropout (default: the global seeded generator). */
  generator?: Generator;
}

/** What `scaledDotProductAttention` returns; `weights` is a tensor when `returnWeights` is true. */
export interface SdpaResult<W extends Tensor | null = Tensor | null> {
  /** [..., L, Ev] */
  output: Tensor;
  /** [..., L, S], rows sum to 1 (0 for a row with every key masked); after dropout, if any. */
  weights: W;
}

/**
 * softmax(q·kᵀ·scale + mask)·v, as `F.scaled_dot_product_attention`. A row whose keys are all
 * masked gives zero weights and a zero output (PyTorch's math kernel has given NaN there).
 *
 * Shapes: q [..., L, E] · k [..., S, E] · v [..., S, Ev] → output [..., L, Ev]; leading dims
 * broadcast. L target length · S source length · E query/key dim · Ev value dim.
 * @example
 * const { output, weights } = scaledDotProductAttention(q, k, v, { isCausal: true, returnWeights: true });
 * // q, k, v [B, H, T, D] → output [B, H, T, D], weights [B, H, T, T]
 */
export function scaledDotProductAttention<O extends SdpaOptions = SdpaOptions>(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  options?: O,
): SdpaResult<O extends { returnWeights: true } ? Tensor : null> {
  const op = 'scaledDotProductAttention';
  const { attnMask = null, isCausal = false, dropoutP = 0, scale = null, returnWeights = false, generator } = options ?? {};
  checkShapes(op, q, k, v);
  if (!(dropoutP >= 0 && dropoutP <= 1)) throw new ValueError(`${op}: dropoutP must be in [0, 1], got ${dropoutP}`);
  if (attnMask && isCausal) throw new ValueError(`${op}: give attnMask or isCausal, not both (PyTorch raises here too)`);
  // checked here, so the fused and the unfused path refuse it alike
  if (scale !== null && (typeof scale !== 'number' || !Number.isFinite(scale))) throw new ValueError(`${op}: scale must be a finite number or null (1/√E), got ${String(scale)}`);
  const [L, E] = lastTwo(q, op);
  const S = k.shape[k.ndim - 2]!;
  const scoreShape = [...broadcastShapes(op, q.shape.slice(0, -2), k.shape.slice(0, -2)), L, S];
  if (attnMask) {
    assertMaskDType(op, 'attnMask', attnMask, MASK_DTYPES, MASK_DTYPE_HINT);
    assertMaskBroadcasts(op, 'attnMask', attnMask, scoreShape, 'the scores [..., L, S]');
  }
  type W = O extends { returnWeights: true } ? Tensor : null;
  const mask = attnMask && toAdditiveMask({ keep: attnMask });
  const { output, weights } = attendFusedOrNot(q, k, v, { mask, causal: isCausal, scale: scale ?? 1 / Math.sqrt(E), dropoutP, generator, needWeights: returnWeights });
  return { output, weights: (returnWeights ? weights : null) as W };
}

/** Options of `attendFusedOrNot`. */
export interface AttendOptions {
  /** Additive (float) mask broadcasting to the scores [..., L, S], or null. */
  mask: Tensor | null;
  /** Also hide key s from query l when s > l (top-left aligned, as PyTorch's `is_causal`). */
  causal: boolean;
  scale: number;
  dropoutP: number;
  generator?: Generator | undefined;
  /** The weights are wanted: never fuse. */
  needWeights: boolean;
}

/**
 * The one place that chooses between the FusedAttention kernel (which never forms the weights) and
 * `attend` composed of ops: fused when the weights are not wanted and `canFuse` allows it; the
 * causal part then rides on the kernel's flag, which skips the hidden key blocks, and is built as
 * a mask only on the composed path. weights is null when fused.
 * q [..., L, E] · k [..., S, E] · v [..., S, Ev] → output [..., L, Ev], weights [..., L, S] | null
 */
export function attendFusedOrNot(q: Tensor, k: Tensor, v: Tensor, o: AttendOptions): { output: Tensor; weights: Tensor | null } {
  if (!o.needWeights && canFuse(q, k, v, o.dropoutP)) return { output: fusedAttention(q, k, v, { mask: o.mask, causal: o.causal, scale: o.scale, caller: 'scaledDotProductAttention' }), weights: null };
  const causal = o.causal ? toAdditiveMask(causalKeep(q.shape[q.ndim - 2]!, k.shape[k.ndim - 2]!)) : null; // [L, S]
  const mask = o.mask && causal ? o.mask.add(causal) : o.mask ?? causal;
  return attend(q, k, v, mask, o.scale, o.dropoutP, o.generator);
}

/**
 * True when `attend` may run as one FusedAttention kernel, which never forms the weights: no
 * dropout on them, and q, k, v with the same leading dims (the kernel does not broadcast them).
 */
export function canFuse(q: Tensor, k: Tensor, v: Tensor, dropoutP: number): boolean {
  const lead = (t: Tensor) => t.shape.slice(0, -2).join();
  return dropoutP === 0 && q.ndim === k.ndim && q.ndim === v.ndim && lead(q) === lead(k) && lead(q) === lead(v);
}

/**
 * The attention core shared by every dot-product attention here: q is scaled BEFORE the product,
 * as PyTorch's MultiheadAttention does. `mask` is additive (float) and broadcasts to the scores.
 * q [..., L, E] · k [..., S, E] · v [..., S, Ev] → output [..., L, Ev], weights [..., L, S]
 */
export function attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null, scale: number, dropoutP: number, generator?: Generator): { output: Tensor; weights: Tensor } {
  let scores = matmulTransposed(q.mul(scale), k); // [..., L, E]·[..., E, S] → [..., L, S]
  if (mask) scores = scores.add(mask);
  let weights = scores.softmax(-1); // an all −∞ row → zeros (tensor-core's softmax)
  if (dropoutP > 0) weights = dropout(weights, dropoutP, true, generator);
  return { output: batchedMatmul(weights, v), weights }; // [..., L, S]·[..., S, Ev] → [..., L, Ev]
}

function checkShapes(op: string, q: Tensor, k: Tensor, v: Tensor): void {
  for (const [name, t] of [['q', q], ['k', k], ['v', v]] as const) {
    if (t.ndim < 2) throw new ShapeError(`${op}: ${name} must have at least 2 dims [..., len, dim], got ${fmtShape(t.shape)}`);
    if (t.dtype !== 'float32') throw new DTypeError(`${op}: ${name} must be float32, got ${t.dtype}`);
  }
  const E = q.shape[q.ndim - 1]!;
  if (k.shape[k.ndim - 1] !== E) throw new ShapeError(`${op}: k must end in the query dim E = ${E} ([..., S, E]), got ${fmtShape(k.shape)} for q ${fmtShape(q.shape)}`);
  if (v.shape[v.ndim - 2] !== k.shape[k.ndim - 2]) {
    throw new ShapeError(`${op}: k and v must have the same length S, got k ${fmtShape(k.shape)} and v ${fmtShape(v.shape)}`);
  }
  const batch = (t: Tensor) => t.shape.slice(0, -2);
  try {
    broadcastShapes(op, broadcastShapes(op, batch(q), batch(k)), batch(v));
  } catch {
    throw new ShapeError(`${op}: the leading dims of q ${fmtShape(q.shape)}, k ${fmtShape(k.shape)} and v ${fmtShape(v.shape)} do not broadcast`);
  }
}

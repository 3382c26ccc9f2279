// Scaled dot-product attention with `F.scaled_dot_product_attention`'s semantics, returning the
// attention weights on request (PyTorch's function never does).
import { broadcastShapes, DTypeError, dropout, fmtShape, fusedAttention, ShapeError, ValueError } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { assertBroadcastsTo, assertMaskDType, batchedMatmul, causalKeep, matmulTransposed, toAdditive } from './util.js';

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
  const [L, E] = q.shape.slice(-2) as [number, number];
  const S = k.shape[k.ndim - 2]!;
  const scoreShape = [...broadcastShapes(op, q.shape.slice(0, -2), k.shape.slice(0, -2)), L, S];
  if (attnMask) {
    assertMaskDType(op, 'attnMask', attnMask);
    assertBroadcastsTo(op, 'attnMask', attnMask, scoreShape, 'the scores [..., L, S]');
  }
  type W = O extends { returnWeights: true } ? Tensor : null;
  const s = scale ?? 1 / Math.sqrt(E);
  if (!returnWeights && canFuse(q, k, v, dropoutP)) {
    const output = fusedAttention(q, k, v, { mask: attnMask && toAdditive(attnMask, false), causal: isCausal, scale: s });
    return { output, weights: null as W };
  }
  // isCausal is top-left aligned, as PyTorch
  const mask = attnMask ? toAdditive(attnMask, false) : isCausal ? toAdditive(causalKeep(L, S), false) : null;
  const { output, weights } = attend(q, k, v, mask, s, dropoutP, generator);
  return { output, weights: (returnWeights ? weights : null) as W };
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

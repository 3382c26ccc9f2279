// Attention masks in one place: what `true` means in a bool mask is named in its type ({ keep } or
// { masked }), the causal mask is built here, and masks are checked here, for every package above.
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { arange, zeros } from './creation.js';

/** A mask whose bool `true` means "this query may attend to this key" (`F.scaled_dot_product_attention`'s convention). */
export interface KeepMask {
  readonly keep: Tensor;
}

/** A mask whose bool `true` means "hide this key" (`nn.MultiheadAttention`'s `attn_mask` and `key_padding_mask`). */
export interface MaskedMask {
  readonly masked: Tensor;
}

/** A mask with its polarity named. A float32 tensor inside is additive whichever name it carries. */
export type PolarMask = KeepMask | MaskedMask;

/**
 * The causal mask, top-left aligned as PyTorch's `is_causal`: query i (at position `offset + i`)
 * may attend to key j when j ≤ offset + i. `offset` is the number of earlier positions whose keys
 * are cached (0 without a cache). bool [L, S], built from comparisons (`tril` of a bool tensor is not bool).
 * @param L queries · @param S keys · @param offset earlier positions, default 0
 * @example causalKeep(2, 3, 1).keep // [[true, true, false], [true, true, true]]
 */
export function causalKeep(L: number, S: number, offset = 0): KeepMask {
  for (const [name, n] of [['L', L], ['S', S], ['offset', offset]] as const) {
    if (!Number.isInteger(n) || n < 0) throw new ValueError(`causalKeep: ${name} must be a non-negative integer, got ${n}`);
  }
  return { keep: arange(S).unsqueeze(0).le(arange(offset, offset + L).unsqueeze(1)) }; // [1, S] ≤ [L, 1] → [L, S]
}

/**
 * The additive form of a mask, to add to the scores: a float32 mask is returned as is; a bool one
 * becomes 0 where attended and −∞ where hidden, read by the polarity it is wrapped in.
 * @example toAdditiveMask({ keep: tensor([true, false]) }) // [0, −∞]
 * @example toAdditiveMask({ masked: tensor([true, false]) }) // [−∞, 0]
 */
export function toAdditiveMask(mask: PolarMask): Tensor {
  const [m, hidden] = 'keep' in mask ? [mask.keep, (t: Tensor) => t.logicalNot()] : [mask.masked, (t: Tensor) => t];
  if (m.dtype !== 'bool') return m;
  return zeros(m.shape).maskedFill(hidden(m), -Infinity);
}

/**
 * Throws a `DTypeError` unless `mask`'s dtype is a key of `accepts`; each value says what that
 * dtype means, for the message (empty: nothing to say), and `hint` how to fix it.
 * @example assertMaskDType('MultiheadAttention.forward', 'attnMask', m, { bool: 'true = masked out', float32: 'added to the scores' })
 */
export function assertMaskDType(op: string, name: string, mask: Tensor, accepts: { readonly bool?: string; readonly float32?: string }, hint?: string): void {
  if (Object.hasOwn(accepts, mask.dtype)) return;
  const expected = Object.entries(accepts).map(([dtype, means]) => (means ? `${dtype} (${means})` : dtype)).join(' or ');
  throw new DTypeError(`${op}: ${name} must be ${expected}, got ${mask.dtype}${hint ? `; ${hint}` : ''}`);
}

/**
 * Throws a `ShapeError` unless `mask` broadcasts to exactly `target` (a mask may not grow the
 * scores); `targetName` names the target in the message, e.g. `'the scores [..., L, S]'`.
 */
export function assertMaskBroadcasts(op: string, name: string, mask: Tensor, target: readonly number[], targetName: string): void {
  let fits = mask.ndim <= target.length;
  try {
    fits &&= shapesEqual(broadcastShapes(op, mask.shape, target), target);
  } catch {
    fits = false;
  }
  if (!fits) throw new ShapeError(`${op}: ${name} must broadcast to ${targetName} = ${fmtShape(target)}, got ${fmtShape(mask.shape)}`);
}

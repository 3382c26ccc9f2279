// Mask helpers with explicit names, so that no reader has to guess what `true` means. They are
// built on tensor-core's mask module (polarity-named masks, the causal mask, mask checks), whose
// public helpers are re-exported here beside them.
import { assertMaskDType, broadcastShapes, causalKeep, DTypeError, fmtShape, ShapeError, toAdditiveMask, ValueError, zeros } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { MASK_DTYPE_HINT, MASK_DTYPES } from './util.js';

export { causalKeep, toAdditiveMask } from '@qkv/tensor-core';
export type { KeepMask, MaskedMask, PolarMask } from '@qkv/tensor-core';

/**
 * The causal mask of `nn.Transformer.generate_square_subsequent_mask(size)`: a float [size, size]
 * tensor with −∞ above the diagonal (future positions) and 0 on and below it. Float masks are
 * added to the scores, so it means the same to `scaledDotProductAttention` and to
 * `MultiheadAttention`.
 * @example causalMask(3) // [[0, -∞, -∞], [0, 0, -∞], [0, 0, 0]]
 */
export function causalMask(size: number): Tensor {
  if (!Number.isInteger(size) || size <= 0) throw new ValueError(`causalMask: size must be a positive integer, got ${size}`);
  return toAdditiveMask(causalKeep(size, size));
}

/**
 * A key padding mask: bool, `true` where `ids` equals `padId` (PyTorch's `key_padding_mask`
 * convention: `true` = ignore this key). Any shape; usually ids [N, S] → [N, S].
 * @example paddingMask(tensor([[5, 7, 0]], { dtype: 'int32' }), 0) // [[false, false, true]]
 */
export function paddingMask(ids: Tensor, padId: number): Tensor {
  if (ids.dtype !== 'int32') throw new DTypeError(`paddingMask: ids must be int32, got ${ids.dtype}`);
  return ids.eq(padId);
}

/** Options of `combineMasks`. */
export interface CombineMasksOptions {
  /**
   * What a `true` in a bool mask means: `'maskedOut'` (default; `MultiheadAttention`'s and
   * `paddingMask`'s convention) or `'keep'` (`scaledDotProductAttention`'s convention).
   */
  boolMeans?: 'maskedOut' | 'keep';
}

/**
 * Combines masks into one float mask (0 = attend, −∞ = masked, other values added), which
 * `scaledDotProductAttention` and `MultiheadAttention` read the same way. Float masks are summed;
 * bool masks first become 0 / −∞. Shapes broadcast as NumPy's do, so give a key padding mask its
 * query axis first: [N, S] → `.unsqueeze(1)` [N, 1, S]. `null` / `undefined` entries are skipped.
 * @example combineMasks(causalMask(T), paddingMask(ids, 0).unsqueeze(1)) // [N, T, T]
 * @example combineMasks([sdpaBoolMask, other], { boolMeans: 'keep' })
 */
export function combineMasks(...args: (Tensor | null | undefined)[] | [(Tensor | null | undefined)[], CombineMasksOptions?]): Tensor {
  const [list, options] = Array.isArray(args[0]) ? [args[0], (args[1] ?? {}) as CombineMasksOptions] : [args as (Tensor | null | undefined)[], {}];
  const masks = list.filter((m): m is Tensor => m != null);
  if (masks.length === 0) throw new ValueError('combineMasks: expected at least one mask, got none');
  masks.forEach((m, i) => assertMaskDType('combineMasks', `masks[${i}]`, m, MASK_DTYPES, MASK_DTYPE_HINT));
  const shapes = masks.map((m) => m.shape);
  try {
    shapes.reduce((a, b) => broadcastShapes('combineMasks', a, b));
  } catch {
    throw new ShapeError(`combineMasks: mask shapes ${shapes.map(fmtShape).join(', ')} do not broadcast together; give a [N, S] padding mask a query axis first ([N, 1, S])`);
  }
  const polar = (options.boolMeans ?? 'maskedOut') === 'maskedOut' ? (m: Tensor) => ({ masked: m }) : (m: Tensor) => ({ keep: m });
  return masks.map((m) => toAdditiveMask(polar(m))).reduce((a, b) => a.add(b));
}

/**
 * The course's convention as a float mask: positions where `mask == 0` get `fill` (default −1e9),
 * the others 0; add it to the scores, or pass it as `attnMask` to either API. It is the one-liner
 * `scores.maskedFill(mask.eq(0), -1e9)` in mask form. Unlike −∞, −1e9 gives a row whose keys are
 * all masked uniform weights (what the course's code and PyTorch then give), not zeros.
 * @example additiveMask(srcMask) // srcMask: 1 = attend, 0 = padding, any dtype
 */
export function additiveMask(mask: Tensor, fill = -1e9): Tensor {
  return zeros(mask.shape).maskedFill(mask.eq(0), fill);
}

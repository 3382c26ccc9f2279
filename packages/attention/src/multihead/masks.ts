// MultiheadAttention's masks: check every shape and dtype PyTorch accepts, then turn them into one
// additive mask that broadcasts to the scores [N, H, L, S].
import { assertMaskDType, causalKeep, fmtShape, pad, ShapeError, toAdditiveMask } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

const OP = 'MultiheadAttention.forward';

/** The masks as given to `forward`, and the sizes they are checked against. */
export interface MaskInputs {
  attnMask: Tensor | null;
  keyPaddingMask: Tensor | null;
  isCausal: boolean;
  batched: boolean;
  /** N batch · H heads · L target length · S source length (before bias_k / zero_attn) */
  N: number;
  H: number;
  L: number;
  S: number;
  /** Extra key columns the module appends (bias_k, zero_attn), which no mask hides. */
  extraKeys: number;
}

function assertDType(name: string, mask: Tensor): void {
  assertMaskDType(OP, name, mask, { bool: 'true = masked out', float32: 'added to the scores' });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** attnMask → additive [1, 1, L, S] or [N, H, L, S]. Accepts (L, S) and (N·H, L, S). */
function attentionMask(m: MaskInputs): Tensor | null {
  const { attnMask, N, H, L, S } = m;
  if (!attnMask) return m.isCausal ? toAdditiveMask(causalKeep(L, S)).reshape([1, 1, L, S]) : null;
  assertDType('attnMask', attnMask);
  if (attnMask.ndim === 2) {
    if (!sameShape(attnMask.shape, [L, S])) throw new ShapeError(`${OP}: a 2-d attnMask must be [L, S] = ${fmtShape([L, S])}, got ${fmtShape(attnMask.shape)}`);
    return toAdditiveMask({ masked: attnMask }).reshape([1, 1, L, S]);
  }
  if (attnMask.ndim === 3) {
    const expected = [N * H, L, S];
    const legend = m.batched ? '[N·H, L, S]' : '[H, L, S]';
    if (!sameShape(attnMask.shape, expected)) throw new ShapeError(`${OP}: a 3-d attnMask must be ${legend} = ${fmtShape(expected)}, got ${fmtShape(attnMask.shape)}`);
    return toAdditiveMask({ masked: attnMask }).reshape([N, H, L, S]);
  }
  throw new ShapeError(`${OP}: attnMask must be 2-d [L, S] = ${fmtShape([L, S])} or 3-d [N·H, L, S] = ${fmtShape([N * H, L, S])}, got ${fmtShape(attnMask.shape)}`);
}

/** keyPaddingMask [N, S] (unbatched: [S]) → additive [N, 1, 1, S]. */
function keyPaddingToAdditive(m: MaskInputs): Tensor | null {
  const { keyPaddingMask, N, S } = m;
  if (!keyPaddingMask) return null;
  assertDType('keyPaddingMask', keyPaddingMask);
  const expected = m.batched ? [N, S] : [S];
  if (!sameShape(keyPaddingMask.shape, expected)) {
    throw new ShapeError(`${OP}: keyPaddingMask must be ${m.batched ? '[N, S]' : '[S]'} = ${fmtShape(expected)}, got ${fmtShape(keyPaddingMask.shape)}`);
  }
  return toAdditiveMask({ masked: keyPaddingMask }).reshape([N, 1, 1, S]);
}

/** What `mergeMasks` gives the attention core: an additive mask and whether causality is still to apply. */
export interface MergedMasks {
  /** Broadcasts to the scores [N, H, L, S + extraKeys]; null when nothing is masked by a tensor. */
  mask: Tensor | null;
  /** isCausal with no other mask and no appended keys: left to the attention core (the fused kernel's flag). */
  causal: boolean;
}

/**
 * One additive mask broadcastable to the scores [N, H, L, S + extraKeys], or null. bool masks mean
 * `true` = masked out (PyTorch's convention for this module); float masks are added. The keys
 * the module appends (bias_k, zero_attn) get 0, i.e. stay visible, as PyTorch pads its masks.
 * isCausal alone is returned as `causal: true` and no mask is built for it here.
 */
export function mergeMasks(m: MaskInputs): MergedMasks {
  if (m.isCausal && !m.attnMask && !m.keyPaddingMask && m.extraKeys === 0) return { mask: null, causal: true };
  const parts = [attentionMask(m), keyPaddingToAdditive(m)].filter((x): x is Tensor => x !== null);
  if (parts.length === 0) return { mask: null, causal: false };
  const merged = parts.length === 2 ? parts[0]!.add(parts[1]!) : parts[0]!;
  return { mask: m.extraKeys > 0 ? pad(merged, [0, m.extraKeys]) : merged, causal: false };
}

// MultiheadAttention's masks: check every shape and dtype PyTorch accepts, then turn them into one
// additive mask that broadcasts to the scores [N, H, L, S].
import { DTypeError, fmtShape, pad, ShapeError } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { causalKeep, toAdditive } from '../util.js';

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
  if (mask.dtype !== 'bool' && mask.dtype !== 'float32') {
    throw new DTypeError(`${OP}: ${name} must be bool (true = masked out) or float32 (added to the scores), got ${mask.dtype}`);
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** attnMask → additive [1, 1, L, S] or [N, H, L, S]. Accepts (L, S) and (N·H, L, S). */
function attentionMask(m: MaskInputs): Tensor | null {
  const { attnMask, N, H, L, S } = m;
  if (!attnMask) return m.isCausal ? toAdditive(causalKeep(L, S), false).reshape([1, 1, L, S]) : null;
  assertDType('attnMask', attnMask);
  if (attnMask.ndim === 2) {
    if (!sameShape(attnMask.shape, [L, S])) throw new ShapeError(`${OP}: a 2-d attnMask must be [L, S] = ${fmtShape([L, S])}, got ${fmtShape(attnMask.shape)}`);
    return toAdditive(attnMask, true).reshape([1, 1, L, S]);
  }
  if (attnMask.ndim === 3) {
    const expected = [N * H, L, S];
    const legend = m.batched ? '[N·H, L, S]' : '[H, L, S]';
    if (!sameShape(attnMask.shape, expected)) throw new ShapeError(`${OP}: a 3-d attnMask must be ${legend} = ${fmtShape(expected)}, got ${fmtShape(attnMask.shape)}`);
    return toAdditive(attnMask, true).reshape([N, H, L, S]);
  }
  throw new ShapeError(`${OP}: attnMask must be 2-d [L, S] = ${fmtShape([L, S])} or 3-d [N·H, L, S] = ${fmtShape([N * H, L, S])}, got ${fmtShape(attnMask.shape)}`);
}

/** keyPaddingMask [N, S] (unbatched: [S]) → additive [N, 1, 1, S]. */
function paddingMask(m: MaskInputs): Tensor | null {
  const { keyPaddingMask, N, S } = m;
  if (!keyPaddingMask) return null;
  assertDType('keyPaddingMask', keyPaddingMask);
  const expected = m.batched ? [N, S] : [S];
  if (!sameShape(keyPaddingMask.shape, expected)) {
    throw new ShapeError(`${OP}: keyPaddingMask must be ${m.batched ? '[N, S]' : '[S]'} = ${fmtShape(expected)}, got ${fmtShape(keyPaddingMask.shape)}`);
  }
  return toAdditive(keyPaddingMask, true).reshape([N, 1, 1, S]);
}

/**
 * One additive mask broadcastable to the scores [N, H, L, S + extraKeys], or null. bool masks mean
 * `true` = masked out (PyTorch's convention for this module); float masks are added. The keys
 * the module appends (bias_k, zero_attn) get 0, i.e. stay visible, as PyTorch pads its masks.
 */
export function mergeMasks(m: MaskInputs): Tensor | null {
  const parts = [attentionMask(m), paddingMask(m)].filter((x): x is Tensor => x !== null);
  if (parts.length === 0) return null;
  const merged = parts.length === 2 ? parts[0]!.add(parts[1]!) : parts[0]!;
  return m.extraKeys > 0 ? pad(merged, [0, m.extraKeys]) : merged;
}

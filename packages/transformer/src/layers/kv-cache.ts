// Multi-head attention over cached keys and values, for decoding one position at a time. The maths
// and parameters are MultiheadAttention's (in_proj_weight, in_proj_bias, out_proj), split apart so
// that each key and value is projected once: the decoder's own when its position arrives, the
// encoder memory's once per source, instead of on every step.
import { scaledDotProductAttention } from '@qkv/attention';
import type { MultiheadAttention } from '@qkv/attention';
import { affine } from '@qkv/nn';
import { causalKeep, dims, toAdditiveMask, ValueError } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

/** The keys and values of one attention, split into heads: each [N, H, len, D]. */
export interface KeyValue {
  key: Tensor;
  value: Tensor;
}

/** One decoder layer's cache, batch-first. N rows · H heads · t positions so far · S source · D head dim. */
export interface DecoderLayerCache {
  /** Self-attention keys and values of the t positions decoded so far, [N, H, t, D]; null while t = 0. */
  self: KeyValue | null;
  /** Cross-attention keys and values of the memory, [N, H, S, D]: projected once per source. */
  cross: KeyValue;
}

/** Additive masks (0 = attend, −∞ = hidden) of one cached decoder step, shared by every layer. */
export interface DecoderStepMasks {
  /** Self-attention, [N, 1, T, t + T]: later positions and target padding hidden. */
  self: Tensor;
  /** Cross-attention, [N, 1, 1, S]: source padding hidden; null when there is none. */
  cross: Tensor | null;
}

/**
 * The masks of a step that feeds T new positions after t cached ones: position t + i sees keys
 * 0 … t + i that are not padding. tgtKeyPaddingMask [N, t + T] and memoryKeyPaddingMask [N, S]
 * follow MultiheadAttention (bool `true` = padding, float added).
 */
export function decoderStepMasks(t: number, T: number, tgtKeyPaddingMask: Tensor | null, memoryKeyPaddingMask: Tensor | null): DecoderStepMasks {
  const causal = toAdditiveMask(causalKeep(T, t + T, t)); // [T, t + T], −∞ where the key comes after the query
  const self = tgtKeyPaddingMask ? keyMask(tgtKeyPaddingMask).add(causal) : causal.reshape([1, 1, T, t + T]);
  return { self, cross: memoryKeyPaddingMask ? keyMask(memoryKeyPaddingMask) : null };
}

/** A key padding mask [N, len] → additive [N, 1, 1, len]. */
function keyMask(keyPaddingMask: Tensor): Tensor {
  const [N, len] = dims(keyPaddingMask, 2, 'decoderStepMasks', 'N, len');
  return toAdditiveMask({ masked: keyPaddingMask }).reshape([N, 1, 1, len]);
}

/** [N, len, E] → [N, H, len, D] */
function heads(mha: MultiheadAttention, x: Tensor): Tensor {
  const [N, len] = dims(x, 3, 'TransformerDecoderLayer', 'N, len, E');
  return x.reshape([N, len, mha.numHeads, mha.headDim]).permute(0, 2, 1, 3);
}

/** Throws for the MultiheadAttention options the cached path does not implement (a decoder layer never sets them). */
function assertCacheable(mha: MultiheadAttention): void {
  if (mha.biasK || mha.addZeroAttn) throw new ValueError('TransformerDecoderLayer.forwardWithCache: a MultiheadAttention with bias_k/bias_v or add_zero_attn has no cached path');
}

/** The query (0), key (1) or value (2) projection of `mha`: weight [E, ·] and bias [E] (or null). */
function inProjection(mha: MultiheadAttention, which: 0 | 1 | 2): [Tensor, Tensor | null] {
  const E = mha.embedDim;
  const weight = mha.inProjWeight ? mha.inProjWeight.narrow(0, which * E, E) : [mha.qProjWeight, mha.kProjWeight, mha.vProjWeight][which]!;
  return [weight, mha.inProjBias ? mha.inProjBias.narrow(0, which * E, E) : null];
}

/** `mha`'s projection `which` of x [N, len, ·] → [N, H, len, D]. */
function project(mha: MultiheadAttention, x: Tensor, which: 0 | 1 | 2): Tensor {
  const [weight, bias] = inProjection(mha, which);
  return heads(mha, affine(x, weight, bias));
}

/** Self-attention's queries, keys and values of the T new positions x [N, T, E], each [N, H, T, D]. */
export function projectSelf(mha: MultiheadAttention, x: Tensor): [Tensor, Tensor, Tensor] {
  assertCacheable(mha);
  if (!mha.inProjWeight) return [project(mha, x, 0), project(mha, x, 1), project(mha, x, 2)];
  const [q, k, v] = affine(x, mha.inProjWeight, mha.inProjBias).split(mha.embedDim, -1) as [Tensor, Tensor, Tensor]; // one GEMM, as MultiheadAttention
  return [heads(mha, q), heads(mha, k), heads(mha, v)];
}

/** Cross-attention's queries of x [N, T, E] → [N, H, T, D]. */
export function projectQuery(mha: MultiheadAttention, x: Tensor): Tensor {
  assertCacheable(mha);
  return project(mha, x, 0);
}

/** The keys and values of `memory` [N, S, E] for cross-attention, each [N, H, S, D]. */
export function projectMemory(mha: MultiheadAttention, memory: Tensor): KeyValue {
  assertCacheable(mha);
  return { key: project(mha, memory, 1), value: project(mha, memory, 2) };
}

/**
 * softmax(q·kᵀ/√D + mask)·v per head, then out_proj, as MultiheadAttention without weights:
 * `scaledDotProductAttention` runs it as one fused kernel, or composed when dropout on the weights
 * is active (training).
 * q [N, H, T, D] · key/value [N, H, S, D] · mask broadcasting to [N, H, T, S] → [N, T, E]
 */
export function attendCached(mha: MultiheadAttention, q: Tensor, { key, value }: KeyValue, mask: Tensor | null): Tensor {
  const [N, H, T, D] = dims(q, 4, 'TransformerDecoderLayer.forwardWithCache', 'N, H, T, D');
  const { output } = scaledDotProductAttention(q, key, value, { attnMask: mask, dropoutP: mha.training ? mha.dropout : 0, generator: mha.generator }); // [N, H, T, D]
  return mha.outProj.forward(output.permute(0, 2, 1, 3).reshape([N, T, H * D])); // [N, H, T, D] → [N, T, E]
}

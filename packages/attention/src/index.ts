/**
 * @qkv/attention — scaled dot-product attention (`F.scaled_dot_product_attention`), multi-head
 * attention (`nn.MultiheadAttention`), Bahdanau and Luong attention for RNN decoders, and mask
 * helpers. Every attention returns its weights on request.
 *
 * Shape legend: N batch · L target (query) length · S source (key) length · E embed dim ·
 * H heads · D = E / H head dim.
 */
export { scaledDotProductAttention } from './scaled-dot-product.js';
export type { SdpaOptions, SdpaResult } from './scaled-dot-product.js';
export { additiveMask, causalKeep, causalMask, combineMasks, paddingMask, toAdditiveMask } from './masks.js';
export type { CombineMasksOptions, KeepMask, MaskedMask, PolarMask } from './masks.js';
export { MultiheadAttention } from './multihead/multihead-attention.js';
export type { MultiheadAttentionForwardOptions, MultiheadAttentionOptions } from './multihead/multihead-attention.js';
export { AdditiveAttention } from './rnn/additive.js';
export type { AdditiveAttentionOptions } from './rnn/additive.js';
export { DotProductAttention, GeneralAttention } from './rnn/luong.js';
export type { SourceAttentionOptions, SourceAttentionResult } from './rnn/attend-keys.js';

/**
 * @qkv/transformer — positional encodings, PyTorch-faithful Transformer layers and stacks that can
 * return every attention weight, the course's models, and decoding (greedy, beam, sampling).
 *
 * Shape legend: B batch · T target length · S source length · E = dModel · H heads · D = E / H ·
 * V vocabulary · N rows being decoded (batch × beams).
 */
export { SinusoidalPositionalEncoding, sinusoidalTable } from './positional/sinusoidal.js';
export type { SinusoidalOptions } from './positional/sinusoidal.js';
export { LearnedPositionalEmbedding } from './positional/learned.js';
export type { LearnedPositionalOptions } from './positional/learned.js';
export { RotaryEmbedding } from './positional/rotary.js';
export type { RotaryOptions } from './positional/rotary.js';

// Sampling: temperature, top-k and nucleus (top-p) filtering, drawn from a seeded generator.
import { dims, Generator, ValueError } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { runDecode } from './loop.js';
import type { DecodeOptions, DecodeStepper } from './stepper.js';

/** Options of `sample`. */
export interface SampleOptions extends DecodeOptions {
  /** Logits are divided by it: < 1 sharpens, > 1 flattens (default 1). Must be > 0. */
  temperature?: number;
  /** Keep only the k most likely tokens (ties with the k-th kept too); default: all. */
  topK?: number | null;
  /** Keep the smallest set of most likely tokens whose probability reaches p (default 1: all). */
  topP?: number;
  /** Random source; default `new Generator(seed ?? 0)`. */
  generator?: Generator;
  /** Seed of the default generator (default 0). */
  seed?: number;
}

function checkSampleOptions(o: SampleOptions): void {
  const { temperature = 1, topK = null, topP = 1 } = o;
  if (!(temperature > 0)) throw new ValueError(`sample: temperature must be > 0, got ${temperature} (use greedyDecode for argmax)`);
  if (topK !== null && !(Number.isInteger(topK) && topK >= 1)) throw new ValueError(`sample: topK must be a positive integer, got ${topK}`);
  if (!(topP > 0 && topP <= 1)) throw new ValueError(`sample: topP must be in (0, 1], got ${topP}`);
}

/**
 * The distribution `sample` draws from for one row of logits: softmax(logits / temperature),
 * restricted to the top-k tokens, then to the top-p nucleus, renormalised.
 * @example filteredProbabilities([2, 1, 0], { topK: 2 }) // [0.731, 0.269, 0]
 */
export function filteredProbabilities(logits: ArrayLike<number>, options: Pick<SampleOptions, 'temperature' | 'topK' | 'topP'> = {}): Float64Array {
  const { temperature = 1, topK = null, topP = 1 } = options;
  const V = logits.length;
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]!);
  const kth = topK === null || topK >= V ? -Infinity : logits[order[topK - 1]!]!;
  const probs = new Float64Array(V);
  const max = logits[order[0]!]!;
  let total = 0;
  for (let i = 0; i < V; i++) {
    if (logits[i]! < kth) continue;
    probs[i] = Math.exp((logits[i]! - max) / temperature);
    total += probs[i]!;
  }
  for (let i = 0; i < V; i++) probs[i]! /= total;
  if (topP < 1) {
    let cumulative = 0;
    let cut = false;
    for (const i of order) {
      if (cut) probs[i] = 0;
      cumulative += probs[i]!;
      if (cumulative >= topP) cut = true; // the token that crosses p stays in
    }
    const kept = probs.reduce((a, b) => a + b, 0);
    for (let i = 0; i < V; i++) probs[i]! /= kept;
  }
  return probs;
}

/** One index drawn from `probs` with a uniform u ∈ [0, 1). */
function draw(probs: Float64Array, u: number): number {
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i]! === 0) continue;
    cumulative += probs[i]!;
    last = i;
    if (u < cumulative) return i;
  }
  return last;
}

/**
 * Samples each next token from the model's filtered distribution (see `filteredProbabilities`),
 * reproducibly for a given seed. B batch · T0 prompt length · n new tokens.
 * @returns int32 [B, T0 + n], as `greedyDecode`.
 * @example sample(gpt.stepper(), { prompt, maxNewTokens: 50, temperature: 0.8, topK: 20, topP: 0.95, seed: 1 })
 */
export function sample<S>(stepper: DecodeStepper<S>, options: SampleOptions): Tensor {
  checkSampleOptions(options);
  const g = options.generator ?? new Generator(options.seed ?? 0);
  return runDecode('sample', stepper, options, (logits) => {
    const [N, V] = dims(logits, 2, 'sample', 'N, V');
    const values = logits.dataSync();
    return Array.from({ length: N }, (_, n) => draw(filteredProbabilities(values.subarray(n * V, (n + 1) * V), options), g.next()));
  });
}

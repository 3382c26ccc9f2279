// A GPT decoding stepper that can run past the model's context: it keeps the whole prefix and
// feeds only its last `blockSize` tokens (the cache-free way nanoGPT's generate() crops), and can
// rule out ids the model never saw in training (special tokens).
import { cat, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { DecodeStepper, GPT } from '@qkv/transformer';

/**
 * A `DecodeStepper` over `model` whose context slides: N rows · t tokens · V vocabulary.
 * `bannedIds` get logit −∞, so they are never chosen.
 * @example sample(croppedStepper(gpt, 128, [0, 1, 2, 3]), { prompt, maxNewTokens: 500 })
 */
export function croppedStepper(model: GPT, blockSize: number, bannedIds: readonly number[] = []): DecodeStepper<{ prefix: Tensor | null }> {
  const V = model.config.vocabSize;
  const bias = new Float32Array(V);
  for (const id of bannedIds) bias[id] = -Infinity;
  return {
    init: () => ({ prefix: null }),
    step: (tokens, state) => {
      const prefix = state.prefix ? cat([state.prefix, tokens], 1) : tokens; // [N, t]
      const t = prefix.shape[1]!;
      const context = t > blockSize ? prefix.narrow(1, t - blockSize, blockSize) : prefix;
      const logits = model.forward(context).select(1, -1); // [N, V]
      return { logits: bannedIds.length ? logits.add(tensor(bias, { shape: [V] })) : logits, state: { prefix } };
    },
    select: (state, index) => ({ prefix: state.prefix ? state.prefix.indexSelect(0, index) : null }),
  };
}

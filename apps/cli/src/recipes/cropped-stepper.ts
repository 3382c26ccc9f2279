// A GPT decoding stepper that can run past the model's context: it keeps the whole prefix and
// feeds only its last `blockSize` tokens (the cache-free way nanoGPT's generate() crops).
import { cat } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { DecodeStepper, GPT } from '@qkv/transformer';

/**
 * A `DecodeStepper` over `model` whose context slides: N rows · t tokens · V vocabulary.
 * @example sample(croppedStepper(gpt, 128), { prompt, maxNewTokens: 500 })
 */
export function croppedStepper(model: GPT, blockSize: number): DecodeStepper<{ prefix: Tensor | null }> {
  return {
    init: () => ({ prefix: null }),
    step: (tokens, state) => {
      const prefix = state.prefix ? cat([state.prefix, tokens], 1) : tokens; // [N, t]
      const t = prefix.shape[1]!;
      const context = t > blockSize ? prefix.narrow(1, t - blockSize, blockSize) : prefix;
      return { logits: model.forward(context).select(1, -1), state: { prefix } }; // [N, V]
    },
    select: (state, index) => ({ prefix: state.prefix ? state.prefix.indexSelect(0, index) : null }),
  };
}

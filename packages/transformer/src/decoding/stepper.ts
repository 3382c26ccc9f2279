// The one interface every decoding strategy drives: a sequence model seen one step at a time.
import type { Tensor } from '@qkv/tensor-core';

/**
 * A sequence model as the decoders see it. N rows being decoded (batch × beams) · t new tokens ·
 * V vocabulary. `S` is the model's own state: a KV cache, a GRU hidden state, or the prefix.
 * Each model builds one with its `stepper(...)` method.
 */
export interface DecodeStepper<S> {
  /** State for `batch` rows before any token was fed. */
  init(batch: number): S;
  /**
   * Feeds `tokens` int32 [N, t] (the prompt first, then one token at a time) and returns the
   * next-token logits [N, V] after the last of them, with the updated state.
   */
  step(tokens: Tensor, state: S): { logits: Tensor; state: S };
  /** The state of the rows `index` int32 [N'] (beams reordered, repeated or dropped). */
  select(state: S, index: Tensor): S;
}

/** Options every decoding strategy shares. */
export interface DecodeOptions {
  /** The tokens to start from, int32 [B, T0] (a BOS column, or a prompt). */
  prompt: Tensor;
  /** Tokens to add at most (default 32). */
  maxNewTokens?: number;
  /** A row stops once it emits this token; later positions are filled with it. */
  eosId?: number;
}

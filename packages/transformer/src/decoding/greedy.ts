// Greedy decoding: the most likely next token, every step.
import { dims } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { runDecode } from './loop.js';
import type { DecodeOptions, DecodeStepper } from './stepper.js';

/**
 * Greedy decoding: argmax of the logits at every step, until `maxNewTokens` or until every row
 * has emitted `eosId`. B batch · T0 prompt length · n new tokens.
 * @returns int32 [B, T0 + n]: the prompt followed by the generated tokens (rows that stopped
 *   early are filled with `eosId`).
 * @example const out = greedyDecode(model.stepper(src), { prompt: bos, maxNewTokens: 20, eosId: 2 })
 */
export function greedyDecode<S>(stepper: DecodeStepper<S>, options: DecodeOptions): Tensor {
  return runDecode('greedyDecode', stepper, options, (logits) => {
    const [N, V] = dims(logits, 2, 'greedyDecode', 'N, V');
    const values = logits.dataSync();
    return Array.from({ length: N }, (_, n) => {
      let best = 0;
      for (let v = 1; v < V; v++) if (values[n * V + v]! > values[n * V + best]!) best = v;
      return best;
    });
  });
}

// A tensor of the wrong rank gets a ShapeError naming the public function, the rank and the shape
// legend it expected, and the shape it got — never a NaN shape further down.
import { describe, expect, it } from 'vitest';
import { ShapeError, tensor, zeros } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { CausalSelfAttention, decoderStepMasks, greedyDecode, sample } from '../src/index.js';
import type { DecodeStepper } from '../src/index.js';

/** A stepper whose logits have a wrong rank: [N, 1, V] instead of [N, V]. */
function stepperWithLogits(logits: () => Tensor): DecodeStepper<null> {
  return { init: () => null, step: () => ({ logits: logits(), state: null }), select: () => null };
}

describe('rank checks', () => {
  it('CausalSelfAttention.forward wants x [B, T, E]', () => {
    const attn = new CausalSelfAttention({ vocabSize: 5, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 });
    expect(() => attn.forward(zeros([4, 8]))).toThrow(new ShapeError('CausalSelfAttention.forward: expected a 3-d tensor [B, T, E], got [4,8]'));
  });

  it('greedyDecode and sample want logits [N, V] from the stepper', () => {
    const prompt = tensor([[1]], { dtype: 'int32' });
    const stepper = stepperWithLogits(() => zeros([1, 1, 4]));
    expect(() => greedyDecode(stepper, { prompt, maxNewTokens: 2 })).toThrow(new ShapeError('greedyDecode: expected a 2-d tensor [N, V], got [1,1,4]'));
    expect(() => sample(stepper, { prompt, maxNewTokens: 2, seed: 1 })).toThrow(new ShapeError('sample: expected a 2-d tensor [N, V], got [1,1,4]'));
  });

  it('decoderStepMasks wants key padding masks [N, len]', () => {
    expect(() => decoderStepMasks(0, 3, tensor([false, false, true]), null)).toThrow(new ShapeError('decoderStepMasks: expected a 2-d tensor [N, len], got [3]'));
    expect(() => decoderStepMasks(0, 3, null, zeros([1, 1, 4], { dtype: 'bool' }))).toThrow(ShapeError);
  });
});

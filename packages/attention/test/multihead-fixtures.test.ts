import { describe, expect, it } from 'vitest';
import { expectClose } from '@qkv/tensor-core/testing';
import type { MhaCase } from './helpers.js';
import { buildMha, decode, loadFixture } from './helpers.js';

describe('MultiheadAttention: golden values from the numpy port of nn.MultiheadAttention', () => {
  for (const c of loadFixture<MhaCase[]>('mha')) {
    it(`matches the fixture '${c.name}' after loading PyTorch's state dict strictly`, () => {
      const mha = buildMha(c).eval();
      const stateDict = Object.fromEntries(Object.entries(c.state_dict).map(([k, v]) => [k, decode(v)]));
      expect(Object.keys(mha.stateDict()).sort()).toEqual(Object.keys(stateDict).sort());
      mha.loadStateDict(stateDict, { strict: true });
      const [output, weights] = mha.forward(decode(c.query), decode(c.key), decode(c.value), {
        attnMask: c.attn_mask ? decode(c.attn_mask) : null,
        keyPaddingMask: c.key_padding_mask ? decode(c.key_padding_mask) : null,
        averageAttnWeights: c.forward.average_attn_weights ?? true,
      });
      expectClose(output, decode(c.output), { atol: 2e-5, rtol: 1e-4 });
      expectClose(weights!, decode(c.weights), { atol: 1e-6, rtol: 1e-4 });
    });
  }
});

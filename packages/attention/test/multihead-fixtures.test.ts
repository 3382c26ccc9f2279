import { describe, expect, it } from 'vitest';
import { expectClose } from '@qkv/tensor-core/testing';
import { MultiheadAttention } from '../src/index.js';
import type { MultiheadAttentionOptions } from '../src/index.js';
import type { EncodedArray } from './helpers.js';
import { decode, loadFixture } from './helpers.js';

interface MhaCase {
  name: string;
  embed_dim: number;
  num_heads: number;
  ctor: { kdim?: number; vdim?: number; bias?: boolean; add_bias_kv?: boolean; add_zero_attn?: boolean; batch_first?: boolean };
  forward: { average_attn_weights?: boolean };
  state_dict: Record<string, EncodedArray>;
  query: EncodedArray;
  key: EncodedArray;
  value: EncodedArray;
  attn_mask?: EncodedArray;
  key_padding_mask?: EncodedArray;
  output: EncodedArray;
  weights: EncodedArray;
}

/** The module a fixture describes, built with PyTorch's constructor arguments. */
function build(c: MhaCase): MultiheadAttention {
  const options: MultiheadAttentionOptions = {
    kdim: c.ctor.kdim,
    vdim: c.ctor.vdim,
    bias: c.ctor.bias,
    addBiasKv: c.ctor.add_bias_kv,
    addZeroAttn: c.ctor.add_zero_attn,
    batchFirst: c.ctor.batch_first,
  };
  return new MultiheadAttention(c.embed_dim, c.num_heads, options);
}

describe('MultiheadAttention: golden values from the numpy port of nn.MultiheadAttention', () => {
  for (const c of loadFixture<MhaCase[]>('mha')) {
    it(`matches the fixture '${c.name}' after loading PyTorch's state dict strictly`, () => {
      const mha = build(c).eval();
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

import { describe, expect, it } from 'vitest';
import { causalMask, paddingMask } from '@qkv/attention';
import { LayerNorm } from '@qkv/nn';
import { Generator, ShapeError, ValueError, randn, tensor, zeros } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import { Transformer, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer } from '../src/index.js';
import type { Activation } from '../src/index.js';
import { loadFixture } from './fixtures.js';

const tol = { atol: 2e-5, rtol: 1e-4 };

describe('TransformerEncoderLayer against the numpy reference of PyTorch', () => {
  for (const name of ['encoder_layer_post_relu', 'encoder_layer_pre_gelu']) {
    it(`${name}: loads PyTorch's state dict strictly and matches output and per-head weights`, () => {
      const { config, inputs, stateDict, outputs } = loadFixture(name);
      const layer = new TransformerEncoderLayer(config.d_model as number, config.nhead as number, {
        dimFeedforward: config.dim_feedforward as number, normFirst: config.norm_first as boolean, activation: config.activation as Activation,
      }).eval();
      layer.loadStateDict(stateDict, { strict: true });
      expect(Object.keys(layer.stateDict())).toEqual(Object.keys(stateDict)); // PyTorch's names, in PyTorch's order
      const opts = { srcMask: inputs.src_mask ?? null, srcKeyPaddingMask: inputs.src_key_padding_mask! };
      const { output, selfAttention } = layer.forwardWithAttention(inputs.src!, opts);
      expectClose(output, outputs.output!, tol);
      expectClose(selfAttention, outputs.self_attn_weights!, tol);
      expectClose(layer.forward(inputs.src!, opts), outputs.output!, tol);
    });
  }

  it('gives the same result batch-first on transposed inputs', () => {
    const { config, inputs, stateDict, outputs } = loadFixture('encoder_layer_post_relu');
    const layer = new TransformerEncoderLayer(config.d_model as number, config.nhead as number, { dimFeedforward: 16, batchFirst: true }).eval();
    layer.loadStateDict(stateDict);
    const y = layer.forward(inputs.src!.transpose(0, 1), { srcKeyPaddingMask: inputs.src_key_padding_mask! });
    expectClose(y.transpose(0, 1), outputs.output!, tol);
  });
});

describe('TransformerDecoderLayer against the numpy reference of PyTorch', () => {
  for (const name of ['decoder_layer_post_relu', 'decoder_layer_pre_gelu']) {
    it(`${name}: matches output, self- and cross-attention weights`, () => {
      const { config, inputs, stateDict, outputs } = loadFixture(name);
      const layer = new TransformerDecoderLayer(config.d_model as number, config.nhead as number, {
        dimFeedforward: config.dim_feedforward as number, normFirst: config.norm_first as boolean, activation: config.activation as Activation,
      }).eval();
      layer.loadStateDict(stateDict, { strict: true });
      expect(Object.keys(layer.stateDict())).toEqual(Object.keys(stateDict));
      const { output, selfAttention, crossAttention } = layer.forwardWithAttention(inputs.tgt!, inputs.memory!, {
        tgtMask: inputs.tgt_mask!, tgtKeyPaddingMask: inputs.tgt_key_padding_mask ?? null, memoryKeyPaddingMask: inputs.memory_key_padding_mask!,
      });
      expectClose(output, outputs.output!, tol);
      expectClose(selfAttention, outputs.self_attn_weights!, tol);
      expectClose(crossAttention, outputs.cross_attn_weights!, tol);
    });
  }
});

describe('Transformer', () => {
  it("loads nn.Transformer's state dict strictly and matches the reference output", () => {
    const { config, inputs, stateDict, outputs } = loadFixture('transformer_post_relu');
    const model = new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: config.dim_feedforward as number }).eval();
    model.loadStateDict(stateDict, { strict: true });
    const opts = { tgtMask: inputs.tgt_mask!, srcKeyPaddingMask: inputs.src_key_padding_mask!, memoryKeyPaddingMask: inputs.src_key_padding_mask! };
    expectClose(model.forward(inputs.src!, inputs.tgt!, opts), outputs.output!, tol);
    const all = model.forwardWithAttention(inputs.src!, inputs.tgt!, opts);
    expectClose(all.output, outputs.output!, tol);
    expect(all.encoderSelfAttention.map((w) => w.shape)).toEqual([[2, 2, 5, 5], [2, 2, 5, 5]]);
    expect(all.crossAttention.map((w) => w.shape)).toEqual([[2, 2, 4, 5], [2, 2, 4, 5]]);
  });

  it("has PyTorch's layer defaults: feed-forward 2048, dropout 0.1, post-norm relu", () => {
    const layer = new TransformerEncoderLayer(512, 8);
    expect(layer.options).toMatchObject({ dimFeedforward: 2048, dropout: 0.1, activation: 'relu', layerNormEps: 1e-5, batchFirst: false, normFirst: false, bias: true });
    expect(layer.linear1.weight.shape).toEqual([2048, 512]);
    const t = new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8 });
    expect(Object.keys(t.stateDict()).filter((k) => k.includes('norm.'))).toEqual(['encoder.norm.weight', 'encoder.norm.bias', 'decoder.norm.weight', 'decoder.norm.bias']);
  });

  it('generateSquareSubsequentMask is 0 on and below the diagonal, −∞ above', () => {
    expect(Transformer.generateSquareSubsequentMask(3).toArray()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
  });

  it('rejects src and tgt with different batch sizes, naming both shapes', () => {
    const t = new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 8 });
    expect(() => t.forward(zeros([5, 2, 8]), zeros([4, 3, 8]))).toThrow(/Transformer\.forward: the batch size of src and tgt must be equal \(dim 1\), got src \[5,2,8\] and tgt \[4,3,8\]/);
  });
});

describe('encoder and decoder stacks', () => {
  it('start every layer from the given layer\'s weights (deepcopy) and name them layers.i', () => {
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 8, generator: new Generator(1) });
    const enc = new TransformerEncoder(layer, 2, { norm: new LayerNorm(8) });
    const sd = enc.stateDict();
    expect(Object.keys(sd).slice(0, 2)).toEqual(['layers.0.self_attn.in_proj_weight', 'layers.0.self_attn.in_proj_bias']);
    expect(Object.keys(sd).slice(-2)).toEqual(['norm.weight', 'norm.bias']);
    expectClose(sd['layers.1.linear1.weight']!, layer.linear1.weight);
    expect(sd['layers.1.linear1.weight']).not.toBe(sd['layers.0.linear1.weight']);
  });

  it('equal running the layers one after another, then the norm', () => {
    const g = new Generator(2);
    const enc = new TransformerEncoder(new TransformerEncoderLayer(8, 2, { dimFeedforward: 8, dropout: 0, generator: g }), 2, { norm: new LayerNorm(8) });
    const dec = new TransformerDecoder(new TransformerDecoderLayer(8, 2, { dimFeedforward: 8, dropout: 0, generator: g }), 2);
    for (const p of [...enc.parameters(), ...dec.parameters()]) p.assign(randn(p.shape, { generator: g }).mul(0.3)); // make the layers differ
    const src = randn([5, 2, 8]);
    const tgt = randn([3, 2, 8]);
    const [l0, l1] = [...enc.layers];
    const memory = enc.norm!.forward(l1!.forward(l0!.forward(src)));
    expectClose(enc.forward(src), memory);
    const [d0, d1] = [...dec.layers];
    const mask = causalMask(3);
    expectClose(dec.forward(tgt, memory, { tgtMask: mask }), d1!.forward(d0!.forward(tgt, memory, { tgtMask: mask }), memory, { tgtMask: mask }));
    const { selfAttention, crossAttention } = dec.forwardWithAttention(tgt, memory, { tgtMask: mask });
    expect(selfAttention.map((w) => w.shape)).toEqual([[2, 2, 3, 3], [2, 2, 3, 3]]);
    expect(crossAttention.map((w) => w.shape)).toEqual([[2, 2, 3, 5], [2, 2, 3, 5]]);
  });
});

describe('gradients and errors', () => {
  it('pass gradCheck through encoder and decoder layers in both norm orders', () => {
    for (const normFirst of [false, true]) {
      const enc = new TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, normFirst, activation: 'gelu', generator: new Generator(3) });
      gradCheck((x) => enc.forward(x, { srcMask: causalMask(3) }), [randn([3, 1, 4])]);
      const dec = new TransformerDecoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, normFirst, generator: new Generator(4) });
      gradCheck((t, m) => dec.forward(t, m, { tgtIsCausal: true, tgtMask: causalMask(2) }), [randn([2, 1, 4]), randn([3, 1, 4])]);
    }
  });

  it('masks padded keys: their attention weights are exactly 0', () => {
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 8, batchFirst: true }).eval();
    const ids = tensor([[5, 6, 0, 0]], { dtype: 'int32' });
    const { selfAttention } = layer.forwardWithAttention(randn([1, 4, 8]), { srcKeyPaddingMask: paddingMask(ids, 0) });
    const w = selfAttention.toArray() as number[][][][];
    for (const head of w[0]!) for (const row of head) expect([row[2], row[3]]).toEqual([0, 0]);
  });

  it('name the layer, the expected and the actual shape', () => {
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 8 });
    expect(() => layer.forward(zeros([4, 2, 6]))).toThrow(ShapeError);
    expect(() => layer.forward(zeros([4, 2, 6]))).toThrow('TransformerEncoderLayer.forward: src must be [len, N, 8] (batchFirst false), got [4,2,6]');
    const dec = new TransformerDecoderLayer(8, 2, { dimFeedforward: 8, batchFirst: true });
    expect(() => dec.forward(zeros([2, 3, 8]), zeros([2, 5]))).toThrow('TransformerDecoderLayer.forward: memory must be [N, len, 8] (batchFirst), got [2,5]');
    expect(() => layer.forward(zeros([4, 2, 8]), { srcKeyPaddingMask: zeros([2, 5], { dtype: 'bool' }) })).toThrow(/MultiheadAttention\.forward: .*\[2,5\]/);
    expect(() => new TransformerEncoderLayer(10, 3)).toThrow(ValueError);
    expect(() => new TransformerEncoderLayer(10, 3)).toThrow('TransformerEncoderLayer: dModel must be divisible by nhead, got dModel 10 and nhead 3');
  });
});

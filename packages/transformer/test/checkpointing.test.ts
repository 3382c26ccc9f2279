// Gradient checkpointing: a checkpointed backward equals the plain backward exactly (dropout on, so
// the replayed random draws matter), for GPT and the encoder and decoder stacks (the decoder's
// memory gradient up to the order its per-layer parts are summed), and it keeps fewer activations
// alive after the forward pass.
import { describe, expect, it } from 'vitest';
import { crossEntropy } from '@qkv/nn';
import type { Module } from '@qkv/nn';
import { manualSeed, memory, randn, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { BertForSequenceClassification, GPT, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer } from '../src/index.js';

/** Gradients of every parameter and of the float inputs after `loss().backward()`, seeded. */
function grads(model: Module, inputs: Tensor[], loss: () => Tensor): number[][] {
  model.zeroGrad();
  for (const x of inputs) x.grad = null;
  manualSeed(42);
  tidy(() => loss().backward());
  return [...model.parameters(), ...inputs].map((p) => Array.from(p.grad?.dataSync() ?? []));
}

describe('gradientCheckpointing', () => {
  it('GPT: the checkpointed backward equals the plain one exactly, with dropout', () => {
    manualSeed(1);
    const gpt = new GPT({ vocabSize: 23, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 8, dropout: 0.2 }).train();
    const ids = tensor(Int32Array.from([1, 5, 7, 3, 2, 9, 4, 4, 8, 0, 11, 6]), { shape: [2, 6], dtype: 'int32' });
    const targets = tensor(Int32Array.from([5, 7, 3, 2, 9, 4, 4, 8, 0, 11, 6, 1]), { shape: [12], dtype: 'int32' });
    const loss = () => crossEntropy(gpt.forward(ids).reshape([12, 23]), targets);
    const plain = grads(gpt, [], loss);
    gpt.gradientCheckpointing = true;
    const checkpointed = grads(gpt, [], loss);
    expect(checkpointed).toEqual(plain);
    expect(plain.every((g) => g.length > 0 && g.some((v) => v !== 0))).toBe(true);
    // and the comparison can fail: another dropout draw gives other gradients
    manualSeed(43);
    gpt.zeroGrad();
    tidy(() => loss().backward());
    expect(gpt.parameters().map((p) => Array.from(p.grad!.dataSync()))).not.toEqual(plain);
  });

  it('BERT through its encoder stack: the same gradients with dropout and a padding mask', () => {
    manualSeed(1);
    const bert = new BertForSequenceClassification({ vocabSize: 50, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 64, maxPositionEmbeddings: 16, dropout: 0.1 }, 3).train();
    const ids = tensor([[1, 2, 3, 4, 0], [5, 6, 7, 0, 0]], { dtype: 'int32' });
    const attentionMask = tensor([[1, 1, 1, 1, 0], [1, 1, 1, 0, 0]], { dtype: 'int32' });
    const loss = () => crossEntropy(bert.forward(ids, { attentionMask }), tensor([0, 2], { dtype: 'int32' }));
    const plain = grads(bert, [], loss);
    bert.bert.encoder.gradientCheckpointing = true;
    expect(grads(bert, [], loss)).toEqual(plain);
    expect(plain.filter((g) => g.some((v) => v !== 0)).length).toBeGreaterThan(30);
  });

  it('TransformerEncoder and TransformerDecoder: the same parameter and input gradients, with dropout', () => {
    manualSeed(2);
    const encoder = new TransformerEncoder(new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.3 }), 2).train();
    const src = randn([5, 2, 8]).requiresGrad_(true);
    const encLoss = () => encoder.forward(src).square().sum();
    const encPlain = grads(encoder, [src], encLoss);
    encoder.gradientCheckpointing = true;
    const encCk = grads(encoder, [src], encLoss);
    expect(encCk).toEqual(encPlain);

    const decoder = new TransformerDecoder(new TransformerDecoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.3 }), 2).train();
    const tgt = randn([4, 2, 8]).requiresGrad_(true);
    const mem = randn([5, 2, 8]).requiresGrad_(true);
    const decLoss = () => decoder.forward(tgt, mem).square().sum();
    const decPlain = grads(decoder, [tgt, mem], decLoss);
    decoder.gradientCheckpointing = true;
    const decCk = grads(decoder, [tgt, mem], decLoss);
    expect(decCk.slice(0, -1)).toEqual(decPlain.slice(0, -1)); // every parameter and tgt: bit for bit
    // memory feeds every layer; its per-layer gradients are summed in another order, so only
    // rounding may differ
    const memDiff = Math.max(...decCk.at(-1)!.map((v, j) => Math.abs(v - decPlain.at(-1)![j]!)));
    expect(memDiff).toBeLessThan(1e-9);
    expect(decPlain.at(-1)!.some((v) => v !== 0)).toBe(true); // memory's gradient flows through the checkpoint
  });

  it('keeps fewer tensors alive between forward and backward, and is off in eval mode', () => {
    manualSeed(3);
    const gpt = new GPT({ vocabSize: 31, blockSize: 16, nLayer: 4, nHead: 2, nEmbd: 32 }).train();
    const ids = tensor(Int32Array.from({ length: 32 }, (_, i) => i % 31), { shape: [2, 16], dtype: 'int32' });
    const liveAfterForward = () => tidy(() => {
      const before = memory().numBytes;
      gpt.forward(ids).sum();
      return memory().numBytes - before;
    });
    const plain = liveAfterForward();
    gpt.gradientCheckpointing = true;
    expect(liveAfterForward()).toBeLessThan(0.6 * plain);
    gpt.eval();
    expect(gpt.forward(ids).requiresGrad).toBe(true); // eval: the plain path (the graph is still recorded)
  });
});

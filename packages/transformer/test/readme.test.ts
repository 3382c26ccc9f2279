// The README's examples, at tiny sizes: the documented calls exist and do what the text says.
import { describe, expect, it } from 'vitest';
import { causalMask, paddingMask } from '@qkv/attention';
import { Adam, LRScheduler, crossEntropy, noam } from '@qkv/nn';
import { randn, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import { GPT, Seq2SeqGRU, Seq2SeqTransformer, Transformer, TransformerClassifier, TransformerEncoderLayer, VisionTransformer, beamSearch, greedyDecode, sample } from '../src/index.js';
import { ids } from './helpers.js';

const [PAD, BOS, EOS] = [0, 1, 2];

describe('README examples', () => {
  it('translation: a Noam-scheduled training step, greedy and beam decoding, cross-attention maps', () => {
    const V = 12;
    const model = new Seq2SeqTransformer({ srcVocabSize: V, tgtVocabSize: V, dModel: 16, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 32, padId: PAD });
    const opt = new Adam(model.parameters(), { lr: 1, betas: [0.9, 0.98], eps: 1e-9 });
    const schedule = new LRScheduler(opt, noam(16, 4));
    const trainStep = (src: Tensor, tgt: Tensor): number => tidy(() => {
      const T = tgt.shape[1]! - 1;
      const logits = model.forward(src, tgt.narrow(1, 0, T));
      const loss = crossEntropy(logits.reshape([-1, V]), tgt.narrow(1, 1, T).reshape([-1]), { ignoreIndex: PAD, labelSmoothing: 0.1 });
      opt.zeroGrad();
      loss.backward();
      opt.step();
      schedule.step();
      return loss.item();
    });
    const src = ids([[5, 6, 7, 0], [8, 9, 0, 0]]);
    const tgt = ids([[BOS, 7, 6, 5, EOS], [BOS, 9, 8, EOS, PAD]]);
    expect(Number.isFinite(trainStep(src, tgt))).toBe(true);
    model.eval();
    const one = ids([[5, 6, 7]]);
    const bos = tensor([[BOS]], { dtype: 'int32' });
    const greedy = greedyDecode(model.stepper(one), { prompt: bos, maxNewTokens: 5, eosId: EOS });
    expect(greedy.shape[0]).toBe(1);
    expect(greedyDecode(model.stepper(one, { useCache: false }), { prompt: bos, maxNewTokens: 5, eosId: EOS }).toArray()).toEqual(greedy.toArray());
    const [best] = beamSearch(model.stepper(one), { prompt: bos, beamWidth: 3, lengthPenalty: 0.6, eosId: EOS, maxNewTokens: 5 })[0]!;
    expect(best!.tokens.length).toBeGreaterThan(0);
    const { crossAttention } = model.forwardWithAttention(one, greedy);
    expect(crossAttention[0]!.shape).toEqual([1, 2, greedy.shape[1], 3]);
  });

  it('classifier, ViT, GPT and GRU calls as written', () => {
    const clf = new TransformerClassifier({ vocabSize: 20, numClasses: 2, dModel: 8, nhead: 2, numLayers: 1, padId: 0 });
    expect(clf.forward(ids([[3, 4, 0]])).shape).toEqual([1, 2]);
    const vit = new VisionTransformer({ imageSize: 28, patchSize: 7, inChannels: 1, numClasses: 10, dModel: 8, depth: 1, nhead: 2 });
    const { logits, attention } = vit.forwardWithAttention(randn([1, 1, 28, 28]));
    expect([logits.shape, attention[0]!.shape]).toEqual([[1, 10], [1, 2, 17, 17]]);
    const gpt = new GPT({ vocabSize: 65, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 8 });
    expect(sample(gpt.eval().stepper(), { prompt: ids([[1]]), maxNewTokens: 5, temperature: 0.8, topK: 20, topP: 0.95, seed: 1 }).shape).toEqual([1, 6]);
    const rnn = new Seq2SeqGRU({ srcVocabSize: 30, tgtVocabSize: 40, embedDim: 8, hiddenSize: 8, attention: 'bahdanau' });
    const out = rnn.forwardWithAttention(ids([[3, 4, 5]]), ids([[BOS, 6]]), { teacherForcingRatio: 0.5 });
    expect([out.logits.shape, out.attention.shape]).toEqual([[1, 2, 40], [1, 2, 3]]);
    expect(greedyDecode(rnn.stepper(ids([[3, 4, 5]])), { prompt: ids([[BOS]]), eosId: EOS, maxNewTokens: 3 }).shape[0]).toBe(1);
  });

  it('layers directly: a pre-norm GELU layer with padding, and Transformer with the causal mask', () => {
    const layer = new TransformerEncoderLayer(8, 2, { normFirst: true, activation: 'gelu', batchFirst: true, dimFeedforward: 16 });
    const { output, selfAttention } = layer.forwardWithAttention(randn([1, 3, 8]), { srcKeyPaddingMask: paddingMask(ids([[4, 5, 0]]), 0) });
    expect([output.shape, selfAttention.shape]).toEqual([[1, 3, 8], [1, 2, 3, 3]]);
    const model = new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, dropout: 0 });
    expect(model.forward(randn([5, 2, 8]), randn([4, 2, 8]), { tgtMask: Transformer.generateSquareSubsequentMask(4) }).shape).toEqual([4, 2, 8]);
  });
});

describe('more specifications', () => {
  it('isCausal alone gives the same result as the causal mask', () => {
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }).eval();
    const x = randn([4, 1, 8]);
    expectClose(layer.forward(x, { isCausal: true }), layer.forward(x, { srcMask: causalMask(4) }));
  });

  it('Transformer passes gradCheck with respect to src and tgt', () => {
    const model = new Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 6, dropout: 0 });
    gradCheck((s, t) => model.forward(s, t, { tgtMask: causalMask(2) }), [randn([3, 1, 4]), randn([2, 1, 4])]);
  });
});

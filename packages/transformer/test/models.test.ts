import { describe, expect, it } from 'vitest';
import { crossEntropy } from '@qkv/nn';
import { Generator, ShapeError, ValueError, memory, randn, tensor, tidy, zeros } from '@qkv/tensor-core';
import { expectClose } from '@qkv/tensor-core/testing';
import { Seq2SeqTransformer, TransformerClassifier, VisionTransformer, beamSearch, greedyDecode, meanOverTokens } from '../src/index.js';
import { ids, randomRows, tokenAccuracy, train } from './helpers.js';

describe('TransformerClassifier', () => {
  it('averages only over non-pad tokens (hand-computed)', () => {
    const h = tensor([[[1, 2], [3, 4], [100, 100]]]);
    const isPad = tensor([[false, false, true]]);
    expectClose(meanOverTokens(h, isPad), [[2, 3]]);
  });

  it('gives the same logits whatever padding follows the tokens', () => {
    const model = new TransformerClassifier({ vocabSize: 6, numClasses: 3, dModel: 16, nhead: 2, numLayers: 1, generator: new Generator(1) }).eval();
    const a = model.forward(ids([[4, 2, 5]]));
    const b = model.forward(ids([[4, 2, 5, 0, 0, 0]]));
    expectClose(b, a, { atol: 1e-5 });
    const { attention } = model.forwardWithAttention(ids([[4, 2, 5, 0]]));
    expect(attention[0]!.shape).toEqual([1, 2, 4, 4]);
  });

  it('can use learned positions, which then appear in the state dict', () => {
    const model = new TransformerClassifier({ vocabSize: 6, numClasses: 2, dModel: 8, nhead: 2, numLayers: 1, maxLen: 10, positional: 'learned' });
    expect(Object.keys(model.stateDict())).toContain('positional.weight');
    expect(() => model.forward(ids([Array.from({ length: 11 }, () => 1)]))).toThrow(/LearnedPositionalEmbedding\.forward: .*maxLen = 10/);
  });

  it('overfits "does the sentence contain token 3?" on padded sentences to ≥ 99 % accuracy', () => {
    const g = new Generator(11);
    const rows = Array.from({ length: 32 }, (_, i) => {
      const len = 2 + Math.floor(g.next() * 5);
      const toks = Array.from({ length: len }, () => 1 + Math.floor(g.next() * 5));
      if (i % 2 === 0 && !toks.includes(3)) toks[Math.floor(g.next() * len)] = 3;
      return [...toks, ...Array<number>(6 - len).fill(0)];
    });
    const labels = rows.map((r) => (r.includes(3) ? 1 : 0));
    const x = ids(rows);
    const y = tensor(labels, { dtype: 'int32' });
    const model = new TransformerClassifier({ vocabSize: 6, numClasses: 2, dModel: 16, nhead: 2, numLayers: 1, dropout: 0, generator: new Generator(2) });
    const accuracy = () => tokenAccuracy([model.forward(x).argmax(-1).toArray() as number[]], [labels]);
    train(model, () => crossEntropy(model.forward(x), y), () => accuracy() >= 0.99);
    expect(accuracy()).toBeGreaterThanOrEqual(0.99);
  });
});

describe('Seq2SeqTransformer', () => {
  const [PAD, BOS, EOS] = [0, 1, 2];
  const config = { srcVocabSize: 8, tgtVocabSize: 8, dModel: 32, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 64, dropout: 0 };

  it('shares one embedding table when asked, and names parameters as the PyTorch tutorial', () => {
    const shared = new Seq2SeqTransformer({ ...config, shareEmbeddings: true });
    expect(shared.tgtTokEmb).toBe(shared.srcTokEmb);
    const keys = Object.keys(new Seq2SeqTransformer(config).stateDict());
    expect(keys).toContain('transformer.encoder.layers.0.self_attn.in_proj_weight');
    expect(keys).toContain('transformer.decoder.layers.0.multihead_attn.out_proj.weight');
    expect(keys.slice(-4)).toEqual(['generator.weight', 'generator.bias', 'src_tok_emb.weight', 'tgt_tok_emb.weight']);
    expect(() => new Seq2SeqTransformer({ ...config, tgtVocabSize: 9, shareEmbeddings: true })).toThrow(ValueError);
  });

  it('scales embeddings by √d_model before adding positions', () => {
    const model = new Seq2SeqTransformer({ ...config, generator: new Generator(3) }).eval();
    const src = ids([[5, 6]]);
    const manual = model.srcTokEmb.forward(src).mul(Math.sqrt(32)).add(model.positionalEncoding.pe.narrow(0, 0, 2));
    const memoryRef = model.transformer.encoder.forward(manual, { srcKeyPaddingMask: tensor([[false, false]]) });
    expectClose(model.encode(src).memory, memoryRef);
  });

  it('does not let later target tokens change earlier logits (causal decoder)', () => {
    const model = new Seq2SeqTransformer({ ...config, generator: new Generator(4) }).eval();
    const src = ids([[5, 6, 7]]);
    const a = model.forward(src, ids([[BOS, 4, 5]]));
    const b = model.forward(src, ids([[BOS, 4, 7]]));
    expectClose(a.narrow(1, 0, 2), b.narrow(1, 0, 2));
  });

  it("decodes without disposing what the caller owns: the prompt survives and a stepper can be reused", () => {
    const model = new Seq2SeqTransformer({ ...config, generator: new Generator(7) }).eval();
    const before = memory().numTensors;
    tidy(() => {
      const stepper = model.stepper(ids([[3, 4, 5]]));
      const bos = ids([[BOS]]);
      const first = greedyDecode(stepper, { prompt: bos, maxNewTokens: 3 }).toArray();
      beamSearch(stepper, { prompt: bos, maxNewTokens: 3, beamWidth: 2 });
      expect(greedyDecode(stepper, { prompt: bos, maxNewTokens: 3 }).toArray()).toEqual(first);
      expect(bos.isDisposed).toBe(false);
    });
    expect(memory().numTensors).toBe(before);
  });

  it('overfits sequence reversal to ≥ 99 % token accuracy; greedy and beam search then translate', () => {
    const data = randomRows(16, 4, 3, 8, 5);
    const src = ids(data);
    const tgtIn = ids(data.map((r) => [BOS, ...[...r].reverse()]));
    const tgtOut = data.map((r) => [...[...r].reverse(), EOS]);
    const model = new Seq2SeqTransformer({ ...config, dModel: 16, dimFeedforward: 32, normFirst: true, generator: new Generator(6) });
    const accuracy = () => tokenAccuracy(model.forward(src, tgtIn).argmax(-1).toArray() as number[][], tgtOut);
    train(model, () => crossEntropy(model.forward(src, tgtIn).reshape([-1, 8]), ids(tgtOut).reshape([-1]), { ignoreIndex: PAD }), () => accuracy() >= 0.99);
    expect(accuracy()).toBeGreaterThanOrEqual(0.99);
    model.eval();
    const some = ids(data.slice(0, 6));
    const bos = ids(data.slice(0, 6).map(() => [BOS]));
    const before = memory().numTensors;
    const greedy = tidy(() => greedyDecode(model.stepper(some), { prompt: bos, maxNewTokens: 6, eosId: EOS }).toArray() as number[][]);
    expect(tokenAccuracy(greedy.map((r) => r.slice(1)), tgtOut.slice(0, 6))).toBeGreaterThanOrEqual(0.99);
    const beams = tidy(() => beamSearch(model.stepper(some), { prompt: bos, maxNewTokens: 6, eosId: EOS, beamWidth: 3 }));
    expect(beams.map((h) => h[0]!.tokens)).toEqual(tgtOut.slice(0, 6));
    expect(memory().numTensors).toBe(before);
  });
});

describe('VisionTransformer', () => {
  it('cuts images into row-major patches flattened as (channel, row, column)', () => {
    const vit = new VisionTransformer({ imageSize: 4, patchSize: 2, inChannels: 1, numClasses: 2, dModel: 8, depth: 1, nhead: 2 });
    const img = tensor(Array.from({ length: 16 }, (_, i) => i), { shape: [1, 1, 4, 4] });
    expect(vit.patchify(img).toArray()).toEqual([[[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]]]);
    expect(() => vit.forward(zeros([1, 3, 4, 4]))).toThrow(ShapeError);
    expect(() => vit.forward(zeros([1, 3, 4, 4]))).toThrow('VisionTransformer.forward: images must be [B, 1, 4, 4], got [1,3,4,4]');
    expect(() => new VisionTransformer({ imageSize: 5, patchSize: 2, numClasses: 2 })).toThrow(/patchSize 2 must divide imageSize 5/);
  });

  it('has a CLS token, learned positions for N+1 tokens and returns attention over them', () => {
    const vit = new VisionTransformer({ imageSize: 8, patchSize: 4, inChannels: 3, numClasses: 5, dModel: 16, depth: 2, nhead: 4 });
    const keys = Object.keys(vit.stateDict());
    expect(keys.slice(0, 4)).toEqual(['cls_token', 'pos_embedding', 'patch_embedding.weight', 'patch_embedding.bias']); // own parameters first, as PyTorch
    expect(vit.posEmbedding.shape).toEqual([1, 5, 16]);
    const { logits, attention } = vit.forwardWithAttention(randn([2, 3, 8, 8]));
    expect(logits.shape).toEqual([2, 5]);
    expect(attention.map((w) => w.shape)).toEqual([[2, 4, 5, 5], [2, 4, 5, 5]]);
  });

  it('overfits "which quadrant is bright?" to ≥ 99 % accuracy', () => {
    const g = new Generator(8);
    const labels = Array.from({ length: 32 }, (_, i) => i % 4);
    const pixels = labels.flatMap((q) => Array.from({ length: 64 }, (_, p) => {
      const [r, c] = [Math.floor(p / 8), p % 8];
      const inQuadrant = Math.floor(r / 4) * 2 + Math.floor(c / 4) === q;
      return (inQuadrant ? 1 : 0) + 0.3 * g.normal();
    }));
    const x = tensor(pixels, { shape: [32, 1, 8, 8] });
    const y = tensor(labels, { dtype: 'int32' });
    const vit = new VisionTransformer({ imageSize: 8, patchSize: 4, inChannels: 1, numClasses: 4, dModel: 16, depth: 1, nhead: 2, generator: new Generator(9) });
    const accuracy = () => tokenAccuracy([vit.forward(x).argmax(-1).toArray() as number[]], [labels]);
    train(vit, () => crossEntropy(vit.forward(x), y), () => accuracy() >= 0.99);
    expect(accuracy()).toBeGreaterThanOrEqual(0.99);
  });
});

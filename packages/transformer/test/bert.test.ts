// BERT's specification: shapes, the tied decoder, padding that changes nothing for the real tokens,
// and token types that do; GPT's new options.
import { MultiheadAttention } from '@qkv/attention';
import { cat, noGrad, randn, tensor } from '@qkv/tensor-core';
import { describe, expect, it } from 'vitest';
import { BertForMaskedLM, BertForSequenceClassification, BertModel, BertSelfAttention, GPT } from '../src/index.js';
import { ids } from './helpers.js';

const config = { vocabSize: 20, hiddenSize: 8, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 16, maxPositionEmbeddings: 12, dropout: 0 };

describe('BERT', () => {
  it('BertForMaskedLM: logits [B, T, V], one attention map [B, H, T, T] per layer, decoder tied to the word embeddings', () => {
    const mlm = new BertForMaskedLM(config).eval();
    expect(mlm.forward(ids([[1, 2, 3], [4, 5, 6]])).shape).toEqual([2, 3, 20]);
    const { attentions } = mlm.forwardWithAttention(ids([[1, 2, 3]]));
    expect(attentions.map((a) => a.shape)).toEqual([[1, 2, 3, 3], [1, 2, 3, 3]]);
    expect(mlm.decoder.weight).toBe(mlm.bert.embeddings.wordEmbeddings.weight);
    expect(Object.keys(mlm.stateDict()).filter((k) => k.startsWith('bert.encoder.layers.1.self_attn.'))).toEqual(['query', 'key', 'value', 'out_proj'].flatMap((m) => [`bert.encoder.layers.1.self_attn.${m}.weight`, `bert.encoder.layers.1.self_attn.${m}.bias`]));
  });

  it('BertSelfAttention (separate query/key/value) equals MultiheadAttention with in_proj = [Wq; Wk; Wv]: outputs, weights, padding, fused path', () => {
    const sa = new BertSelfAttention(8, 2, { dropout: 0 }).eval();
    const mha = new MultiheadAttention(8, 2, { batchFirst: true }).eval();
    noGrad(() => {
      mha.inProjWeight!.assign(cat([sa.query.weight, sa.key.weight, sa.value.weight], 0));
      mha.inProjBias!.assign(cat([sa.query.bias!, sa.key.bias!, sa.value.bias!], 0));
      mha.outProj.weight.assign(sa.outProj.weight);
      mha.outProj.bias!.assign(randn([8]));
      sa.outProj.bias!.assign(mha.outProj.bias!);
    });
    const x = randn([2, 5, 8]);
    const keyPaddingMask = tensor([[false, false, false, true, true], [false, false, false, false, false]]);
    for (const options of [{ keyPaddingMask, averageAttnWeights: false }, { keyPaddingMask, averageAttnWeights: true }, { needWeights: false }]) {
      const [a, wa] = sa.forward(x, x, x, options);
      const [b, wb] = mha.forward(x, x, x, options);
      const close = (u: ArrayLike<number>, v: ArrayLike<number>) => Array.from(u).forEach((value, i) => expect(Math.abs(value - v[i]!)).toBeLessThan(1e-6));
      close(a.dataSync(), b.dataSync());
      if (wb) close(wa!.dataSync(), wb.dataSync());
      else expect(wa).toBeNull();
    }
    expect(Object.keys(sa.stateDict())).toEqual(['query.weight', 'query.bias', 'key.weight', 'key.bias', 'value.weight', 'value.bias', 'out_proj.weight', 'out_proj.bias']);
    expect(() => sa.forward(x, x, x, { isCausal: true })).toThrow(/BertSelfAttention.forward: BERT attends both ways/);
    expect(() => sa.forward(x, randn([2, 5, 8]), x)).toThrow(/self-attention only/);
    expect(() => sa.forward(x, x, x, { keyPaddingMask: tensor([[false, true]]) })).toThrow(/keyPaddingMask must be \[N, T\] = \[2, ?5\], got \[1, ?2\]/);
  });

  it('padding with a 0 in attentionMask leaves the real tokens\' outputs unchanged and gives pads weight 0', () => {
    const bert = new BertModel(config).eval();
    const alone = bert.forward(ids([[3, 4, 5]])).dataSync();
    const padded = bert.forwardWithAttention(ids([[3, 4, 5, 0, 0]]), { attentionMask: ids([[1, 1, 1, 0, 0]]) });
    const first = padded.lastHiddenState.narrow(1, 0, 3).contiguous().dataSync();
    alone.forEach((v, i) => expect(first[i]).toBeCloseTo(v, 5));
    const w = padded.attentions[0]!.dataSync();
    for (let i = 0; i < w.length; i += 5) expect([w[i + 3], w[i + 4]]).toEqual([0, 0]);
  });

  it('token types change the output; a bool mask means true = token', () => {
    const bert = new BertModel(config).eval();
    const x = ids([[3, 4, 5]]);
    const a = bert.forward(x).dataSync();
    const b = bert.forward(x, { tokenTypeIds: ids([[0, 1, 1]]) }).dataSync();
    expect(Array.from(a)).not.toEqual(Array.from(b));
    const int = bert.forward(ids([[3, 4, 0]]), { attentionMask: ids([[1, 1, 0]]) }).dataSync();
    const bool = bert.forward(ids([[3, 4, 0]]), { attentionMask: tensor([[true, true, false]]) }).dataSync();
    expect(Array.from(bool)).toEqual(Array.from(int));
  });

  it('BertForSequenceClassification: logits [B, numLabels]; bad inputs are named', () => {
    const clf = new BertForSequenceClassification(config, 3).eval();
    expect(clf.forward(ids([[1, 2], [3, 4]])).shape).toEqual([2, 3]);
    expect(() => clf.forward(ids([[1, 2]]), { attentionMask: ids([[1, 1, 1]]) })).toThrow(/BertModel.forward: attentionMask must be \[B, T\] = \[1, ?2\], got \[1, ?3\]/);
    expect(() => clf.forward(ids([Array.from({ length: 13 }, () => 1)]))).toThrow('BertModel.forward: 13 tokens exceed maxPositionEmbeddings = 12');
    expect(() => new BertForSequenceClassification(config, 0)).toThrow(/numLabels must be a positive integer/);
  });
});

describe('GPT options', () => {
  it('geluApproximate: tanh uses GELU\'s tanh form in the MLP (the outputs differ from exact GELU\'s, same weights)', () => {
    const exact = new GPT({ vocabSize: 10, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 }).eval();
    const tanh = new GPT({ vocabSize: 10, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8, geluApproximate: 'tanh' }).eval();
    tanh.loadStateDict(exact.stateDict());
    const x = ids([[1, 2, 3]]);
    const h = tensor([-1, 0.5, 2]);
    expect(Array.from(h.gelu('tanh').dataSync())).not.toEqual(Array.from(h.gelu().dataSync()));
    expect(Array.from(tanh.forward(x).dataSync())).not.toEqual(Array.from(exact.forward(x).dataSync()));
    const mlp = tanh.transformer.h.get(0).mlp;
    const y = tensor([[[0.3, -0.2, 1, 0, 0.5, -1, 2, 0.1]]]);
    const manual = mlp.cProj.forward(mlp.cFc.forward(y).gelu('tanh'));
    expect(Array.from(mlp.forward(y).dataSync())).toEqual(Array.from(manual.dataSync()));
  });

  it('generate: number[] in and out, greedy without sampling options, seeded when sampling', () => {
    const gpt = new GPT({ vocabSize: 10, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 8 }).eval();
    const out = gpt.generate([1, 2, 3], { maxNewTokens: 4 });
    expect(out).toHaveLength(7);
    expect(out.slice(0, 3)).toEqual([1, 2, 3]);
    expect(gpt.generate([1, 2, 3], { maxNewTokens: 4, topK: 3, seed: 7 })).toEqual(gpt.generate([1, 2, 3], { maxNewTokens: 4, topK: 3, seed: 7 }));
    expect(gpt.generate(ids([[1, 2]]), { maxNewTokens: 2 }).shape).toEqual([1, 4]);
  });
});

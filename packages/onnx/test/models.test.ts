import { describe, expect, it } from 'vitest';
import { Seq2SeqGRU, Seq2SeqTransformer, TransformerClassifier, VisionTransformer } from '@qkv/transformer';
import { paddingMask } from '@qkv/attention';
import { manualSeed, noGrad, randn, tensor } from '@qkv/tensor-core';
import { exportOnnx } from '../src/index.js';
import { ids, maxDiff, ort, ortFloat, ortIds, session } from './helpers.js';

describe('the shipped models → ONNX, run by onnxruntime-node', () => {
  manualSeed(11);
  it('TransformerClassifier: logits and attention weights on padded batches of several lengths', async () => {
    for (const positional of ['sinusoidal', 'learned'] as const) {
      const model = new TransformerClassifier({ vocabSize: 50, numClasses: 3, dModel: 16, nhead: 2, numLayers: 2, positional, normFirst: positional === 'learned' }).eval();
      const s = await session(exportOnnx(model, [ids([[4, 5, 0]])], { attentionOutputs: true }));
      for (const rows of [[[4, 5, 0]], [[7, 8, 9, 10, 11, 0, 0], [3, 0, 0, 0, 0, 0, 0]], [[0, 0]]]) {
        const out = await s.run({ input_ids: ortIds(rows) });
        const ref = noGrad(() => model.forwardWithAttention(ids(rows)));
        expect(maxDiff(out.logits!, ref.logits)).toBeLessThan(1e-4);
        expect(maxDiff(out['attentions.1']!, ref.attention[1]!)).toBeLessThan(1e-4);
      }
    }
  });

  it('VisionTransformer: logits and CLS attention for batches of 1 and 3', async () => {
    const vit = new VisionTransformer({ imageSize: 8, patchSize: 4, inChannels: 2, numClasses: 5, dModel: 16, depth: 2, nhead: 2 }).eval();
    const s = await session(exportOnnx(vit, [randn([1, 2, 8, 8])], { attentionOutputs: true }));
    for (const B of [1, 3]) {
      const images = randn([B, 2, 8, 8]);
      const out = await s.run({ pixel_values: ortFloat(images) });
      const ref = noGrad(() => vit.forwardWithAttention(images));
      expect(maxDiff(out.logits!, ref.logits)).toBeLessThan(1e-4);
      expect(maxDiff(out['attentions.0']!, ref.attention[0]!)).toBeLessThan(1e-4);
    }
  });

  it('Seq2SeqTransformer: the encoder graph and the decoder graph reproduce forward on padded pairs', async () => {
    const model = new Seq2SeqTransformer({ srcVocabSize: 30, tgtVocabSize: 25, dModel: 16, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 24 }).eval();
    const enc = await session(exportOnnx(model, [ids([[5, 6, 7]])], { part: 'encoder' }));
    const dec = await session(exportOnnx(model, [ids([[1, 4]])], { part: 'decoder', attentionOutputs: true }));
    for (const [src, tgt] of [[[[5, 6, 7]], [[1, 4]]], [[[3, 4, 5, 6, 0, 0], [9, 8, 7, 6, 5, 4]], [[1, 2, 3, 0], [1, 5, 6, 7]]]]) {
      const e = await enc.run({ src: ortIds(src!) });
      const ref = noGrad(() => model.encode(ids(src!)));
      expect(maxDiff(e.memory!, ref.memory)).toBeLessThan(1e-4);
      const d = await dec.run({ tgt: ortIds(tgt!), memory: e.memory!, memory_key_padding_mask: e.memory_key_padding_mask! });
      const all = noGrad(() => model.forwardWithAttention(ids(src!), ids(tgt!)));
      expect(maxDiff(d.logits!, all.logits)).toBeLessThan(1e-4);
      expect(maxDiff(d['cross_attentions.1']!, all.crossAttention[1]!)).toBeLessThan(1e-4);
    }
  });

  for (const attention of ['bahdanau', 'luong-dot', 'luong-general'] as const) {
    it(`Seq2SeqGRU (${attention}): the encoder and step graphs reproduce teacher-forced logits and attention`, async () => {
      const model = new Seq2SeqGRU({ srcVocabSize: 20, tgtVocabSize: 18, embedDim: 8, hiddenSize: 12, attention }).eval();
      const enc = await session(exportOnnx(model, [ids([[4, 5]])], { part: 'encoder' }));
      const step = await session(exportOnnx(model, { token: tensor(Int32Array.from([1]), { dtype: 'int32' }) }, { part: 'decoder' }));
      for (const [src, tgt] of [[[[4, 5]], [[1, 3, 4]]], [[[6, 7, 8, 9, 0], [3, 4, 0, 0, 0]], [[1, 2], [1, 7]]]]) {
        const e = await enc.run({ src: ortIds(src!) });
        const ref = noGrad(() => model.forwardWithAttention(ids(src!), ids(tgt!)));
        let hidden = e.hidden!;
        const T = tgt![0]!.length;
        for (let t = 0; t < T; t++) {
          const token = new ort.Tensor('int64', BigInt64Array.from(tgt!.map((r) => BigInt(r[t]!))), [tgt!.length]);
          const out = await step.run({ token, hidden, encoder_outputs: e.encoder_outputs!, key_padding_mask: e.key_padding_mask! });
          expect(maxDiff(out.logits!, noGrad(() => ref.logits.select(1, t).contiguous()))).toBeLessThan(1e-4);
          expect(maxDiff(out.attention!, noGrad(() => ref.attention.select(1, t).contiguous()))).toBeLessThan(1e-4);
          hidden = out.next_hidden!;
        }
        expect(maxDiff(e.key_padding_mask!, noGrad(() => paddingMask(ids(src!), 0).float()))).toBe(0);
      }
    });
  }
});



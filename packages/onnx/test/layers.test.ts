import { describe, expect, it } from 'vitest';
import { LayerNorm } from '@qkv/nn';
import { Transformer, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer } from '@qkv/transformer';
import { causalMask, MultiheadAttention } from '@qkv/attention';
import { manualSeed, noGrad, randn, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { exportOnnx, OnnxExportError } from '../src/index.js';
import { maxDiff, ortBool, ortFloat, session } from './helpers.js';

/** bool [N, S], true at the last `pads[n]` positions of row n. */
const padMask = (S: number, pads: number[]): Tensor => tensor(pads.flatMap((p) => Array.from({ length: S }, (_, j) => j >= S - p)), { shape: [pads.length, S], dtype: 'bool' });

describe('Transformer layers and stacks → ONNX', () => {
  manualSeed(7);
  it('TransformerEncoderLayer (sequence-first, post-norm, relu) with a padding mask and its attention weights', async () => {
    const layer = new TransformerEncoderLayer(16, 4, { dimFeedforward: 24 }).eval();
    const s = await session(exportOnnx(layer, [randn([5, 2, 16])], { keyPaddingMask: true, attentionOutputs: true }));
    for (const [S, N, pads] of [[5, 2, [0, 2]], [9, 3, [1, 0, 8]], [1, 1, [0]]] as [number, number, number[]][]) {
      const src = randn([S, N, 16]);
      const mask = padMask(S, pads);
      const out = await s.run({ src: ortFloat(src), src_key_padding_mask: ortBool(mask) });
      const ref = noGrad(() => layer.forwardWithAttention(src, { srcKeyPaddingMask: mask }));
      expect(maxDiff(out.output!, ref.output)).toBeLessThan(1e-4);
      expect(maxDiff(out['attentions.0']!, ref.selfAttention)).toBeLessThan(1e-4);
    }
  });

  it('TransformerEncoder (batch-first, pre-norm, gelu, final norm), causal', async () => {
    const enc = new TransformerEncoder(new TransformerEncoderLayer(16, 2, { dimFeedforward: 32, batchFirst: true, normFirst: true, activation: 'gelu' }), 3, { norm: new LayerNorm(16) }).eval();
    const s = await session(exportOnnx(enc, [randn([2, 4, 16])], { causal: true }));
    for (const [N, S] of [[2, 4], [3, 11]] as [number, number][]) {
      const src = randn([N, S, 16]);
      const out = await s.run({ src: ortFloat(src) });
      expect(maxDiff(out.output!, noGrad(() => enc.forward(src, { mask: causalMask(S) })))).toBeLessThan(1e-4);
    }
  });

  it('TransformerDecoderLayer and TransformerDecoder (causal self-attention, memory padding) with both attentions', async () => {
    const layer = new TransformerDecoderLayer(16, 4, { dimFeedforward: 20, batchFirst: true }).eval();
    const dec = new TransformerDecoder(layer, 2).eval();
    for (const m of [layer, dec]) {
      const s = await session(exportOnnx(m, [randn([2, 3, 16]), randn([2, 5, 16])], { keyPaddingMask: true, attentionOutputs: true }));
      for (const [N, T, S] of [[2, 3, 5], [1, 7, 2], [3, 1, 6]] as [number, number, number][]) {
        const [tgt, memory] = [randn([N, T, 16]), randn([N, S, 16])];
        const tgtPad = padMask(T, Array.from({ length: N }, (_, i) => (i === 1 ? 1 : 0)));
        const memPad = padMask(S, Array.from({ length: N }, (_, i) => i % 2));
        const out = await s.run({ tgt: ortFloat(tgt), memory: ortFloat(memory), tgt_key_padding_mask: ortBool(tgtPad), memory_key_padding_mask: ortBool(memPad) });
        const ref = noGrad(() => m.forwardWithAttention(tgt, memory, { tgtMask: causalMask(T), tgtKeyPaddingMask: tgtPad, memoryKeyPaddingMask: memPad }));
        expect(maxDiff(out.output!, ref.output)).toBeLessThan(1e-4);
        const [self, cross] = [ref.selfAttention, ref.crossAttention].map((w: Tensor | Tensor[]) => (Array.isArray(w) ? w.at(-1)! : w)) as [Tensor, Tensor];
        const last = m === dec ? 1 : 0;
        expect(maxDiff(out[`attentions.${last}`]!, self)).toBeLessThan(1e-4);
        expect(maxDiff(out[`cross_attentions.${last}`]!, cross)).toBeLessThan(1e-4);
      }
    }
  });

  it('nn.Transformer (sequence-first) with a causal target', async () => {
    const model = new Transformer({ dModel: 16, nhead: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 24 }).eval();
    const s = await session(exportOnnx(model, [randn([4, 2, 16]), randn([3, 2, 16])]));
    for (const [S, T, N] of [[4, 3, 2], [8, 5, 1]] as [number, number, number][]) {
      const [src, tgt] = [randn([S, N, 16]), randn([T, N, 16])];
      const out = await s.run({ src: ortFloat(src), tgt: ortFloat(tgt) });
      expect(maxDiff(out.output!, noGrad(() => model.forward(src, tgt, { tgtMask: causalMask(T) })))).toBeLessThan(1e-4);
    }
  });

  it('names the module, option or input it cannot export', () => {
    const custom = new TransformerEncoderLayer(8, 2, { activation: (x) => x.tanh() });
    expect(() => exportOnnx(custom, [randn([3, 1, 8])])).toThrow(/exportOnnx: TransformerEncoderLayer uses a custom activation function \(activation\); only 'relu' and 'gelu' can be exported/);
    expect(() => exportOnnx(new LayerNorm(4), [randn([2, 4])])).toThrow(OnnxExportError);
    expect(() => exportOnnx(new LayerNorm(4), [randn([2, 4])])).toThrow(/exportOnnx: cannot export LayerNorm; supported modules: .*TransformerEncoderLayer/);
    expect(() => exportOnnx(new TransformerEncoderLayer(8, 2), [randn([3, 1, 8])], { kvCache: true })).toThrow(/option kvCache = true is not supported for TransformerEncoderLayer/);
    expect(() => exportOnnx(new TransformerEncoderLayer(8, 2), [randn([3, 1, 9])])).toThrow(/example input 'src' must be float32 \[sequence, batch, 8\], got float32 \[3,1,9\]/);
    expect(() => exportOnnx(new TransformerEncoderLayer(8, 2), [randn([3, 1, 8])], { opset: 16 })).toThrow(/opset must be an integer ≥ 17/);
  });
});

describe('MultiheadAttention → ONNX (self-attention)', () => {
  it('matches forward with per-head weights, batch-first and sequence-first', async () => {
    for (const batchFirst of [true, false]) {
      const mha = new MultiheadAttention(12, 3, { batchFirst }).eval();
      const s = await session(exportOnnx(mha, [], { attentionOutputs: true, keyPaddingMask: true }));
      for (const [N, L] of [[1, 4], [2, 7]] as [number, number][]) {
        const x = randn(batchFirst ? [N, L, 12] : [L, N, 12]);
        const mask = padMask(L, Array.from({ length: N }, (_, i) => i));
        const out = await s.run({ query: ortFloat(x), key_padding_mask: ortBool(mask) });
        const [y, w] = noGrad(() => mha.forward(x, x, x, { keyPaddingMask: mask, averageAttnWeights: false }));
        expect(maxDiff(out.output!, y)).toBeLessThan(1e-4);
        expect(maxDiff(out['attentions.0']!, w!)).toBeLessThan(1e-4);
      }
    }
  });
});

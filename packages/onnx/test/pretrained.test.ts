// The pretrained families (Hub-layout GPT-2, BERT, ViT fixtures of @qkv/pretrained) exported and
// run on onnxruntime-node: equal to qkv's outputs, and GPT-2's logits equal to PyTorch's.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromPretrained } from '@qkv/pretrained/node';
import type { GPT, VisionTransformer } from '@qkv/transformer';
import { BertForMaskedLM, BertForSequenceClassification, BertModel } from '@qkv/transformer';
import { noGrad, randn, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { exportOnnx } from '../src/index.js';
import { ids, maxDiff, ortFloat, ortIds, session } from './helpers.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../pretrained/fixtures/${name}`, import.meta.url));
const rowsOf = (B: number, T: number, V: number, seed: number) => Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => (seed * 31 + b * 17 + t * 7) % V));

describe('pretrained families → ONNX', () => {
  it('GPT-2 (gelu_new, tied lm_head): ORT equals qkv and the fixture\'s PyTorch logits', async () => {
    const { model } = await fromPretrained<GPT>(fixture('gpt2'));
    const s = await session(exportOnnx(model, [ids([[1, 2]])], { attentionOutputs: true }));
    const expected = JSON.parse(readFileSync(`${fixture('gpt2')}/expected.json`, 'utf8')) as { input_ids: number[][]; logits: { shape: number[]; data: number[] } };
    const out = await s.run({ input_ids: ortIds(expected.input_ids) });
    const torch = tensor(Float32Array.from(expected.logits.data), { shape: expected.logits.shape });
    expect(maxDiff(out.logits!, torch)).toBeLessThan(1e-4);
    for (const rows of [rowsOf(1, 5, 297, 1), rowsOf(3, 20, 297, 2)]) {
      const o = await s.run({ input_ids: ortIds(rows) });
      const ref = noGrad(() => model.forwardWithAttention(ids(rows)));
      expect(maxDiff(o.logits!, ref.logits)).toBeLessThan(1e-4);
      expect(maxDiff(o['attentions.1']!, ref.attentions[1]!)).toBeLessThan(1e-4);
    }
  });

  for (const [name, cls] of [['bert-base', BertModel], ['bert-mlm', BertForMaskedLM], ['bert-cls', BertForSequenceClassification]] as const) {
    it(`${name} (${cls.name}): Hub inputs with padding and token types, ORT equals qkv`, async () => {
      const { model } = await fromPretrained<BertModel | BertForMaskedLM | BertForSequenceClassification>(fixture(name));
      expect(model).toBeInstanceOf(cls);
      const V = (model instanceof BertModel ? model : model.bert).config.vocabSize;
      const s = await session(exportOnnx(model, [ids([[1, 2, 3]])], { attentionOutputs: true }));
      for (const [B, T] of [[1, 4], [2, 9]] as [number, number][]) {
        const rows = rowsOf(B, T, V, T);
        const maskRows = rows.map((r, b) => r.map((_, t) => (b === 1 && t >= T - 3 ? 0 : 1)));
        const typeRows = rows.map((r) => r.map((_, t) => (t >= T / 2 ? 1 : 0)));
        const out = await s.run({ input_ids: ortIds(rows), attention_mask: ortIds(maskRows), token_type_ids: ortIds(typeRows) });
        const inputs = { attentionMask: ids(maskRows), tokenTypeIds: ids(typeRows) };
        const ref = noGrad(() => model.forwardWithAttention(ids(rows), inputs)) as { logits?: Tensor; lastHiddenState: Tensor; poolerOutput?: Tensor | null; attentions: Tensor[] };
        if (ref.logits) expect(maxDiff(out.logits!, ref.logits)).toBeLessThan(1e-4);
        else expect(maxDiff(out.last_hidden_state!, ref.lastHiddenState)).toBeLessThan(1e-4);
        if (ref.poolerOutput) expect(maxDiff(out.pooler_output!, ref.poolerOutput)).toBeLessThan(1e-4);
        const last = ref.attentions.length - 1;
        expect(maxDiff(out[`attentions.${last}`]!, ref.attentions[last]!)).toBeLessThan(1e-4);
      }
    });
  }

  for (const name of ['vit-base', 'vit-cls']) {
    it(`${name}: ORT equals qkv for batches of 1 and 2`, async () => {
      const { model } = await fromPretrained<VisionTransformer>(fixture(name));
      const size = model.imageSize;
      const s = await session(exportOnnx(model, [randn([1, 3, size, size])]));
      for (const B of [1, 2]) {
        const images = randn([B, 3, size, size]);
        const out = await s.run({ pixel_values: ortFloat(images) });
        if (model.head) expect(maxDiff(out.logits!, noGrad(() => model.forward(images)))).toBeLessThan(1e-4);
        else {
          expect(maxDiff(out.last_hidden_state!, noGrad(() => model.forwardFeatures(images).hidden))).toBeLessThan(1e-4);
          expect(maxDiff(out.pooler_output!, noGrad(() => model.forward(images)))).toBeLessThan(1e-4);
        }
      }
    });
  }
});

// Each fixture folder (made by tooling/reference-fixtures/pretrained/make_pretrained.py, which
// transcribes Hugging Face's PyTorch forwards) loads and gives the reference's numbers within 1e-4.
import { tensor } from '@qkv/tensor-core';
import type { VisionTransformer } from '@qkv/transformer';
import { BertForMaskedLM, BertForSequenceClassification, BertModel, GPT } from '@qkv/transformer';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromPretrained } from '../src/node.js';
import { FIXTURES, expectNear, expected, ids } from './helpers.js';
import type { Arr } from './helpers.js';

interface BertCase { token_type_ids: number[][]; attention_mask: number[][]; last_hidden_state: Arr; attentions: Arr[]; pooler_output?: Arr; logits?: Arr }
interface BertExpected { input_ids: number[][]; cases: { plain: BertCase; masked: BertCase } }

describe('GPT-2 (F32, no transformer. prefix, legacy attn.bias buffers)', async () => {
  const { model, tokenizer, architecture } = await fromPretrained<GPT>(join(FIXTURES, 'gpt2'));
  const want = expected<{ input_ids: number[][]; logits: Arr; attentions: Arr[] }>('gpt2');

  it('builds GPT2LMHeadModel as a GPT with gelu_new and the tokenizer from vocab.json + merges.txt', () => {
    expect(architecture).toBe('GPT2LMHeadModel');
    expect(model).toBeInstanceOf(GPT);
    expect(model.config.geluApproximate).toBe('tanh');
    expect(tokenizer!.vocabSize).toBe(297);
  });

  it('forward(ids) gives the reference logits [B, T, V]', () => {
    expectNear(model.forward(ids(want.input_ids)), want.logits);
  });

  it('forwardWithAttention gives every layer\'s attention probabilities [B, H, T, T]', () => {
    const { logits, attentions } = model.forwardWithAttention(ids(want.input_ids));
    expectNear(logits, want.logits);
    expect(attentions).toHaveLength(want.attentions.length);
    attentions.forEach((a, l) => expectNear(a, want.attentions[l]!));
  });

  it('generate on the KV cache continues greedily as argmax of the uncached logits', () => {
    const prompt = want.input_ids[0]!.slice(0, 5);
    const out = model.generate(prompt, { maxNewTokens: 4 });
    expect(out.slice(0, 5)).toEqual(prompt);
    for (let n = 5; n < out.length; n++) {
      const logits = model.forward(ids([out.slice(0, n)])).select(1, n - 1).dataSync();
      expect(out[n]).toBe(logits.indexOf(Math.max(...logits)));
    }
  });
});

function checkBert(name: string, check: (model: BertModel | BertForMaskedLM | BertForSequenceClassification, inputs: { ids: ReturnType<typeof ids>; attentionMask: ReturnType<typeof ids>; tokenTypeIds: ReturnType<typeof ids> }, want: BertCase) => void) {
  return async () => {
    const { model } = await fromPretrained<BertModel | BertForMaskedLM | BertForSequenceClassification>(join(FIXTURES, name));
    const want = expected<BertExpected>(name);
    for (const which of ['plain', 'masked'] as const) {
      const c = want.cases[which];
      check(model, { ids: ids(want.input_ids), attentionMask: ids(c.attention_mask), tokenTypeIds: ids(c.token_type_ids) }, c);
    }
  };
}

describe('BERT', () => {
  it('BertForMaskedLM (BF16, sharded): logits, hidden states and attentions, without and with padding + token types', checkBert('bert-mlm', (model, { ids: x, attentionMask, tokenTypeIds }, want) => {
    expect(model).toBeInstanceOf(BertForMaskedLM);
    const mlm = model as BertForMaskedLM;
    const out = mlm.forwardWithAttention(x, { attentionMask, tokenTypeIds });
    expectNear(out.logits, want.logits!);
    expectNear(out.lastHiddenState, want.last_hidden_state);
    out.attentions.forEach((a, l) => expectNear(a, want.attentions[l]!));
  }));

  it('BertForMaskedLM.forward(ids) alone is the no-padding, token-type-0 case', async () => {
    const { model } = await fromPretrained<BertForMaskedLM>(join(FIXTURES, 'bert-mlm'));
    const want = expected<BertExpected>('bert-mlm');
    expectNear(model.forward(ids(want.input_ids)), want.cases.plain.logits!);
  });

  it('BertForSequenceClassification (id2label): logits [B, 3], pooled output, attentions', checkBert('bert-cls', (model, { ids: x, attentionMask, tokenTypeIds }, want) => {
    expect(model).toBeInstanceOf(BertForSequenceClassification);
    const out = (model as BertForSequenceClassification).forwardWithAttention(x, { attentionMask, tokenTypeIds });
    expectNear(out.logits, want.logits!);
    expectNear(out.lastHiddenState, want.last_hidden_state);
    out.attentions.forEach((a, l) => expectNear(a, want.attentions[l]!));
  }));

  it('BertModel (no bert. prefix): hidden states, pooler output, attentions', checkBert('bert-base', (model, { ids: x, attentionMask, tokenTypeIds }, want) => {
    expect(model).toBeInstanceOf(BertModel);
    const out = (model as BertModel).forwardWithAttention(x, { attentionMask, tokenTypeIds });
    expectNear(out.lastHiddenState, want.last_hidden_state);
    expectNear(out.poolerOutput!, want.pooler_output!);
    out.attentions.forEach((a, l) => expectNear(a, want.attentions[l]!));
  }));

  it('gives padded keys exactly zero attention', async () => {
    const { model } = await fromPretrained<BertForMaskedLM>(join(FIXTURES, 'bert-mlm'));
    const want = expected<BertExpected>('bert-mlm');
    const { attentions } = model.forwardWithAttention(ids(want.input_ids), { attentionMask: ids(want.cases.masked.attention_mask) });
    const a = attentions[0]!; // [2, 4, 9, 9]; row 1's keys 7 and 8 are padding
    const w = a.select(0, 1).dataSync();
    for (let i = 0; i < w.length; i += 9) expect([w[i + 7], w[i + 8]]).toEqual([0, 0]);
  });

  it('loads the labels and the WordPiece tokenizer from vocab.txt', async () => {
    const { labels, tokenizer } = await fromPretrained(join(FIXTURES, 'bert-cls'));
    expect(labels).toEqual(['negative', 'neutral', 'positive']);
    // vocab.txt order: [CLS] = 2, the = 5, cat = 7, [SEP] = 3; "unaffable" = un ##aff ##able
    expect(tokenizer!.encode('The cat', { addSpecialTokens: true })).toEqual([2, 5, 7, 3]);
    expect(tokenizer!.encode('unaffable', { addSpecialTokens: false })).toEqual([25, 26, 27]);
  });
});

describe('ViT', () => {
  interface VitExpected { images_hwc_uint8: number[][][][]; pixel_values: Arr; last_hidden_state: Arr; attentions: Arr[]; logits?: Arr; pooler_output?: Arr }
  const images = (want: VitExpected) => want.images_hwc_uint8.map((img) => ({ data: Uint8Array.from(img.flat(2)), width: img[0]!.length, height: img.length }));

  it('ViTForImageClassification (F16): the image processor\'s pixels, logits, hidden states, attentions', async () => {
    const { model, imageProcessor, tokenizer } = await fromPretrained<VisionTransformer>(join(FIXTURES, 'vit-cls'));
    const want = expected<VitExpected>('vit-cls');
    expect(tokenizer).toBeNull();
    const pixels = imageProcessor!.preprocess(images(want));
    expectNear(pixels, want.pixel_values, 1e-5);
    const { logits, attention } = model.forwardWithAttention(pixels);
    expectNear(logits, want.logits!);
    expectNear(model.forwardFeatures(pixels).hidden, want.last_hidden_state);
    attention.forEach((a, l) => expectNear(a, want.attentions[l]!));
  });

  it('ViTModel (pooler): hidden states and pooled output', async () => {
    const { model, imageProcessor } = await fromPretrained<VisionTransformer>(join(FIXTURES, 'vit-base'));
    const want = expected<VitExpected>('vit-base');
    const pixels = imageProcessor!.preprocess(images(want));
    expectNear(model.forward(pixels), want.pooler_output!);
    expectNear(model.forwardFeatures(pixels).hidden, want.last_hidden_state);
  });

  it('also takes pixel values the caller made', async () => {
    const { model } = await fromPretrained<VisionTransformer>(join(FIXTURES, 'vit-cls'));
    const want = expected<VitExpected>('vit-cls');
    expectNear(model.forward(tensor(want.pixel_values.data, { shape: want.pixel_values.shape })), want.logits!);
  });
});

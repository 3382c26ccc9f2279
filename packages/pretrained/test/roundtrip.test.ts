// load → save → load is bit-identical, and what savePretrained writes is Hugging Face's layout: the
// same tensor names, shapes and bytes as the reference folders (made with Hugging Face's names).
import { load } from '@qkv/nn';
import type { Module } from '@qkv/nn';
import { GPT, VisionTransformer } from '@qkv/transformer';
import type { BertForMaskedLM } from '@qkv/transformer';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromPretrained, pretrainedFiles } from '../src/index.js';
import { fromPretrained as fromDirectory, savePretrained } from '../src/node.js';
import { FIXTURES, expected, ids } from './helpers.js';
import { asFiles, folderBytes } from './memory.js';

/** Every state-dict tensor's float32 bits, by name. */
function bits(model: Module): Map<string, number[]> {
  return new Map(Object.entries(model.stateDict()).map(([k, t]) => [k, Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer))]));
}

/** The tensors of one or several safetensors files, by name without the base-model prefix, as F32 bits. */
function hubBits(files: Map<string, Uint8Array>, prefix: string): Map<string, { shape: number[]; bits: number[] }> {
  const out = new Map<string, { shape: number[]; bits: number[] }>();
  for (const [name, bytes] of files) {
    if (!name.endsWith('.safetensors')) continue;
    for (const [k, t] of Object.entries(load(bytes).tensors)) {
      out.set(k.startsWith(prefix) ? k.slice(prefix.length) : k, { shape: t.shape, bits: Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer)) });
    }
  }
  return out;
}

const CASES = [['gpt2', 'transformer.'], ['bert-mlm', 'bert.'], ['bert-cls', 'bert.'], ['bert-base', 'bert.'], ['vit-cls', 'vit.'], ['vit-base', 'vit.']] as const;

describe.each(CASES)('%s', (name, prefix) => {
  it('load → save → load gives bit-identical tensors, and saving again gives identical files', async () => {
    const first = await fromDirectory(join(FIXTURES, name));
    const saved = pretrainedFiles(first.model, { tokenizer: first.tokenizer });
    const second = await fromPretrained(asFiles(saved));
    expect(second.architecture).toBe(first.architecture);
    expect(bits(second.model)).toEqual(bits(first.model));
    const again = pretrainedFiles(second.model, { tokenizer: second.tokenizer });
    expect([...again.keys()]).toEqual([...saved.keys()]);
    for (const [file, bytes] of saved) expect(again.get(file), file).toEqual(bytes);
  });

  it('writes the Hub names, shapes and values of the reference folder (its buffers and tied copies aside)', async () => {
    const { model } = await fromDirectory(join(FIXTURES, name));
    const ours = hubBits(pretrainedFiles(model), prefix);
    const reference = hubBits(folderBytes(name), prefix);
    for (const k of reference.keys()) if (/^h\.\d+\.attn\.bias$/.test(k)) reference.delete(k); // GPT-2's legacy causal-mask buffers
    expect([...ours.keys()].sort()).toEqual([...reference.keys()].sort());
    for (const [k, v] of reference) expect(ours.get(k), k).toEqual(v);
  });
});

describe('savePretrained', () => {
  it('writes a directory that loads back, with the tokenizer files and config fields kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qkv-pretrained-'));
    try {
      const { model, tokenizer, config } = await fromDirectory<GPT>(join(FIXTURES, 'gpt2'));
      await savePretrained(model, dir, { tokenizer });
      expect(readdirSync(dir).sort()).toEqual(['config.json', 'merges.txt', 'model.safetensors', 'vocab.json']);
      const saved = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      expect(saved.model_type).toBe('gpt2');
      expect(saved.activation_function).toBe('gelu_new');
      expect(saved.bos_token_id).toBe(config.fields.get('bos_token_id'));
      const back = await fromDirectory<GPT>(dir);
      expect(back.tokenizer!.encode('The attention mechanism')).toEqual(tokenizer!.encode('The attention mechanism'));
      const want = expected<{ input_ids: number[][] }>('gpt2');
      expect(back.model.forward(ids(want.input_ids)).dataSync()).toEqual(model.forward(ids(want.input_ids)).dataSync());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('saves a GPT trained in qkv as GPT2LMHeadModel: Conv1D weights transposed, lm_head left to the tie', async () => {
    const gpt = new GPT({ vocabSize: 11, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 4, geluApproximate: 'tanh' });
    const files = pretrainedFiles(gpt);
    const { tensors } = load(files.get('model.safetensors')!);
    expect(Object.keys(tensors)).not.toContain('lm_head.weight');
    const w = gpt.transformer.h.get(0).attn.cAttn.weight; // [3E, E] = [12, 4]
    expect(tensors['transformer.h.0.attn.c_attn.weight']!.shape).toEqual([4, 12]);
    expect(tensors['transformer.h.0.attn.c_attn.weight']!.dataSync()).toEqual(w.transpose(0, 1).contiguous().dataSync());
    const back = await fromPretrained<GPT>(asFiles(files), { tokenizer: false });
    expect(back.model.forward(ids([[1, 2, 3]])).dataSync()).toEqual(gpt.eval().forward(ids([[1, 2, 3]])).dataSync());
  });

  it('saves a ViT whose final norm uses another epsilon only after saying why', () => {
    const vit = new VisionTransformer({ imageSize: 8, patchSize: 4, numClasses: 2, dModel: 8, depth: 1, nhead: 2 });
    expect(() => pretrainedFiles(vit)).toThrow(/one layer_norm_eps; this model.s layers use 0.00001 and its final norm 0.000001/);
    const ok = new VisionTransformer({ imageSize: 8, patchSize: 4, numClasses: 2, dModel: 8, depth: 1, nhead: 2, layerNormEps: 1e-12 });
    const config = JSON.parse(new TextDecoder().decode(pretrainedFiles(ok).get('config.json'))) as Record<string, unknown>;
    expect(config).toMatchObject({ model_type: 'vit', architectures: ['ViTForImageClassification'], layer_norm_eps: 1e-12, image_size: 8, patch_size: 4 });
  });

  it('refuses a model with no Hub layout, naming its class', async () => {
    const { Linear } = await import('@qkv/nn');
    expect(() => pretrainedFiles(new Linear(2, 2))).toThrow(/savePretrained: a Linear has no Hub layout/);
  });

  it('keeps the tied MLM decoder tied after loading', async () => {
    const { model } = await fromDirectory<BertForMaskedLM>(join(FIXTURES, 'bert-mlm'));
    expect(model.decoder.weight).toBe(model.bert.embeddings.wordEmbeddings.weight);
  });
});

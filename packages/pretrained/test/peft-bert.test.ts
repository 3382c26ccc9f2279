// LoRA on a Hub BERT classifier with PEFT's BERT targets (`query`, `value`): the forward equals
// the base model with W + (alpha/r)·B·A merged by hand, adapter files carry the names Python's
// peft writes for BertForSequenceClassification (SEQ_CLS: classifier saved whole), and gradients
// reach only the adapters and the classifier (finite differences).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossEntropy, injectLoRA, load, loraLayers, trainableParameters } from '@qkv/nn';
import { loadAdapter, saveAdapter } from '@qkv/nn/node';
import { manualSeed, noGrad, randn, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { BertForSequenceClassification } from '@qkv/transformer';
import { adapterNameMap } from '../src/index.js';
import { fromPretrained } from '../src/node.js';
import { FIXTURES, ids } from './helpers.js';

const open = async () => (await fromPretrained<BertForSequenceClassification>(join(FIXTURES, 'bert-cls'))).model;
const values = (t: Tensor) => Array.from(t.dataSync());
const batch = () => ({ x: ids([[2, 17, 30, 41, 3, 0], [2, 8, 9, 3, 0, 0]]), mask: ids([[1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 0, 0]]) });

/** Injects r = 4, alpha = 8 adapters on query/value with random B (so the update is not zero). */
async function adapted(seed: number): Promise<BertForSequenceClassification> {
  const model = await open();
  manualSeed(seed);
  injectLoRA(model, { r: 4, alpha: 8, targetModules: ['query', 'value'], modulesToSave: ['classifier', 'score'] });
  for (const [, layer] of loraLayers(model)) noGrad(() => layer.lora_B.weight.assign(randn(layer.lora_B.weight.shape).mul(0.3)));
  return model;
}

describe('LoRA on BERT (PEFT targets query, value)', () => {
  it('adapts each layer\'s separate query and value Linear; the forward equals the base with W + 2·B·A merged by hand', async () => {
    const model = await adapted(1);
    expect(loraLayers(model).map(([n]) => n)).toEqual([0, 1].flatMap((i) => ['query', 'value'].map((m) => `bert.encoder.layers.${i}.self_attn.${m}`)));
    const plain = await open();
    const W = new Map(plain.namedParameters());
    noGrad(() => {
      for (const [name, layer] of loraLayers(model)) {
        const [A, B, w] = [layer.lora_A.weight.toArray() as number[][], layer.lora_B.weight.toArray() as number[][], W.get(`${name}.weight`)!];
        const base = w.toArray() as number[][];
        // W'[o][i] = W[o][i] + (alpha / r) · Σ_k B[o][k]·A[k][i], in plain JS loops
        const merged = base.map((row, o) => row.map((v, i) => v + 2 * B[o]!.reduce((s, b, k) => s + b * A[k]![i]!, 0)));
        w.assign(tensor(merged));
      }
    });
    const { x, mask } = batch();
    const got = values(model.forward(x, { attentionMask: mask }));
    const want = values(plain.forward(x, { attentionMask: mask }));
    const base = values((await open()).forward(x, { attentionMask: mask }));
    expect(Math.max(...got.map((v, i) => Math.abs(v - base[i]!)))).toBeGreaterThan(1e-3); // the adapters change the logits
    got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));
  });

  it('saves the keys Python peft writes for BertForSequenceClassification (SEQ_CLS) and loads them back bit-identically', async () => {
    const model = await adapted(2);
    noGrad(() => model.classifier.weight.assign(randn(model.classifier.weight.shape)));
    const dir = mkdtempSync(join(tmpdir(), 'qkv-bert-peft-'));
    await saveAdapter(model, dir, { nameMap: adapterNameMap(model), taskType: 'SEQ_CLS', modulesToSave: ['classifier', 'score'] });
    const { tensors } = load(new Uint8Array(readFileSync(join(dir, 'adapter_model.safetensors'))));
    expect(Object.keys(tensors).sort()).toEqual([
      'base_model.model.classifier.bias', 'base_model.model.classifier.weight',
      ...[0, 1].flatMap((i) => ['query', 'value'].flatMap((m) => ['A', 'B'].map((ab) => `base_model.model.bert.encoder.layer.${i}.attention.self.${m}.lora_${ab}.weight`))),
    ].sort());
    expect(tensors['base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight']!.shape).toEqual([4, 32]);
    const config = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ task_type: 'SEQ_CLS', target_modules: ['query', 'value'], modules_to_save: ['classifier', 'score'], r: 4, lora_alpha: 8, fan_in_fan_out: false });

    const fresh = await open();
    expect(await loadAdapter(fresh, dir, { nameMap: adapterNameMap(fresh) })).toEqual(loraLayers(model).map(([n]) => n));
    const a = model.stateDict();
    const b = fresh.stateDict();
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) expect(values(b[k]!)).toEqual(values(a[k]!));
    const { x, mask } = batch();
    expect(values(fresh.forward(x, { attentionMask: mask }))).toEqual(values(model.forward(x, { attentionMask: mask })));
  });

  it('gradients reach only the adapters and the classifier, and equal finite differences', async () => {
    const model = await adapted(3);
    const { x, mask } = batch();
    const labels = tensor([2, 0], { dtype: 'int32' });
    const loss = () => crossEntropy(model.forward(x, { attentionMask: mask }), labels);
    loss().backward();
    const trainable = new Set(trainableParameters(model));
    const names = model.namedParameters().filter(([, p]) => trainable.has(p)).map(([n]) => n);
    expect(names).toEqual([
      ...[0, 1].flatMap((i) => ['query', 'value'].flatMap((m) => ['A', 'B'].map((ab) => `bert.encoder.layers.${i}.self_attn.${m}.lora_${ab}.weight`))),
      'classifier.weight', 'classifier.bias',
    ]);
    for (const [name, p] of model.namedParameters()) {
      if (trainable.has(p)) expect(p.grad, name).not.toBeNull();
      else expect(p.grad, name).toBeNull();
    }
    const probes: [Tensor, number][] = [[loraLayers(model)[0]![1].lora_A.weight, 5], [loraLayers(model)[3]![1].lora_B.weight, 7], [model.classifier.weight, 11]];
    for (const [p, index] of probes) {
      const analytic = p.grad!.dataSync()[index]!;
      const h = 1e-2;
      const at = (delta: number) => {
        const data = Float32Array.from(p.dataSync());
        data[index]! += delta;
        noGrad(() => p.assign(tensor(data, { shape: p.shape })));
        return noGrad(() => loss().item());
      };
      const numeric = (at(h) - at(-2 * h)) / (2 * h);
      at(h); // back to the original value
      expect(Math.abs(numeric - analytic)).toBeLessThan(2e-3 + 2e-2 * Math.abs(analytic));
    }
  });
});

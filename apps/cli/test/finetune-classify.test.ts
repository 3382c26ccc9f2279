// `qkv finetune --task classify` end to end on a tiny Hub BERT masked-LM folder: LoRA on query/value
// with a new pooler + classifier raises held-out accuracy; the adapter carries Python peft's
// BertForSequenceClassification names and reproduces the tuned model on the base; the merged Hub
// folder reloads through fromPretrained with the adapter path's logits; resume is bit-identical;
// mistakes are usage errors naming the flag and line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { load } from '@qkv/nn';
import { loadAdapter } from '@qkv/nn/node';
import { adapterNameMap } from '@qkv/pretrained';
import { fromPretrained, savePretrained } from '@qkv/pretrained/node';
import { manualSeed, noGrad, tensor } from '@qkv/tensor-core';
import { BertForMaskedLM, BertForSequenceClassification } from '@qkv/transformer';
import { UsageError } from '../src/errors.js';
import { encodeSplit, headTokens, heldOutAccuracy, loadClassifier, readExamples, splitExamples } from '../src/finetune/classify.js';
import { finetuneMain } from '../src/finetune/command.js';
import { tempDir, useFastBackend } from './helpers.js';

beforeAll(useFastBackend);

const colours = ['red', 'green', 'blue'];
const animals = ['cat', 'dog', 'bird'];
const verbs = ['runs', 'sits', 'sleeps'];
// "ham" texts talk about colours first, "spam" texts about animals first: a word-order cue the
// frozen random encoder sees only through attention
const examples = Array.from({ length: 160 }, (_, i) => {
  const spam = i % 2 === 1;
  const [a, b] = spam ? [animals[i % 3]!, colours[(i * 5) % 3]!] : [colours[i % 3]!, animals[(i * 5) % 3]!];
  return { text: `${a} ${b} ${verbs[(i * 7) % 3]!}`, label: spam ? 'spam' : 'ham' };
});

async function baseFolder(): Promise<string> {
  const dir = tempDir('ftc-base');
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...colours, ...animals, ...verbs, 'the', '.'];
  manualSeed(21);
  const mlm = new BertForMaskedLM({ vocabSize: vocab.length, hiddenSize: 16, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 32, maxPositionEmbeddings: 16, dropout: 0 });
  await savePretrained(mlm.eval(), dir);
  writeFileSync(join(dir, 'vocab.txt'), `${vocab.join('\n')}\n`);
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: true }));
  return dir;
}

function dataFile(rows: readonly object[], name = 'data.jsonl'): string {
  const file = join(tempDir('ftc-data'), name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

const quiet = () => {};
type Summary = { heldOut: { examples: number; accuracyBefore: number; accuracyAfter: number }; steps: number; trainableParameters: number; task: string };
const summaryOf = (out: string) => JSON.parse(readFileSync(join(out, 'finetune.json'), 'utf8')) as Summary;
const keysOf = (file: string) => Object.keys(load(new Uint8Array(readFileSync(file))).tensors).sort();

describe('qkv finetune --task classify', () => {
  let base = '';
  const data = dataFile(examples);
  let common: string[] = [];
  const flags = (dropout: string) => ['--task', 'classify', '--model', base, '--data', data, '--batch-size', '16', '--lr', '2e-2', '--warmup', '2', '--lora-rank', '4', '--lora-dropout', dropout, '--eval-fraction', '0.25', '--quiet'];
  beforeAll(async () => {
    base = await baseFolder();
    common = flags('0');
  });

  it('LoRA on query/value + new pooler/classifier raises held-out accuracy; the adapter has peft\'s SEQ_CLS keys and reproduces it', async () => {
    const out = tempDir('ftc-lora');
    expect(await finetuneMain([...common, '--max-steps', '40', '--out', out], quiet)).toBe(0);
    const summary = summaryOf(out);
    expect(summary).toMatchObject({ task: 'classify', steps: 40 });
    expect(summary.heldOut.examples).toBe(40);
    // LoRA A/B on query and value [16 → 16] at r 4, the pooler [16, 16] + 16, the classifier [2, 16] + 2
    expect(summary.trainableParameters).toBe(2 * 4 * (16 + 16) + 16 * 16 + 16 + 2 * 16 + 2);
    expect(summary.heldOut.accuracyAfter).toBeGreaterThanOrEqual(0.95);
    expect(summary.heldOut.accuracyAfter).toBeGreaterThan(summary.heldOut.accuracyBefore);

    expect(keysOf(join(out, 'adapter_model.safetensors'))).toEqual([
      'base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight', 'base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight',
      'base_model.model.bert.encoder.layer.0.attention.self.value.lora_A.weight', 'base_model.model.bert.encoder.layer.0.attention.self.value.lora_B.weight',
      'base_model.model.bert.pooler.dense.bias', 'base_model.model.bert.pooler.dense.weight',
      'base_model.model.classifier.bias', 'base_model.model.classifier.weight',
    ]);
    const config = JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ task_type: 'SEQ_CLS', target_modules: ['query', 'value'], modules_to_save: ['pooler', 'classifier', 'score'], r: 4, base_model_name_or_path: base });

    // the base folder + the adapter, loaded as a user would, scores what finetune reported
    const split = splitExamples(await readExamples(data, '--data'), null, 0.25, 0);
    const fresh = await loadClassifier(base, examples, undefined);
    await loadAdapter(fresh.model, out, { nameMap: adapterNameMap(fresh.model) });
    expect(heldOutAccuracy(fresh, encodeSplit(fresh, split.heldOut)).accuracy).toBe(summary.heldOut.accuracyAfter);
  });

  it('--save merged writes a Hub BertForSequenceClassification folder that reloads with the adapter path\'s logits', async () => {
    const args = [...common, '--max-steps', '12'];
    const adapterOut = tempDir('ftc-adapter');
    const mergedOut = tempDir('ftc-merged');
    await finetuneMain([...args, '--out', adapterOut], quiet);
    await finetuneMain([...args, '--save', 'merged', '--out', mergedOut], quiet);
    const { model: merged, labels, tokenizer } = await fromPretrained<BertForSequenceClassification>(mergedOut);
    expect(merged).toBeInstanceOf(BertForSequenceClassification);
    expect(labels).toEqual(['ham', 'spam']);
    const adapted = await loadClassifier(base, examples, undefined);
    await loadAdapter(adapted.model, adapterOut, { nameMap: adapterNameMap(adapted.model) });
    adapted.model.eval();
    const ids = tensor([tokenizer!.encode('red cat runs'), tokenizer!.encode('dog blue sits')], { dtype: 'int32' });
    const [a, b] = noGrad(() => [merged.forward(ids), adapted.model.forward(ids)]);
    const [x, y] = [a.dataSync(), b.dataSync()];
    expect(Array.from(y).some((v) => v !== 0)).toBe(true);
    x.forEach((v, i) => expect(Math.abs(v - y[i]!)).toBeLessThan(1e-5));
    expect(summaryOf(mergedOut).heldOut.accuracyAfter).toBe(summaryOf(adapterOut).heldOut.accuracyAfter);
  });

  it('--resume from a step-3 checkpoint ends on the bytes of 6 straight steps (dropout on); --eval-data replaces the held-out split', async () => {
    const heldOut = dataFile(examples.slice(0, 24), 'held.jsonl');
    const args = [...flags('0.2'), '--max-steps', '6', '--checkpoint-every', '3', '--eval-data', heldOut];
    const straight = tempDir('ftc-straight');
    await finetuneMain([...args, '--keep-checkpoints', '--out', straight], quiet);
    expect(summaryOf(straight).heldOut.examples).toBe(24);
    const resumed = tempDir('ftc-resumed');
    await finetuneMain([...args, '--resume', join(straight, 'checkpoint-3.safetensors'), '--out', resumed], quiet);
    const bytes = (dir: string) => readFileSync(join(dir, 'adapter_model.safetensors'));
    expect(bytes(resumed).equals(bytes(straight))).toBe(true);
  });

  it('headTokens: the first n tokens of a long text equal those of the whole text\'s encoding', async () => {
    const { tokenizer } = await loadClassifier(base, examples, undefined);
    const texts = [
      Array.from({ length: 400 }, (_, i) => `${colours[i % 3]!}${i % 7 === 0 ? '\n\n   \t' : ' '}${animals[i % 2]!}.`).join(' '),
      `${'x'.repeat(3000)} red cat`, `   ${'blue  '.repeat(50)}`, 'dog', '',
    ];
    for (const text of texts) for (const n of [1, 5, 14, 200]) expect(headTokens(tokenizer, text, n)).toEqual(tokenizer.encode(text, { addSpecialTokens: false }).slice(0, n));
  });

  it('reports mistakes as usage errors naming the flag, file and line', async () => {
    await expect(finetuneMain(['--task', 'tag', '--model', base, '--data', data], quiet)).rejects.toThrow(/--task must be causal-lm or classify, got 'tag'/);
    await expect(finetuneMain(['--model', base, '--data', data, '--eval-data', data], quiet)).rejects.toThrow(/--eval-data is for --task classify/);
    const bad = dataFile([{ text: 'red cat runs', label: 'ham' }]);
    writeFileSync(bad, `${readFileSync(bad, 'utf8')}{"text": "x"}\n`);
    await expect(finetuneMain(['--task', 'classify', '--model', base, '--data', bad], quiet)).rejects.toThrow(new RegExp(`--data ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 2 must have a "label"`));
    writeFileSync(bad, 'not json\n');
    await expect(finetuneMain(['--task', 'classify', '--model', base, '--data', bad], quiet)).rejects.toThrow(/line 1 is not JSON/);
    const one = dataFile(examples.map((e) => ({ ...e, label: 'ham' })));
    await expect(finetuneMain(['--task', 'classify', '--model', base, '--data', one], quiet)).rejects.toThrow(/at least two labels/);
    await expect(finetuneMain([...common, '--block-size', '40'], quiet)).rejects.toThrow(/--block-size must be in \[3, 16\]/);
    await expect(finetuneMain(['--task', 'classify', '--model', data, '--data', data], quiet)).rejects.toThrow(UsageError);
  });
});

// `qkv finetune` end to end on a tiny GPT folder: LoRA lowers held-out perplexity on a learnable
// text, the PEFT adapter and the merged model it writes reproduce the tuned model, a resumed run
// ends on the bytes of an uninterrupted one, and mistakes are usage errors naming the flag.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, save } from '@qkv/nn';
import { loadAdapter } from '@qkv/nn/node';
import { fromPretrained, savePretrained } from '@qkv/pretrained/node';
import { manualSeed } from '@qkv/tensor-core';
import { BPETokenizer, CharTokenizer } from '@qkv/tokenizer';
import { GPT } from '@qkv/transformer';
import { UsageError } from '../src/errors.js';
import { loadHubFolder, loadQkvFolder } from '../src/finetune/base-model.js';
import { finetuneMain } from '../src/finetune/command.js';
import { heldOutPerplexity, splitText } from '../src/finetune/session.js';
import { tempDir, useFastBackend } from './helpers.js';

beforeAll(useFastBackend);

// lines of a small grammar: learnable in a few dozen steps, unlike the random base model's guess
const words = ['red', 'green', 'blue', 'cat', 'dog', 'bird'];
const lines = Array.from({ length: 240 }, (_, i) => `${words[i % 3]} ${words[3 + ((i * 7) % 3)]} ${i % 2 === 0 ? 'runs' : 'sits'}.`);

function baseFolder(): string {
  const dir = tempDir('ft-base');
  manualSeed(11);
  const tokenizer = CharTokenizer.fromCorpus(lines.join('\n') + '\n');
  const config = { vocabSize: tokenizer.vocabSize, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 };
  const gpt = new GPT(config);
  // a random GPT's tied output embedding N(0, 0.02) caps every logit near 0, so no adapter could
  // sharpen its predictions; unit-scale embeddings stand in for a pretrained model's
  init.normal_(gpt.transformer.wte.weight, 0, 1);
  writeFileSync(join(dir, 'model.safetensors'), save(gpt.stateDict(), { metadata: { recipe: 'char-gpt' } }));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ recipe: 'char-gpt', model: { kind: 'GPT', ...config }, tokenizer: tokenizer.toJSON() }));
  return dir;
}

function dataFile(): string {
  const dir = tempDir('ft-data');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'text.txt'), lines.join('\n'));
  return join(dir, 'text.txt');
}

const quiet = () => {};
const summaryOf = (out: string) => JSON.parse(readFileSync(join(out, 'finetune.json'), 'utf8')) as { heldOut: { perplexityBefore: number; perplexityAfter: number }; steps: number; trainableParameters: number };

describe('qkv finetune', () => {
  const base = baseFolder();
  const data = dataFile();
  const common = ['--model', base, '--data', data, '--batch-size', '8', '--lr', '1e-2', '--warmup', '2', '--quiet'];

  it('LoRA lowers held-out perplexity; the PEFT adapter it writes reproduces the tuned model', async () => {
    const out = tempDir('ft-lora');
    expect(await finetuneMain([...common, '--lora-rank', '4', '--lora-dropout', '0', '--target', 'c_attn,c_fc', '--max-steps', '60', '--out', out], quiet)).toBe(0);
    const summary = summaryOf(out);
    expect(summary.steps).toBe(60);
    expect(summary.trainableParameters).toBe(4 * (16 + 48) + 4 * (16 + 64)); // c_attn [48, 16], c_fc [64, 16]
    expect(summary.heldOut.perplexityAfter).toBeLessThan(0.7 * summary.heldOut.perplexityBefore);
    const config = JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8, target_modules: ['c_attn', 'c_fc'], task_type: 'CAUSAL_LM' });

    const fresh = await loadQkvFolder(base);
    const split = splitText(lines.join('\n'), fresh, 0.1, 0);
    expect(heldOutPerplexity(fresh, split.heldOut, 16).perplexity).toBeCloseTo(summary.heldOut.perplexityBefore, 4);
    await loadAdapter(fresh.model, out);
    expect(heldOutPerplexity(fresh, split.heldOut, 16).perplexity).toBeCloseTo(summary.heldOut.perplexityAfter, 4);
  });

  it('--save merged writes the base layout with the update merged in, scoring as the adapter path did', async () => {
    const out = tempDir('ft-merged');
    await finetuneMain([...common, '--lora-rank', '2', '--max-steps', '10', '--save', 'merged', '--out', out], quiet);
    const summary = summaryOf(out);
    const merged = await loadQkvFolder(out);
    expect(Object.keys(merged.model.stateDict()).some((k) => k.includes('lora_'))).toBe(false);
    const split = splitText(lines.join('\n'), merged, 0.1, 0);
    expect(heldOutPerplexity(merged, split.heldOut, 16).perplexity).toBeCloseTo(summary.heldOut.perplexityAfter, 3);
  });

  it('--gradient-checkpointing gives the bytes of the plain run (the same gradients)', async () => {
    const args = [...common, '--lora-rank', '2', '--lora-dropout', '0.3', '--max-steps', '4'];
    const plain = tempDir('ft-plain');
    const recomputed = tempDir('ft-ckpt');
    await finetuneMain([...args, '--out', plain], quiet);
    await finetuneMain([...args, '--gradient-checkpointing', '--out', recomputed], quiet);
    const bytes = (dir: string) => readFileSync(join(dir, 'adapter_model.safetensors'));
    expect(bytes(recomputed).equals(bytes(plain))).toBe(true);
    expect((JSON.parse(readFileSync(join(recomputed, 'finetune.json'), 'utf8')) as { gradientCheckpointing: boolean }).gradientCheckpointing).toBe(true);
  });

  it('full fine-tuning (--lora-rank 0) trains every weight', async () => {
    const out = tempDir('ft-full');
    await finetuneMain([...common, '--lora-rank', '0', '--max-steps', '5', '--out', out], quiet);
    expect(summaryOf(out).trainableParameters).toBe((await loadQkvFolder(base)).model.numParameters());
  });

  it('--resume from a step-3 checkpoint ends on the bytes of 6 straight steps (dropout on)', async () => {
    const args = [...common, '--lora-rank', '2', '--lora-dropout', '0.3', '--max-steps', '6', '--checkpoint-every', '3'];
    const straight = tempDir('ft-straight');
    await finetuneMain([...args, '--keep-checkpoints', '--out', straight], quiet);
    const resumed = tempDir('ft-resumed');
    await finetuneMain([...args, '--resume', join(straight, 'checkpoint-3.safetensors'), '--out', resumed], quiet);
    const bytes = (dir: string) => readFileSync(join(dir, 'adapter_model.safetensors'));
    expect(bytes(resumed).equals(bytes(straight))).toBe(true);
    const shorter = tempDir('ft-shorter');
    await finetuneMain([...args.slice(0, -4), '--max-steps', '5', '--out', shorter], quiet);
    expect(bytes(shorter).equals(bytes(straight))).toBe(false);
  });

  it('tunes a Hub GPT-2 folder: PEFT keys on GPT2LMHeadModel paths with fan_in_fan_out, merged output in Hub layout', async () => {
    const hub = tempDir('ft-hub');
    manualSeed(12);
    const tokenizer = BPETokenizer.train(lines, { vocabSize: 300 });
    const gpt = new GPT({ vocabSize: tokenizer.vocabSize, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 });
    init.normal_(gpt.transformer.wte.weight, 0, 1);
    await savePretrained(gpt, hub);
    // the tokenizer as GPT-2's two files (savePretrained writes tokenizers that fromPretrained loaded)
    const { vocab, merges } = tokenizer.toJSON();
    writeFileSync(join(hub, 'vocab.json'), JSON.stringify(Object.fromEntries(vocab.map((t, i) => [t, i]))));
    writeFileSync(join(hub, 'merges.txt'), `#version: 0.2\n${merges.map(([a, b]) => `${a} ${b}\n`).join('')}`);
    const hubArgs = ['--model', hub, '--data', data, '--batch-size', '8', '--lr', '1e-2', '--warmup', '2', '--quiet', '--lora-rank', '4', '--lora-dropout', '0', '--max-steps', '30'];

    const adapterOut = tempDir('ft-hub-adapter');
    await finetuneMain([...hubArgs, '--out', adapterOut], quiet);
    const summary = summaryOf(adapterOut);
    expect(summary.heldOut.perplexityAfter).toBeLessThan(summary.heldOut.perplexityBefore);
    const config = JSON.parse(readFileSync(join(adapterOut, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ fan_in_fan_out: true, target_modules: ['c_attn'], base_model_name_or_path: hub });
    const header = readFileSync(join(adapterOut, 'adapter_model.safetensors'));
    const keys = Object.keys(JSON.parse(header.subarray(8, 8 + Number(header.readBigUInt64LE(0))).toString('utf8')) as object).filter((k) => k !== '__metadata__').sort();
    expect(keys).toEqual(['base_model.model.transformer.h.0.attn.c_attn.lora_A.weight', 'base_model.model.transformer.h.0.attn.c_attn.lora_B.weight']);

    const mergedOut = tempDir('ft-hub-merged');
    await finetuneMain([...hubArgs, '--save', 'merged', '--out', mergedOut], quiet);
    const reloaded = await loadHubFolder(mergedOut);
    const split = splitText(lines.join('\n'), reloaded, 0.1, 0);
    expect(heldOutPerplexity(reloaded, split.heldOut, 16).perplexity).toBeCloseTo(summaryOf(mergedOut).heldOut.perplexityAfter, 3);
    const { model } = await fromPretrained(mergedOut);
    expect(model).toBeInstanceOf(GPT);
  });

  it('reports mistakes as usage errors naming the flag', async () => {
    await expect(finetuneMain(['--data', data], quiet)).rejects.toThrow(UsageError);
    await expect(finetuneMain(['--model', base, '--data', data, '--lora-rank', 'x'], quiet)).rejects.toThrow(/--lora-rank must be an integer ≥ 0, got 'x'/);
    await expect(finetuneMain(['--model', base, '--data', data, '--lora-rank', '0', '--save', 'adapter'], quiet)).rejects.toThrow(/--save adapter needs LoRA/);
    await expect(finetuneMain(['--model', data, '--data', data], quiet)).rejects.toThrow(/has no manifest\.json/);
    await expect(finetuneMain(['--model', base, '--data', join(base, 'missing.txt')], quiet)).rejects.toThrow(/cannot read --data/);
    await expect(finetuneMain(['--model', base, '--data', data, '--block-size', '99'], quiet)).rejects.toThrow(/exceeds the model's context of 16/);
  });
});

// `qkv export-onnx --model NAME|DIR --out model.onnx`: a shipped model (rebuilt from its manifest,
// as `qkv eval` does) or a Hugging Face Hub-layout folder (GPT-2, BERT, ViT) written as ONNX.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Module } from '@qkv/nn';
import { exportOnnxGraph, encodeModel } from '@qkv/onnx';
import type { ExportOnnxOptions } from '@qkv/onnx';
import { fromPretrained } from '@qkv/pretrained/node';
import { manualSeed } from '@qkv/tensor-core';
import { Seq2SeqGRU, Seq2SeqTransformer } from '@qkv/transformer';
import { UsageError } from './errors.js';
import { findRecipe } from './recipes/index.js';
import { loadWeights } from './train/checkpoint.js';

/** The models the project ships, by name: where their manifest and weights live. */
const SHIPPED: Record<string, string> = {
  'g2p-transformer': '../../demo/public/models/g2p-transformer',
  'g2p-gru': '../../demo/public/models/g2p-gru',
  'vit-mnist': '../../demo/public/models/vit-mnist',
  'spam-classifier': '../models/spam-classifier',
  'char-gpt': '../models/char-gpt',
};

export const EXPORT_ONNX_USAGE = `usage: qkv export-onnx --model NAME|DIR --out model.onnx [--kv-cache] [--attentions] [--part encoder|decoder]

  NAME   a shipped model: ${Object.keys(SHIPPED).join(', ')}
  DIR    a folder with manifest.json + model.safetensors (qkv export), or a Hugging Face
         Hub-layout GPT-2 / BERT / ViT folder (config.json + model.safetensors)
  --kv-cache     GPT: past_key_values.N.key/value in, present.N.key/value out
  --attentions   also output every layer's attention weights
  --part         encoder-decoder models: only this graph (default: both, as <out>-encoder.onnx and
                 <out>-decoder.onnx)`;

/** The model of a shipped name or a qkv export folder, rebuilt from its manifest. */
async function shippedModel(dir: string): Promise<Module> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { recipe?: string; run?: { seed?: number; settings?: Record<string, string> }; weights?: { file?: string } };
  const recipe = findRecipe(manifest.recipe);
  const { set: defaultSet, ...defaults } = recipe.defaults;
  const run = { ...defaults, seed: manifest.run?.seed ?? defaults.seed, set: { ...defaultSet, ...manifest.run?.settings } };
  manualSeed(run.seed);
  const session = await recipe.setup(run, manifest);
  await loadWeights(join(dir, manifest.weights?.file ?? 'model.safetensors'), session.model, recipe.name);
  return session.model.eval();
}

async function modelFrom(spec: string): Promise<Module> {
  const dir = SHIPPED[spec] ? resolve(import.meta.dirname, SHIPPED[spec]) : resolve(spec);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`export-onnx: --model must be a shipped model (${Object.keys(SHIPPED).join(', ')}) or a folder, got '${spec}'`);
  if (existsSync(join(dir, 'manifest.json'))) return shippedModel(dir);
  if (existsSync(join(dir, 'config.json'))) return (await fromPretrained(dir)).model;
  throw new UsageError(`export-onnx: ${dir} has neither manifest.json (a qkv export) nor config.json (a Hub-layout model)`);
}

/** Runs `qkv export-onnx …`; returns the exit code. */
export async function exportOnnxCommand(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv, strict: true, allowPositionals: false,
    options: { model: { type: 'string' }, out: { type: 'string' }, 'kv-cache': { type: 'boolean' }, attentions: { type: 'boolean' }, part: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (v.help) {
    console.log(EXPORT_ONNX_USAGE);
    return 0;
  }
  if (!v.model || !v.out) throw new UsageError(`export-onnx needs --model and --out\n\n${EXPORT_ONNX_USAGE}`);
  if (v.part !== undefined && v.part !== 'encoder' && v.part !== 'decoder') throw new UsageError(`export-onnx: --part must be 'encoder' or 'decoder', got '${v.part}'`);
  const model = await modelFrom(v.model);
  const options: ExportOnnxOptions = { kvCache: v['kv-cache'] ?? false, attentionOutputs: v.attentions ?? false };
  const twoGraphs = model instanceof Seq2SeqTransformer || model instanceof Seq2SeqGRU;
  const parts: (ExportOnnxOptions['part'] | undefined)[] = !twoGraphs ? [undefined] : v.part ? [v.part] : ['encoder', 'decoder'];
  await mkdir(dirname(resolve(v.out)), { recursive: true });
  for (const part of parts) {
    const file = twoGraphs && !v.part ? join(dirname(v.out), `${basename(v.out, '.onnx')}-${part}.onnx`) : v.out;
    const graph = exportOnnxGraph(model, [], part ? { ...options, part } : options);
    const bytes = encodeModel(graph.model);
    await writeFile(file, bytes);
    const sig = (xs: typeof graph.inputs) => xs.map((x) => `${x.name} [${x.shape.join(', ')}]`).join(', ');
    console.log(`wrote ${file} (${(bytes.byteLength / 1e6).toFixed(2)} MB, opset 17, ${graph.initializers.length} initializers)\n  inputs:  ${sig(graph.inputs)}\n  outputs: ${sig(graph.outputs)}`);
  }
  return 0;
}

// PEFT adapter folders on disk (Node only): `adapter_model.safetensors` + `adapter_config.json`.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValueError } from '@qkv/tensor-core';
import type { Module } from '../module.js';
import { ADAPTER_CONFIG_NAME, ADAPTER_WEIGHTS_NAME, adapterFiles, loadAdapterFiles } from './peft.js';
import type { AdapterNameOptions, AdapterSaveOptions, PeftLoraConfig } from './peft.js';

/**
 * Writes the model's LoRA adapters to `dir` (created if needed) as PEFT does, so
 * `PeftModel.from_pretrained(base, dir)` loads them in Python. Returns the config written.
 * @example await saveAdapter(gpt, 'out/adapter', { nameMap: gpt2.toHf, taskType: 'CAUSAL_LM' })
 */
export async function saveAdapter(model: Module, dir: string, options: AdapterSaveOptions = {}): Promise<PeftLoraConfig> {
  const { weights, config } = adapterFiles(model, options);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, ADAPTER_WEIGHTS_NAME), weights);
  await writeFile(join(dir, ADAPTER_CONFIG_NAME), `${JSON.stringify(config, null, 2)}\n`);
  return config;
}

/**
 * Reads a PEFT adapter folder into `model` (see `loadAdapterFiles`); returns the adapted qkv
 * module names.
 * @example await loadAdapter(gpt, 'out/adapter', { nameMap: gpt2.toHf })
 */
export async function loadAdapter(model: Module, dir: string, options: AdapterNameOptions = {}): Promise<string[]> {
  const text = await readFile(join(dir, ADAPTER_CONFIG_NAME), 'utf8');
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (err) {
    throw new ValueError(`loadAdapter: ${join(dir, ADAPTER_CONFIG_NAME)} is not valid JSON (${(err as Error).message})`);
  }
  return loadAdapterFiles(model, new Uint8Array(await readFile(join(dir, ADAPTER_WEIGHTS_NAME))), config, options);
}

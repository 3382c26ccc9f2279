/**
 * @qkv/nn/node — safetensors files on disk (Node only). The core `load`/`save` work on bytes in
 * any environment; these add the file system.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { load, save } from './safetensors.js';
import type { Loaded, SaveOptions } from './safetensors.js';
import type { Tensor } from '@qkv/tensor-core';

/**
 * Reads and validates a .safetensors file.
 * @example const { tensors } = await loadFile('model.safetensors'); model.loadStateDict(tensors)
 */
export async function loadFile(path: string): Promise<Loaded> {
  return load(new Uint8Array(await readFile(path)));
}

/**
 * Writes tensors (e.g. `model.stateDict()`) to a .safetensors file.
 * @example await saveFile('model.safetensors', model.stateDict())
 */
export async function saveFile(path: string, tensors: Readonly<Record<string, Tensor>>, options: SaveOptions = {}): Promise<void> {
  await writeFile(path, save(tensors, options));
}

export { loadAdapter, saveAdapter } from '../lora/node.js';

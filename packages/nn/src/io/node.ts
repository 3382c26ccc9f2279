/**
 * @qkv/nn/node — safetensors files on disk (Node only). The core `load`/`save` work on bytes in
 * any environment; these add the file system.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Tensor } from '@qkv/tensor-core';
import { ioError } from './errors.js';
import { load, save } from './safetensors.js';
import type { Loaded, NamedTensors, SafetensorsLoadOptions, SaveOptions } from './safetensors.js';

/**
 * Reads a file for one of the readers, turning the file system's errors (missing file, a
 * directory, no permission) into a SafetensorsError that names the function and the file.
 * @example const bytes = await readFileBytes('model.safetensors', 'safetensors.loadFile')
 */
export async function readFileBytes(path: string, fn: string): Promise<Uint8Array> {
  const ctx = { fn, file: path };
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw ioError(ctx, undefined, code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (err as Error).message})`);
  }
  if (info.isDirectory()) throw ioError(ctx, undefined, 'expected a file, got a directory');
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw ioError(ctx, undefined, `cannot read it (${(err as { code?: string }).code ?? (err as Error).message})`);
  }
}

/**
 * Reads and validates a .safetensors file; errors name the file.
 * @example const { tensors } = await loadFile('model.safetensors'); model.loadStateDict(tensors)
 */
export async function loadFile(path: string, options: Omit<SafetensorsLoadOptions, 'file'> = {}): Promise<Loaded> {
  return load(await readFileBytes(path, 'safetensors.loadFile'), { ...options, file: path });
}

/**
 * Writes tensors (e.g. `model.stateDict()`, or a Map) to a .safetensors file.
 * @example await saveFile('model.safetensors', model.stateDict())
 */
export async function saveFile(path: string, tensors: NamedTensors | Readonly<Record<string, Tensor>>, options: SaveOptions = {}): Promise<void> {
  await writeFile(path, save(tensors, options));
}

export { loadAdapter, saveAdapter } from '../lora/node.js';

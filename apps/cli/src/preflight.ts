// Checks that run before any slow work (loading a dataset, building a model): the files named on
// the command line exist, are files, hold a valid safetensors header, and have a readable manifest.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseHeader } from '@qkv/nn';
import { readFileBytes } from '@qkv/nn/node';

/**
 * Reads `path` and validates its safetensors header (not its data): a missing file, a directory or
 * a truncated file is a one-line error naming the file, within milliseconds.
 * @example await checkWeightsFile('runs/g2p/checkpoint.safetensors', '--checkpoint')
 */
export async function checkWeightsFile(path: string, flag: string): Promise<void> {
  parseHeader(await readFileBytes(path, flag), { file: path });
}

/**
 * The manifest.json beside a weights file: the settings, vocabularies and seed the model was built
 * with. Missing or broken, it is an error naming the file (without it the model would be rebuilt
 * from the recipe's defaults and fail later with a size mismatch).
 * @example const manifest = await readManifest('runs/g2p/checkpoint.safetensors')
 */
export async function readManifest(weightsFile: string): Promise<Record<string, unknown>> {
  const path = join(dirname(weightsFile), 'manifest.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new Error(`${path}: no manifest.json beside ${weightsFile}; the model is rebuilt from the manifest that qkv train or qkv export writes there`, { cause: err });
    throw new Error(`${path}: cannot read the manifest (${code ?? (err as Error).message})`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: the manifest is not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${path}: the manifest must be a JSON object, got ${Array.isArray(json) ? 'an array' : String(json)}`);
  return json as Record<string, unknown>;
}

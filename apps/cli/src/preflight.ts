// Checks that run before any slow work (loading a dataset, building a model): the files named on
// the command line exist, are files, hold a valid safetensors header, and have a readable manifest.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseHeader } from '@qkv/nn';
import { readFileBytes } from '@qkv/nn/node';
import { FileError } from './errors.js';

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
 * with. Missing or broken, it is a FileError naming the file (without it the model would be rebuilt
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
    if (code === 'ENOENT') throw new FileError(`${path}: no manifest.json beside ${weightsFile}; the model is rebuilt from the manifest that qkv train or qkv export writes there`, { cause: err });
    throw new FileError(`${path}: cannot read the manifest (${code ?? (err as Error).message})`, { cause: err });
  }
  return parseManifest(text, path);
}

/** The most characters a manifest may have (the shipped ones are at most 230 kB, a vocabulary included). */
const MAX_MANIFEST = 50_000_000;

/**
 * A manifest's text → its JSON object, with the fields the CLI itself reads checked: `recipe` a
 * string, `run` an object whose `seed` is a non-negative integer and whose `settings` map names to
 * strings (each as `--set name=value` gives it). Anything else is a FileError naming the file and field.
 * @example parseManifest('{"recipe":"g2p-gru","run":{"seed":0,"settings":{}}}', 'runs/g2p-gru/manifest.json')
 */
export function parseManifest(text: string, path: string): Record<string, unknown> {
  if (text.length > MAX_MANIFEST) throw new FileError(`${path}: the manifest is ${text.length} characters, more than ${MAX_MANIFEST}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FileError(`${path}: the manifest is not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FileError(`${path}: the manifest must be a JSON object, got ${Array.isArray(json) ? 'an array' : String(json)}`);
  const manifest = json as Record<string, unknown>;
  const field = (name: string, expected: string, got: unknown) => new FileError(`${path}: field '${name}' must be ${expected}, got ${describe(got)}`);
  if (Object.hasOwn(manifest, 'recipe') && typeof manifest.recipe !== 'string') throw field('recipe', 'a recipe name', manifest.recipe);
  if (Object.hasOwn(manifest, 'run')) {
    const run = manifest.run;
    if (typeof run !== 'object' || run === null || Array.isArray(run)) throw field('run', 'an object { seed, settings }', run);
    const { seed, settings } = run as Record<string, unknown>;
    if (Object.hasOwn(run, 'seed') && !(typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0)) throw field('run.seed', 'a non-negative integer', seed);
    if (Object.hasOwn(run, 'settings')) {
      if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw field('run.settings', 'an object { name: value }', settings);
      for (const [k, v] of Object.entries(settings)) if (typeof v !== 'string') throw field(`run.settings.${k.slice(0, 40)}`, 'a string (as --set gives it)', v);
    }
  }
  return manifest;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v;
}

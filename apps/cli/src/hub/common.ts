// What `qkv generate`, `qkv inspect` and `qkv convert` share: flag parsing with errors that name
// the flag, the backend, loading a Hub-layout folder with progress on stderr, and token labels.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import '@qkv/wasm-kernels';
import { getThreads, setThreads } from '@qkv/wasm-kernels';
import { fromPretrained } from '@qkv/pretrained/node';
import type { Pretrained, Progress } from '@qkv/pretrained';
import { getBackend, setBackend } from '@qkv/tensor-core';
import type { PretrainedTokenizer } from '@qkv/tokenizer';
import { UsageError } from '../errors.js';

/** The flags every Hub command takes besides its own. */
export const HUB_COMMON_FLAGS = { backend: { type: 'string' }, threads: { type: 'string' }, quiet: { type: 'boolean' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

/** node:util's parseArgs, its errors as UsageErrors that start with the command. */
export function parseFlags<O extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options: { ...HUB_COMMON_FLAGS, ...options } }).values;
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message}`);
  }
}

/** An integer flag in [min, max]; `fallback` when absent. */
export function intFlag(command: string, flag: string, value: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${command}: --${flag} must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, got '${value}'`);
  }
  return n;
}

/** A number flag that `ok` accepts (`expected` says what that is). */
export function numberFlag(command: string, flag: string, value: string | undefined, ok: (n: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new UsageError(`${command}: --${flag} must be ${expected}, got '${value}'`);
  return n;
}

/** `--backend` (cpu | wasm, default wasm falling back to cpu) and `--threads`; returns 'wasm × 2 thread(s)'. */
export async function useBackend(command: string, backend: string | undefined, threads: string | undefined): Promise<string> {
  if (backend !== undefined && backend !== 'cpu' && backend !== 'wasm') throw new UsageError(`${command}: --backend must be cpu or wasm, got '${backend}'`);
  const n = intFlag(command, 'threads', threads, 1, 1, 256);
  await setBackend(backend ?? 'wasm').catch(async () => setBackend('cpu'));
  if (getBackend() === 'wasm') await setThreads(n);
  return getBackend() === 'wasm' ? `wasm × ${await getThreads()} thread(s)` : getBackend();
}

/** A folder's config.json fields that decide what a command does, read before any weight. */
export interface FolderKind {
  dir: string;
  modelType: string;
  architecture: string;
  /** Files of the folder (for messages about what is missing). */
  has(file: string): boolean;
  /** A positive integer field of config.json (undefined when absent or not one): ranges are checked before loading. */
  int(field: string): number | undefined;
}

/** Checks that `--model DIR` is a Hub-layout folder and reads its model_type and architecture. */
export function hubFolder(command: string, flag: string, dir: string | undefined): FolderKind {
  if (dir === undefined) throw new UsageError(`${command}: ${flag} DIR is required (a Hugging Face Hub-layout folder: config.json + model.safetensors)`);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${command}: ${flag} must be a folder, got '${dir}' (${existsSync(dir) ? 'a file' : 'no such path'})`);
  const has = (file: string) => existsSync(join(dir, file));
  if (!has('config.json')) {
    const hint = has('manifest.json') ? '; it holds a qkv export (manifest.json): qkv convert --from it --to DIR writes the Hub layout' : '';
    throw new UsageError(`${command}: ${flag} ${dir} has no config.json, so it is not a Hugging Face Hub-layout folder${hint}`);
  }
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  } catch (err) {
    throw new UsageError(`${command}: ${join(dir, 'config.json')} is not valid JSON (${(err as Error).message})`);
  }
  const fields = typeof config === 'object' && config !== null && !Array.isArray(config) ? new Map(Object.entries(config)) : new Map<string, unknown>();
  const modelType = fields.get('model_type');
  const architectures = fields.get('architectures');
  const first = Array.isArray(architectures) && typeof architectures[0] === 'string' ? architectures[0] : '';
  const int = (field: string) => {
    const value = fields.get(field);
    return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
  };
  return { dir, modelType: typeof modelType === 'string' ? modelType : '', architecture: first, has, int };
}

/**
 * Loads a Hub folder with `@qkv/pretrained`, reporting each file's progress on stderr (a line that
 * redraws on a terminal, one line per file otherwise; nothing with `quiet`).
 */
export async function loadFolder(dir: string, options: { tokenizer?: boolean; quiet?: boolean } = {}): Promise<Pretrained> {
  const started = performance.now();
  const tty = process.stderr.isTTY;
  const finished = new Set<string>();
  const onProgress = ({ file, loaded, total }: Progress): void => {
    if (options.quiet || finished.has(file)) return;
    const mb = (n: number) => (n / 1e6).toFixed(2);
    if (tty) process.stderr.write(`\rloading ${file}: ${mb(loaded)} / ${mb(total)} MB (${total ? Math.round((100 * loaded) / total) : 100} %)`);
    if (loaded >= total) {
      finished.add(file);
      process.stderr.write(`${tty ? '\r' : ''}loaded ${file} (${mb(total)} MB)${tty ? '\x1b[K' : ''}\n`);
    }
  };
  const pretrained = await fromPretrained(dir, { onProgress, tokenizer: options.tokenizer ?? true });
  if (!options.quiet) process.stderr.write(`${pretrained.architecture} from ${dir}: ${pretrained.model.numParameters().toLocaleString()} parameters, loaded in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
  return pretrained;
}

/** What the folder lacks for text: the tokenizer files its family reads. */
export function tokenizerFilesOf(modelType: string): string {
  return modelType === 'gpt2' ? 'tokenizer.json, or vocab.json + merges.txt' : 'tokenizer.json, or vocab.txt';
}

/** Whether the folder has a tokenizer its family reads. */
export function hasTokenizer(folder: FolderKind): boolean {
  if (folder.has('tokenizer.json')) return true;
  return folder.modelType === 'gpt2' ? folder.has('vocab.json') && folder.has('merges.txt') : folder.has('vocab.txt');
}

/**
 * A token as a label: its text with whitespace made visible (␣ ⏎ ⇥), or the vocabulary's spelling
 * when it is not text on its own (a piece of a UTF-8 character).
 * @example tokenLabel(tokenizer, 220) // '␣'
 */
export function tokenLabel(tokenizer: PretrainedTokenizer | null, id: number): string {
  if (!tokenizer) return String(id);
  const text = tokenizer.decode([id]);
  if (text === '' || text.includes('\uFFFD')) return tokenizer.idToToken(id) ?? String(id);
  return text.replaceAll(' ', '␣').replaceAll('\n', '⏎').replaceAll('\t', '⇥');
}

/** The k largest entries of `row` as [index, value], largest first. */
export function topK(row: ArrayLike<number>, k: number): [number, number][] {
  const order = Array.from({ length: row.length }, (_, i) => i).sort((a, b) => row[b]! - row[a]! || a - b);
  return order.slice(0, k).map((i) => [i, row[i]!]);
}

/** softmax of one row, in float64. */
export function softmaxRow(row: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]!);
  const out = new Float64Array(row.length);
  let total = 0;
  for (let i = 0; i < row.length; i++) total += out[i] = Math.exp(row[i]! - max);
  for (let i = 0; i < row.length; i++) out[i]! /= total;
  return out;
}

/** Colour on a terminal without NO_COLOR; shade characters for pipes and logs. */
export function colorMode(): 'truecolor' | 'none' {
  return process.stdout.isTTY && !process.env.NO_COLOR ? 'truecolor' : 'none';
}

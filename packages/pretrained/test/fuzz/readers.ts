// The readers of @qkv/pretrained under fuzz, each fed mutations of the tiny fixture folders (see
// mutations.ts): config.json per family (parsed, checked and built as fromPretrained does),
// model.safetensors.index.json, preprocessor_config.json, the safetensors header/tensor reader
// (F32, F16, BF16) and fromPretrained on a whole mutated folder. Used at a small size by the unit
// tests and at ≥ 10,000 cases per reader by `pnpm --filter @qkv/pretrained fuzz`.
//
// The property: a case either loads, or throws a PretrainedError whose message starts with the public
// function and names the file; never another class (tokenizer files too: fromPretrained wraps the
// tokenizer's TokenizerError, so one class covers every bad folder), never past the time limit, and
// the prototypes of Object, Array, Function and Map keep their own properties.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { fuzzReader, fuzzReaderAsync } from '@qkv/fuzz-harness';
import type { FuzzCounts } from '@qkv/fuzz-harness';
import { HubConfig, PretrainedError, filesSource, fromPretrained, readHeader, readTensor } from '../../src/index.js';
import { parseJsonFile } from '../../src/config.js';
import { buildFromConfig, imageProcessorFor, storedValues } from '../../src/load.js';
import { FIXTURES } from '../helpers.js';
import { FILE_NAMES, byteMutants, joinFile, jsonFileMutants, safetensorsMutants, textMutants } from './mutations.js';
import type { Mutant } from './mutations.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** A fixture folder's files by name (expected.json left out). */
export function fixture(name: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const f of readdirSync(join(FIXTURES, name)).sort()) if (f !== 'expected.json') out.set(f, new Uint8Array(readFileSync(join(FIXTURES, name, f))));
  return out;
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, Map.prototype, String.prototype];
const before = PROTOTYPES.map((p) => Reflect.ownKeys(p).length);

/** Throws (counted as a crash) when a case added or removed a property of a built-in prototype. */
export function checkNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  PROTOTYPES.forEach((p, i) => {
    if (Reflect.ownKeys(p).length !== before[i]) throw new Error(`prototype pollution: ${p.constructor.name}.prototype has ${Reflect.ownKeys(p).length} own keys, had ${before[i]}`);
  });
  if (probe.polluted !== undefined || probe.x !== undefined) throw new Error('prototype pollution: ({}).polluted or ({}).x is defined');
}

const FILE_IN_MESSAGE = /config\.json|preprocessor_config\.json|tokenizer_config\.json|tokenizer\.json|vocab\.(txt|json)|merges\.txt|\.safetensors|\d+ files/;

/** The package's error, starting with the public function and naming a file of the folder. */
export function isOwnError(err: unknown): boolean {
  if (!(err instanceof PretrainedError)) return false;
  // preprocess's errors are about the image passed, not a file (a size the config asks for that the test image lacks)
  if (err.message.startsWith('ImageProcessor.preprocess: ')) return true;
  return /^(fromPretrained|filesSource): /.test(err.message) && FILE_IN_MESSAGE.test(err.message);
}

/** config.json → the model, as fromPretrained reads and builds it (bounded by the checkpoint's `budget` values); then id2label. */
export function readConfig(bytes: Uint8Array, budget: number): void {
  const config = new HubConfig('config.json', parseJsonFile(text(bytes), 'config.json', 'fromPretrained'));
  config.parameterBudget = budget;
  buildFromConfig(config);
  config.labels();
}

/** The values of a fixture's model.safetensors, as fromPretrained counts them for the budget. */
async function fixtureBudget(folder: string): Promise<number> {
  const source = filesSource(asFiles(new Map([['model.safetensors', fixture(folder).get('model.safetensors')!]])));
  return storedValues(new Map((await readHeader(source, 'model.safetensors', 'fromPretrained')).map((t) => [t.name, t])));
}

const VIT_CONFIG = new HubConfig('config.json', JSON.parse(text(fixture('vit-cls').get('config.json')!)));

/** preprocessor_config.json → the ImageProcessor fromPretrained builds for vit-cls (3 channels, image_size 16), run on one small RGBA image. */
export function readPreprocessor(bytes: Uint8Array): void {
  const config = new HubConfig('preprocessor_config.json', parseJsonFile(text(bytes), 'preprocessor_config.json', 'fromPretrained'));
  const processor = imageProcessorFor(config, VIT_CONFIG);
  processor.preprocess({ data: new Uint8Array(20 * 12 * 4).map((_, i) => i % 251), width: 20, height: 12 }).dispose();
}

/** A File per name, as an <input type=file> gives them. */
const asFiles = (files: Map<string, Uint8Array>) => [...files].map(([name, bytes]) => new File([bytes as Uint8Array<ArrayBuffer>], name));

/** The safetensors reader on one file: the header, then every float tensor (F32 view, F16 and BF16 upcast). */
export async function readSafetensors(bytes: Uint8Array): Promise<void> {
  const source = filesSource(asFiles(new Map([['model.safetensors', bytes]])));
  for (const t of await readHeader(source, 'model.safetensors', 'fromPretrained')) {
    if (t.dtype === 'F32' || t.dtype === 'F16' || t.dtype === 'BF16') (await readTensor(source, t, 'fromPretrained')).dispose();
  }
}

/** A valid safetensors file with F32, F16 and BF16 tensors, an int and a bool, a zero-size shape, prototype names and metadata. */
export function seedSafetensors(): Uint8Array {
  const parts: [string, string, number[], Uint8Array][] = [
    ['w', 'F32', [2, 3], new Uint8Array(new Float32Array([1, -2, 0.5, 1e-3, 3e38, -0]).buffer)],
    ['half', 'F16', [2, 2], new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x0001, 0x7c00]).buffer)],
    ['brain', 'BF16', [3], new Uint8Array(new Uint16Array([0x3f80, 0xbf80, 0x7fc0]).buffer)],
    ['__proto__', 'F32', [1], new Uint8Array(new Float32Array([0.25]).buffer)],
    ['constructor', 'F16', [1, 1], new Uint8Array(new Uint16Array([0x3800]).buffer)],
    ['empty', 'F32', [1000000, 0], new Uint8Array(0)],
    ['ids', 'I64', [2], new Uint8Array(16).fill(0).map((_, i) => (i === 0 ? 7 : 0))],
    ['mask', 'BOOL', [2], new Uint8Array([1, 0])],
  ];
  const header: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  header.__metadata__ = { format: 'pt', toString: 'x' };
  let at = 0;
  for (const [name, dtype, shape, data] of parts) {
    header[name] = { dtype, shape, data_offsets: [at, at + data.length] };
    at += data.length;
  }
  const data = new Uint8Array(at);
  at = 0;
  for (const [, , , d] of parts) {
    data.set(d, at);
    at += d.length;
  }
  return joinFile(JSON.stringify(header), data);
}

/** A folder and how it was mutated. */
export interface Folder {
  files: Map<string, Uint8Array>;
  how: string;
}

const FOLDERS = ['gpt2', 'bert-base', 'bert-cls', 'bert-mlm', 'vit-base', 'vit-cls'];

/** One file of a fixture folder mutated by its kind, a file removed, or a file added. */
export function folderMutants(): fc.Arbitrary<Folder> {
  const seeds = new Map(FOLDERS.map((f) => [f, fixture(f)]));
  const kindOf = (name: string): fc.Arbitrary<Mutant> => {
    const bytes = seeds.get(name.split('/')[0]!)!.get(name.split('/')[1]!)!;
    if (name.endsWith('.safetensors')) return safetensorsMutants(bytes);
    if (name.endsWith('.json')) return jsonFileMutants(text(bytes));
    return fc.oneof(textMutants(text(bytes)), byteMutants(bytes));
  };
  const perFile = FOLDERS.flatMap((f) => [...seeds.get(f)!.keys()].map((file) => `${f}/${file}`));
  const mutateOne = fc.constantFrom(...perFile).chain((path) => kindOf(path).map((m) => {
    const [folder, file] = path.split('/') as [string, string];
    const files = new Map(seeds.get(folder));
    files.set(file, m.file);
    return { files, how: `${path}: ${m.how}` };
  }));
  const remove = fc.constantFrom(...perFile).map((path) => {
    const [folder, file] = path.split('/') as [string, string];
    const files = new Map(seeds.get(folder));
    files.delete(file);
    return { files, how: `${path} removed` };
  });
  const extra = fc.tuple(fc.constantFrom(...FOLDERS), fc.constantFrom('tokenizer.json', 'tokenizer_config.json', 'pytorch_model.bin', 'model.safetensors.index.json', 'preprocessor_config.json', 'vocab.json'), fc.oneof(
    fc.constantFrom('{}', '[]', 'null', '{"weight_map":{"wte.weight":"../model.safetensors"}}', '{"do_lower_case":"yes"}', '{"version":"1.0","model":{"type":"WordPiece","vocab":{"__proto__":0}}}', '{"size":{"height":1e9,"width":1e9}}'),
    fc.string({ maxLength: 40 }),
  )).map(([folder, file, body]) => {
    const files = new Map(seeds.get(folder));
    files.set(file, new TextEncoder().encode(body));
    return { files, how: `${folder}/${file} set to ${JSON.stringify(body)}` };
  });
  return fc.oneof({ arbitrary: mutateOne, weight: 8 }, { arbitrary: remove, weight: 1 }, { arbitrary: extra, weight: 1 });
}

/** The shard index of bert-mlm mutated (JSON edits, bytes, weight_map entries pointing at missing or `../` files); the shards as they are. */
export function indexMutants(): fc.Arbitrary<Folder> {
  const files = fixture('bert-mlm');
  const index = text(files.get('model.safetensors.index.json')!);
  const parsed = JSON.parse(index) as { weight_map: Record<string, string> };
  const names = Object.keys(parsed.weight_map);
  const redirect = fc.tuple(fc.constantFrom(...names), fc.constantFrom(...FILE_NAMES, 'model-00002-of-00002.safetensors')).map(([name, file]) => {
    const map = { ...parsed.weight_map, [name]: file };
    return { file: new TextEncoder().encode(JSON.stringify({ ...parsed, weight_map: map })), how: `weight_map '${name}' → '${file}'` };
  });
  return fc.oneof({ arbitrary: jsonFileMutants(index), weight: 4 }, { arbitrary: redirect, weight: 1 }).map((m) => {
    const out = new Map(files);
    out.set('model.safetensors.index.json', m.file);
    return { files: out, how: m.how };
  });
}

/** `numRuns` values of `arb`, drawn 100 at a time (a whole run of mutated folders would not fit in memory at once). */
function* lazySample<T>(arb: fc.Arbitrary<T>, numRuns: number, seed: number): Generator<T> {
  for (let done = 0, batch = 0; done < numRuns; batch++) {
    const n = Math.min(100, numRuns - done);
    yield* fc.sample(arb, { numRuns: n, seed: seed * 1000 + batch });
    done += n;
  }
}

/** Runs a reader, then checks that no built-in prototype changed (whether it threw or not). */
const guarded = <T>(read: (x: T) => void) => (x: T): void => {
  try {
    read(x);
  } finally {
    checkNoPollution();
  }
};
const guardedAsync = <T>(read: (x: T) => Promise<unknown>) => async (x: T): Promise<void> => {
  try {
    await read(x);
  } finally {
    checkNoPollution();
  }
};

const openFolder = async (f: Folder) => {
  const { model } = await fromPretrained(asFiles(f.files));
  for (const p of model.parameters()) p.dispose();
};

/**
 * Fuzzes every reader with `numRuns` mutants each.
 * @example (await runFuzz(10_000, 1, 2000)).map(formatCounts)
 */
export async function runFuzz(numRuns: number, seed: number, timeoutMs: number, only?: readonly string[]): Promise<FuzzCounts[]> {
  const options = { timeoutMs, describe: (m: Mutant | Folder) => m.how };
  const sample = <T>(arb: fc.Arbitrary<T>, offset: number) => lazySample(arb, numRuns, seed + offset);
  const want = (reader: string) => !only || only.some((o) => reader.includes(o));
  const out: FuzzCounts[] = [];
  const configs: [string, string][] = [['gpt2', 'config.json (gpt2)'], ['bert-cls', 'config.json (bert)'], ['vit-cls', 'config.json (vit)']];
  for (const [i, [folder, reader]] of configs.entries()) {
    const budget = await fixtureBudget(folder);
    if (want(reader)) out.push(fuzzReader(reader, sample(jsonFileMutants(text(fixture(folder).get('config.json')!)), i), guarded((m: Mutant) => readConfig(m.file, budget)), isOwnError, options));
  }
  if (want('model.safetensors.index.json')) out.push(await fuzzReaderAsync('model.safetensors.index.json', sample(indexMutants(), 3), guardedAsync((f: Folder) => fromPretrained(asFiles(f.files), { tokenizer: false })), isOwnError, options));
  if (want('preprocessor_config.json')) out.push(fuzzReader('preprocessor_config.json', sample(jsonFileMutants(text(fixture('vit-cls').get('preprocessor_config.json')!)), 4), guarded((m: Mutant) => readPreprocessor(m.file)), isOwnError, options));
  if (want('safetensors')) out.push(await fuzzReaderAsync('safetensors (readHeader + readTensor)', sample(safetensorsMutants(seedSafetensors()), 5), guardedAsync((m: Mutant) => readSafetensors(m.file)), isOwnError, options));
  if (want('fromPretrained')) out.push(await fuzzReaderAsync('fromPretrained (whole folder)', sample(folderMutants(), 6), guardedAsync(openFolder), isOwnError, options));
  return out;
}

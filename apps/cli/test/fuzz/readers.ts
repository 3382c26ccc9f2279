// The CLI's inputs under fuzz: the command line of `qkv` (parse) and of `qkv finetune`
// (parseFinetune), the manifest.json beside a checkpoint (parseManifest, then each setting read as
// a recipe reads it), and the image files of `qkv predict vit-mnist` (PGM P2/P5 and JSON). All
// in-process, each fed mutations of valid inputs (see mutations.ts). Used at a small size by the
// unit tests and at ≥ 10,000 cases per reader by `pnpm --filter @qkv/cli fuzz`.
//
// The property: a case either succeeds or throws the CLI's own errors (UsageError for the command
// line and images, FileError for the manifest), whose message is one line; never a raw TypeError,
// SyntaxError or RangeError, never NaN pixels, never past the time limit, no polluted prototype.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { fuzzReader } from '@qkv/fuzz-harness';
import type { FuzzCounts } from '@qkv/fuzz-harness';
import { parse } from '../../src/args.js';
import { commands } from '../../src/commands.js';
import { FileError, InputError, UsageError } from '../../src/errors.js';
import { parseFinetune } from '../../src/finetune/args.js';
import { decodeGreyImage } from '../../src/image/read-image.js';
import { parseManifest } from '../../src/preflight.js';
import { recipes } from '../../src/recipes/index.js';
import { setting } from '../../src/recipes/settings.js';
import type { RunOptions } from '../../src/recipes/types.js';
import { argvFor, byteMutants, jsonFileMutants, pgmMutants } from './mutations.js';
import type { Mutant } from './mutations.js';

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, Map.prototype, String.prototype];
const before = PROTOTYPES.map((p) => Reflect.ownKeys(p).length);

/** Throws (counted as a crash) when a case added or removed a property of a built-in prototype. */
export function checkNoPollution(): void {
  PROTOTYPES.forEach((p, i) => {
    if (Reflect.ownKeys(p).length !== before[i]) throw new Error(`prototype pollution: ${p.constructor.name}.prototype has ${Reflect.ownKeys(p).length} own keys, had ${before[i]}`);
  });
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('prototype pollution: ({}).polluted is defined');
}

/** The CLI's own errors, with a message of one non-empty line. */
export function isOwnError(err: unknown): boolean {
  return (err instanceof UsageError || err instanceof FileError || err instanceof InputError) && err.message.trim() !== '' && !err.message.includes('\n    at ');
}

const guarded = <T>(read: (x: T) => void) => (x: T): void => {
  try {
    read(x);
  } finally {
    checkNoPollution();
  }
};

/** The flags `qkv` parses (and some of finetune's, unknown to it). */
export const QKV_FLAGS = ['backend', 'threads', 'seed', 'epochs', 'batch-size', 'lr', 'max-steps', 'limit', 'eval-limit', 'out', 'resume', 'checkpoint', 'split', 'set', 'f16', 'quiet', 'checkpoint-every', 'keep-checkpoints', 'time-limit', 'test-limit', 'eval-every', 'help', 'verbose', 'model', 'lora-rank', 'data'];
/** The flags `qkv finetune` parses (and some of qkv's, unknown to it). */
export const FINETUNE_FLAGS = ['model', 'data', 'lora-rank', 'lora-alpha', 'lora-dropout', 'target', 'save', 'out', 'epochs', 'max-steps', 'batch-size', 'lr', 'warmup', 'block-size', 'gradient-checkpointing', 'eval-fraction', 'eval-limit', 'eval-every', 'checkpoint-every', 'resume', 'keep-checkpoints', 'time-limit', 'seed', 'backend', 'threads', 'quiet', 'help', 'set', 'split'];

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
/** The manifests the project ships (two of the CLI's, three of the demo's). */
export const MANIFESTS = ['models/char-gpt', 'models/spam-classifier', '../demo/public/models/g2p-gru', '../demo/public/models/g2p-transformer', '../demo/public/models/vit-mnist'].map((d) => readFileSync(root(`${d}/manifest.json`), 'utf8'));

/** A manifest as qkv eval reads it: parsed and checked, then every saved setting read as a recipe reads it. */
export function readManifestText(text: string): void {
  const manifest = parseManifest(text, 'runs/x/manifest.json');
  const saved = manifest.run as { seed?: number; settings?: Record<string, string> } | undefined;
  const run = { set: { ...saved?.settings } } as unknown as RunOptions;
  for (const key of Object.keys(run.set)) setting(run, key, 1);
}

/** A 28×28 digit: P2 (with a comment), P5 and JSON rows. */
export function imageSeeds(): { name: string; bytes: Uint8Array }[] {
  const pixels = Array.from({ length: 784 }, (_, i) => (i * 37) % 256);
  const p2 = `P2\n# a digit\n28 28\n255\n${pixels.join(' ')}\n`;
  const p5 = new Uint8Array([...new TextEncoder().encode('P5\n28 28\n255\n'), ...pixels]);
  const rows = JSON.stringify(Array.from({ length: 28 }, (_, r) => pixels.slice(r * 28, r * 28 + 28).map((v) => v / 255)));
  return [
    { name: 'digit.pgm', bytes: new TextEncoder().encode(p2) },
    { name: 'digit-binary.pgm', bytes: p5 },
    { name: 'digit.json', bytes: new TextEncoder().encode(rows) },
  ];
}

/** The image reader; NaN or out-of-range pixels count as a crash. */
export function readImage(m: Mutant & { name: string }): void {
  const pixels = decodeGreyImage(m.file, m.name, 28);
  if (!pixels.every((v) => v >= 0 && v <= 1)) throw new Error(`decodeGreyImage returned a pixel outside [0, 1] (NaN?) for ${m.name}`);
}

function* lazySample<T>(arb: fc.Arbitrary<T>, numRuns: number, seed: number): Generator<T> {
  for (let done = 0, batch = 0; done < numRuns; batch++) {
    const n = Math.min(100, numRuns - done);
    yield* fc.sample(arb, { numRuns: n, seed: seed * 1000 + batch });
    done += n;
  }
}

/**
 * Fuzzes every CLI input reader with `numRuns` cases each.
 * @example runFuzz(10_000, 1, 2000).map(formatCounts)
 */
export function runFuzz(numRuns: number, seed: number, timeoutMs: number): FuzzCounts[] {
  const sample = <T>(arb: fc.Arbitrary<T>, offset: number) => lazySample(arb, numRuns, seed + offset);
  const argv = (a: string[]) => a.map((x) => (x.length > 40 ? `${x.slice(0, 20)}…(${x.length})` : x)).join(' ');
  const names = recipes.map((r) => r.name);
  const images = imageSeeds();
  const image = fc.constantFrom(...images).chain((s) => (s.name.endsWith('.json') ? jsonFileMutants(new TextDecoder().decode(s.bytes)) : fc.oneof(pgmMutants(s.bytes), byteMutants(s.bytes))).map((m) => ({ ...m, name: s.name, how: `${s.name}: ${m.how}` })));
  return [
    fuzzReader('parse (qkv argv)', sample(argvFor(Object.keys(commands), names, QKV_FLAGS), 0), guarded((a: string[]) => { parse(a); }), isOwnError, { timeoutMs, describe: argv }),
    fuzzReader('parseFinetune (qkv finetune argv)', sample(fc.tuple(argvFor([], [], FINETUNE_FLAGS), fc.boolean()).map(([a, required]) => [...(required ? ['--model', 'base', '--data', 'train.txt'] : []), ...a.filter((x) => x !== 'hello' && x !== 'a.pgm' && x !== 'ckpt.safetensors')]), 1), guarded((a: string[]) => { parseFinetune(a); }), isOwnError, { timeoutMs, describe: argv }),
    fuzzReader('manifest.json (parseManifest + settings)', sample(fc.constantFrom(...MANIFESTS).chain(jsonFileMutants), 2), guarded((m: Mutant) => readManifestText(new TextDecoder().decode(m.file))), isOwnError, { timeoutMs, describe: (m) => m.how }),
    fuzzReader('image (PGM P2/P5, JSON)', sample(image, 3), guarded(readImage), isOwnError, { timeoutMs, describe: (m) => m.how }),
  ];
}

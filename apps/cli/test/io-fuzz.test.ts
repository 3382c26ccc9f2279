// The CLI's inputs under fuzz at a small size (`pnpm fuzz` runs 10,000 per reader), the bugs the
// fuzz work found, and the built command printing a bad input as one line without a stack.
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCounts } from '@qkv/fuzz-harness';
import { parse } from '../src/args.js';
import { FileError, UsageError } from '../src/errors.js';
import { parseFinetune } from '../src/finetune/args.js';
import { decodeGreyImage, readGreyImage } from '../src/image/read-image.js';
import { parseManifest } from '../src/preflight.js';
import { shippedModel } from '../src/shipped.js';
import { checkNoPollution, runFuzz } from './fuzz/readers.js';
import { CLI as cli, runQkv, tempDir } from './helpers.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('fuzzing the command line, manifest.json and image files (small size)', () => {
  it('gives every case either a result or the CLI\'s own one-line error, never a crash, a hang or a polluted prototype', () => {
    const counts = runFuzz(150, 42, 5000);
    expect(counts.map((c) => c.reader)).toEqual(['parse (qkv argv)', 'parseFinetune (qkv finetune argv)', 'manifest.json (parseManifest + settings)', 'image (PGM P2/P5, JSON)']);
    for (const c of counts) {
      expect(c.crashes, `${formatCounts(c)}\n${c.examples.join('\n')}`).toBe(0);
      expect(c.hangs, formatCounts(c)).toBe(0);
      expect(c.cases).toBe(150);
      // both paths exercised: some cases accepted, many refused
      expect(c.accepted, formatCounts(c)).toBeGreaterThan(3);
      expect(c.rejected, formatCounts(c)).toBeGreaterThan(20);
    }
  });

  it('the pollution check sees a property added to Object.prototype', () => {
    Object.defineProperty(Object.prototype, 'polluted', { value: 1, configurable: true });
    try {
      expect(() => checkNoPollution()).toThrow(/prototype pollution: Object\.prototype/);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
    expect(() => checkNoPollution()).not.toThrow();
  });
});

describe('regressions found while fuzzing the CLI inputs', () => {
  it("refuses '' and ' ' as numbers (Number('') is 0) and integers past 2^53; -0 reads as 0", () => {
    expect(() => parse(['train', 'date-normalization', '--epochs', ''])).toThrow(new UsageError("--epochs must be a non-negative integer, got ''"));
    expect(() => parse(['train', 'date-normalization', '--seed', ' '])).toThrow(/--seed must be a non-negative integer, got ' '/);
    expect(() => parse(['train', 'date-normalization', '--seed', '9007199254740993'])).toThrow(/--seed must be a non-negative integer/);
    expect(Object.is((parse(['train', 'date-normalization', '--seed=-0']) as { run: { seed: number } }).run.seed, 0)).toBe(true);
    expect(() => parseFinetune(['--model', 'm', '--data', 'd', '--epochs', '1e21'])).toThrow(/finetune: --epochs must be an integer ≥ 1, got '1e21'/);
    expect(() => parseFinetune(['--model', 'm', '--data', 'd', '--threads', '1000'])).toThrow(/finetune: --threads must be an integer from 1 to 256, got '1000'/);
  });

  it('--set refuses prototype names (constructor, toString, __proto__) as settings', () => {
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(() => parse(['train', 'date-normalization', '--set', `${key}=1`])).toThrow(new RegExp(`--set: date-normalization has no setting '${key}'`));
    }
    checkNoPollution();
  });

  it('a manifest whose run.seed or settings have the wrong type is a FileError naming the file and field', () => {
    expect(() => parseManifest('{"run":{"seed":"x"}}', 'runs/a/manifest.json')).toThrow(new FileError('runs/a/manifest.json: field \'run.seed\' must be a non-negative integer, got "x"'));
    expect(() => parseManifest('{"run":{"settings":{"warmup":100}}}', 'm.json')).toThrow(/^m\.json: field 'run\.settings\.warmup' must be a string \(as --set gives it\), got 100$/);
    expect(() => parseManifest('{"run":[]}', 'm.json')).toThrow(/field 'run' must be an object/);
    expect(() => parseManifest('{"recipe":7}', 'm.json')).toThrow(/field 'recipe' must be a recipe name, got 7/);
    expect(() => parseManifest('{"recipe":', 'm.json')).toThrow(FileError);
    expect(parseManifest('{"recipe":"g2p-gru","run":{"seed":0,"settings":{"__proto__":"1"}}}', 'm.json').recipe).toBe('g2p-gru');
  });

  it('image files: invalid JSON, a NaN or out-of-range PGM sample, a zero maxval and a wrong size are UsageErrors, never NaN pixels', () => {
    expect(() => decodeGreyImage(utf8('[[0, 1'), 'a.json', 2)).toThrow(/^readGreyImage: a\.json is not valid JSON/);
    expect(() => decodeGreyImage(utf8('[1e999, 0, 0, 0]'), 'a.json', 2)).toThrow(/a\.json must be a JSON array of finite numbers/);
    expect(() => decodeGreyImage(utf8('P2 2 2 255 0 x 1 2'), 'a.pgm', 2)).toThrow(/^readGreyImage: a\.pgm PGM sample 1 must be an integer from 0 to maxval 255, got 'x'$/);
    expect(() => decodeGreyImage(utf8('P2 2 2 255 0 300 1 2'), 'a.pgm', 2)).toThrow(/sample 1 must be an integer from 0 to maxval 255, got '300'/);
    expect(() => decodeGreyImage(utf8('P2 2 2 0 0 0 0 0'), 'a.pgm', 2)).toThrow(/a\.pgm PGM maxval must be an integer from 1 to 65535, got '0'/);
    expect(() => decodeGreyImage(utf8('P2 2 NaN 255 0 0 0 0'), 'a.pgm', 2)).toThrow(/PGM height must be an integer from 1 to 1000000, got 'NaN'/);
    expect(() => decodeGreyImage(utf8('P2 99999 99999 255 0'), 'a.pgm', 28)).toThrow(/must hold 28×28 = 784 pixels, got 9999800001 \(99999×99999\)/);
    expect(() => decodeGreyImage(new Uint8Array([...utf8('P5 2 2 255 '), 1, 2]), 'b.pgm', 2)).toThrow(/b\.pgm is a 2×2 P5 PGM, so it needs 4 sample bytes, got 2/);
    expect(Array.from(decodeGreyImage(utf8('P2 2 2 255 0 255 255 0'), 'a.pgm', 2))).toEqual([0, 1, 1, 0]);
    expect(() => readGreyImage(join(tempDir('img'), 'none.pgm'), 28)).toThrow(/^readGreyImage: cannot read .*none\.pgm \(no such file\)$/);
  });
});

const qkv = (...argv: string[]) => runQkv(argv);

describe('the built command (dist/cli.js) prints a bad input as one line, without a stack', () => {
  it('a broken manifest.json beside a checkpoint: exit 1, one line naming the file and field', async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run pnpm build first`);
    const dir = tempDir('fuzz-manifest');
    copyFileSync(shippedModel('vit-mnist').checkpoint, join(dir, 'model.safetensors'));
    writeFileSync(join(dir, 'manifest.json'), '{"recipe":"vit-mnist","run":{"seed":"x","settings":{}}}');
    const { stderr, code } = await qkv('eval', 'vit-mnist', '--checkpoint', join(dir, 'model.safetensors'), '--test-limit', '1');
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`qkv: ${join(dir, 'manifest.json')}: field 'run.seed' must be a non-negative integer, got "x"`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('an image that is not valid JSON for qkv predict vit-mnist: a usage error, no stack', async () => {
    const file = join(tempDir('fuzz-image'), 'digit.json');
    writeFileSync(file, '[[0, 0.5,');
    const { stderr, code } = await qkv('predict', '--model', 'vit-mnist', file);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(/^qkv: readGreyImage: .*digit\.json is not valid JSON/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toMatch(/SyntaxError/);
  });
});

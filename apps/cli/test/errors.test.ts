// Errors and input as a newcomer meets them (issue 25's CLI list): one-line errors, files checked
// first, bad numbers refused, per-command help, input normalised as the training words were, an
// honest ETA, and corrupted weights refused.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Linear, save } from '@qkv/nn';
import { tensor } from '@qkv/tensor-core';
import { parse } from '../src/args.js';
import { commandHelp, commands } from '../src/commands.js';
import { InputError, UsageError, formatError, wantsStack } from '../src/errors.js';
import { checkWeightsFile, readManifest } from '../src/preflight.js';
import { G2P_MAX_WORD_LENGTH, normalizeG2PInput } from '../src/recipes/g2p-data.js';
import { loadWeights } from '../src/train/checkpoint.js';
import { etaSeconds, formatDuration } from '../src/train/loop.js';
import { tempDir, tinySession, useFastBackend } from './helpers.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error, got none');
}

describe('the command line', () => {
  it('refuses --threads 0 and other bad thread counts in args.ts', () => {
    for (const t of ['0', '-1', '1.5', 'x', '257']) {
      const e = thrown(() => parse(['eval', 'vit-mnist', '--checkpoint', 'f', `--threads=${t}`]));
      expect(e, t).toBeInstanceOf(UsageError);
      expect(e.message).toMatch(/^--threads must be (an integer from 1 to 256|a non-negative integer), got/);
    }
    expect((parse(['eval', 'vit-mnist', '--checkpoint', 'f', '--threads', '4']) as { threads: number }).threads).toBe(4);
  });

  it('has help for every command: `qkv help train`, `qkv train --help`, and `qkv help` alone', () => {
    expect(parse(['help'])).toEqual({ command: 'help', topic: undefined });
    expect(parse(['help', 'train'])).toEqual({ command: 'help', topic: 'train' });
    expect(parse(['train', '--help'])).toEqual({ command: 'help', topic: 'train' });
    expect(parse(['predict', 'g2p-transformer', '-h'])).toEqual({ command: 'help', topic: 'predict' });
    expect(thrown(() => parse(['help', 'fly'])).message).toBe("help: unknown command 'fly'");
    for (const name of Object.keys(commands)) expect(commandHelp(name)).toMatch(new RegExp(`^usage: qkv ${name}[^]*common options:[^]*--verbose`));
    expect(commandHelp('train')).toMatch(/Ctrl-C saves a checkpoint and exits with 130/);
  });

  it('prints any error as one line, the stack only with --verbose or DEBUG=1', () => {
    const err = new Error('safetensors.load: m.safetensors: header length 9 exceeds the 3 bytes after the length field');
    expect(formatError(err, false)).toBe(`qkv: ${err.message}`);
    expect(formatError(err, true)).toMatch(/\n\s+at /);
    expect(wantsStack(['eval', '--verbose'], {})).toBe(true);
    expect(wantsStack(['eval'], { DEBUG: '1' })).toBe(true);
    expect(wantsStack(['eval'], { DEBUG: '0' })).toBe(false);
    expect(wantsStack(['eval'], {})).toBe(false);
  });
});

describe('files are checked before any slow work', () => {
  const dir = tempDir('files');
  it('names a missing checkpoint, a directory and a truncated safetensors file', async () => {
    await expect(checkWeightsFile(join(dir, 'none.safetensors'), '--checkpoint')).rejects.toThrow(new RegExp(`^--checkpoint: ${dir}/none\\.safetensors: no such file$`));
    mkdirSync(join(dir, 'adir'));
    await expect(checkWeightsFile(join(dir, 'adir'), '--checkpoint')).rejects.toThrow(/adir: expected a file, got a directory$/);
    writeFileSync(join(dir, 'cut.safetensors'), save({ w: tensor([1, 2, 3]) }).subarray(0, 30));
    await expect(checkWeightsFile(join(dir, 'cut.safetensors'), '--checkpoint')).rejects.toThrow(/^safetensors\.parseHeader: .*cut\.safetensors: header/);
  });

  it('names a broken manifest.json, and calls a missing one missing (not a size mismatch later)', async () => {
    const broken = tempDir('manifest');
    writeFileSync(join(broken, 'manifest.json'), '{"recipe": "g2p-transformer",');
    await expect(readManifest(join(broken, 'model.safetensors'))).rejects.toThrow(new RegExp(`^${broken}/manifest\\.json: the manifest is not valid JSON`));
    const none = tempDir('nomanifest');
    await expect(readManifest(join(none, 'model.safetensors'))).rejects.toThrow(/manifest\.json: no manifest\.json beside .*model\.safetensors/);
    writeFileSync(join(broken, 'manifest.json'), '[1]');
    await expect(readManifest(join(broken, 'model.safetensors'))).rejects.toThrow(/must be a JSON object, got an array/);
  });

  it('refuses weights whose data bytes were corrupted into NaN or ±∞ (no checksum in the format: a finiteness check)', async () => {
    const model = new Linear(2, 2);
    const file = join(dir, 'w.safetensors');
    const bytes = save(model.stateDict(), { metadata: { recipe: 'x' } });
    writeFileSync(file, bytes);
    await loadWeights(file, new Linear(2, 2), 'x');
    const flipped = bytes.slice();
    flipped.fill(0xff, flipped.length - 8); // 0xffffffff is a NaN in float32
    writeFileSync(file, flipped);
    await expect(loadWeights(file, new Linear(2, 2), 'x')).rejects.toThrow(/w\.safetensors: tensor "(weight|bias)": expected finite values, got NaN/);
  });
});

describe('progress', () => {
  it('never shows 60 seconds in a minute (119.6 s is 2m00s, not 1m60s)', () => {
    expect(formatDuration(119.6)).toBe('2m00s');
    expect(formatDuration(59.5)).toBe('1m00s');
    expect(formatDuration(3599.7)).toBe('1h00m00s');
    expect(formatDuration(3725)).toBe('1h02m05s');
    expect(formatDuration(NaN)).toBe('-');
    for (let s = 0; s < 7300; s += 0.37) expect(formatDuration(s)).not.toMatch(/(^|[hm])6\ds/);
  });

  it('estimates the time left from training time only, so a validation pause does not reset it', () => {
    expect(etaSeconds(100, 1000, 50)).toBe(450);
    expect(etaSeconds(0, 1000, 0)).toBeNaN();
  });
});

describe('predict input for the G2P models', () => {
  it('normalises as the training words were: Hello, HeLLo and "  hello  " are hello', () => {
    for (const w of ['Hello', 'HeLLo', '  hello  ', 'hello\n']) expect(normalizeG2PInput(w)).toBe('hello');
  });

  it('refuses digits, Hangul, empty input and over-long words, saying what is accepted and the limit', () => {
    const cases: [string, RegExp][] = [
      ['h3llo', /^predict: expected a word of letters a–z \(and ' - \.\), got "3" in "h3llo"$/],
      ['한국어', /got "한" in "한국어"/],
      ['   ', /^predict: expected a word of letters a–z, got an empty input$/],
      ['a'.repeat(G2P_MAX_WORD_LENGTH + 1), /^predict: expected at most 34 letters, got 35$/],
    ];
    for (const [input, re] of cases) {
      const e = thrown(() => normalizeG2PInput(input));
      expect(e, input).toBeInstanceOf(InputError);
      expect(e.message).toMatch(re);
    }
    expect(normalizeG2PInput('a'.repeat(G2P_MAX_WORD_LENGTH))).toHaveLength(34);
  });

  it('gives the shipped model the same phonemes for Hello, HeLLo and "  hello  " as for hello', async () => {
    const dir = resolve(import.meta.dirname, '../../demo/public/models/g2p-transformer');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { run: { seed: number; settings: Record<string, string> } };
    await useFastBackend();
    const { session } = await tinySession('g2p-transformer', { seed: manifest.run.seed, set: manifest.run.settings }, manifest);
    await loadWeights(join(dir, 'model.safetensors'), session.model, 'g2p-transformer');
    session.model.eval();
    const hello = session.predict('hello').output;
    expect(hello.split(' ').length).toBeGreaterThanOrEqual(3);
    for (const w of ['Hello', 'HeLLo', '  hello  ']) expect(session.predict(w).output, w).toBe(hello);
    expect(() => session.predict('a'.repeat(200))).toThrow(/at most 34 letters, got 200/);
    expect(() => session.predict('123')).toThrow(InputError);
  }, 600_000);
});

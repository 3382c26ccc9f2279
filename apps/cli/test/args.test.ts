// The command line: defaults from the recipe, flags over them, and usage errors that say what is wrong.
import { describe, expect, it } from 'vitest';
import { parse } from '../src/args.js';
import { UsageError } from '../src/errors.js';
import { recipes } from '../src/recipes/index.js';

function usageError(argv: string[]): string {
  try {
    parse(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`parse(${argv.join(' ')}) did not throw`);
}

describe('parse', () => {
  it('takes the recipe defaults and lets flags override them', () => {
    const args = parse(['train', 'vit-mnist', '--epochs', '3', '--lr', '0.01', '--set', 'dModel=32']);
    if (args.command !== 'train') throw new Error('expected train');
    expect(args.run).toMatchObject({ epochs: 3, lr: 0.01, batchSize: 64, seed: 0 });
    expect(args.run.set).toMatchObject({ dModel: '32', warmup: '200' });
    expect(args.out).toBe('runs/vit-mnist');
    expect(args.explicit).toEqual({ seed: false, set: { dModel: '32' } });
  });

  it('knows the six recipes of the issue', () => {
    expect(recipes.map((r) => r.name).sort()).toEqual(['char-gpt', 'date-normalization', 'g2p-gru', 'g2p-transformer', 'spam-classifier', 'vit-mnist']);
  });

  it('prints help without a command', () => {
    expect(parse([]).command).toBe('help');
    expect(parse(['--help']).command).toBe('help');
  });

  it('reaches every shipped model by name: its recipe and weights, with the input right after --model', () => {
    for (const name of ['g2p-transformer', 'g2p-gru', 'vit-mnist', 'spam-classifier', 'char-gpt']) {
      const args = parse(['eval', '--model', name]);
      if (args.command !== 'eval') throw new Error('expected eval');
      expect(args.recipe.name).toBe(name);
      expect(args.checkpoint).toMatch(new RegExp(`/${name}/model\\.safetensors$`));
    }
    const p = parse(['predict', '--model', 'g2p-gru', 'hello']);
    if (p.command !== 'predict') throw new Error('expected predict');
    expect([p.recipe.name, p.input]).toEqual(['g2p-gru', 'hello']);
    expect(usageError(['eval', '--model', 'gpt-9'])).toBe("--model: no shipped model is named 'gpt-9'; the shipped models are g2p-transformer, g2p-gru, vit-mnist, spam-classifier, char-gpt (for your own weights pass <recipe> --checkpoint F)");
    expect(usageError(['train', 'g2p-gru', '--model', 'g2p-gru'])).toBe('--model goes with eval, predict and export, not train');
    expect(usageError(['eval', '--model', 'g2p-gru', '--checkpoint', 'x.safetensors'])).toBe('give --model or --checkpoint, not both');
    expect(parse(['help']).command).toBe('help');
  });

  it('rejects an unknown command', () => {
    expect(usageError(['fit', 'vit-mnist'])).toBe("unknown command 'fit'");
  });

  it('rejects an unknown or missing recipe, listing the known ones', () => {
    expect(usageError(['train', 'resnet'])).toMatch(/^unknown recipe 'resnet'; choose one of: date-normalization, g2p-transformer, g2p-gru/);
    expect(usageError(['train'])).toMatch(/^unknown recipe ''/);
  });

  it.each([
    [['train', 'vit-mnist', '--epochs', 'ten'], "--epochs must be a non-negative integer, got 'ten'"],
    [['train', 'vit-mnist', '--epochs', '2.5'], "--epochs must be a non-negative integer, got '2.5'"],
    [['train', 'vit-mnist', '--seed=-1'], "--seed must be a non-negative integer, got '-1'"],
    [['train', 'vit-mnist', '--lr', '0'], "--lr must be a positive number, got '0'"],
    [['train', 'vit-mnist', '--lr', 'fast'], "--lr must be a positive number, got 'fast'"],
    [['train', 'vit-mnist', '--batch-size', '0'], '--batch-size must be at least 1'],
    [['train', 'vit-mnist', '--backend', 'tpu'], "--backend must be cpu or wasm, got 'tpu'"],
  ])('rejects bad numbers and choices: %j', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });

  it.each(['eval', 'predict', 'export'])('%s needs --checkpoint', (command) => {
    expect(usageError([command, 'vit-mnist', 'test:1'])).toBe(`${command} needs --checkpoint <file> (or --model NAME for a shipped model)`);
  });

  it('predict needs an input', () => {
    expect(usageError(['predict', 'vit-mnist', '--checkpoint', 'c.safetensors'])).toMatch(/^predict needs an input/);
  });

  it('rejects --set without key=value, and keys the recipe does not have', () => {
    expect(usageError(['train', 'char-gpt', '--set', 'nEmbd'])).toBe("--set expects key=value, got 'nEmbd'");
    expect(usageError(['train', 'char-gpt', '--set', '=3'])).toBe("--set expects key=value, got '=3'");
    expect(usageError(['train', 'char-gpt', '--set', 'dModel=64'])).toMatch(/^--set: char-gpt has no setting 'dModel'; it has: blockSize, nEmbd/);
  });

  it('rejects unknown flags', () => {
    expect(usageError(['train', 'vit-mnist', '--epoch', '3'])).toMatch(/--epoch/);
  });

  it('rejects a non-numeric --set value when the recipe reads it', async () => {
    const { findRecipe } = await import('../src/recipes/index.js');
    const recipe = findRecipe('vit-mnist');
    await expect(recipe.setup({ ...recipe.defaults, set: { dModel: 'big' } })).rejects.toThrow(new UsageError("--set dModel must be a number, got 'big'"));
  });
});

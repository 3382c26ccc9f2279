// The trained models the project ships are real: loading each exported (float16) model into its
// recipe's model, rebuilt from the manifest beside it (seed, settings, vocabularies), reproduces the
// test metrics the manifest records from training — what `qkv eval <recipe> --checkpoint
// <dir>/model.safetensors` prints, on the whole test split.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { load } from '@qkv/nn';
import { describe, expect, it } from 'vitest';
import { tinySession, useFastBackend } from './helpers.js';

const demoModels = resolve(import.meta.dirname, '../../demo/public/models');
const cliModels = resolve(import.meta.dirname, '../models');

interface ShippedManifest {
  recipe: string;
  run: { seed: number; settings: Record<string, string> };
  metrics: { test: Record<string, number> };
  weights: { file: string; dtype: string; bytes: number };
  training: { command: string };
}

// Float16 rounding moves a metric a little: rates (accuracy, PER, WER) by at most half a point,
// perplexities by at most 1 %.
function tolerance(metric: string, value: number): number {
  return /perplexity/i.test(metric) ? value * 0.01 : 0.005;
}

const shipped: [dir: string, recipe: string][] = [
  [demoModels, 'g2p-transformer'],
  [demoModels, 'g2p-gru'],
  [demoModels, 'vit-mnist'],
  [cliModels, 'spam-classifier'],
  [cliModels, 'char-gpt'],
];

describe('shipped models reproduce their manifests', () => {
  for (const [root, name] of shipped) {
    it(`${name}: the float16 weights score every test metric of the manifest`, async () => {
      const dir = resolve(root, name);
      expect(existsSync(resolve(dir, 'manifest.json')), `${dir}/manifest.json is missing`).toBe(true);
      const manifest = JSON.parse(readFileSync(resolve(dir, 'manifest.json'), 'utf8')) as ShippedManifest;
      expect(manifest.recipe).toBe(name);
      expect(manifest.weights.dtype).toBe('F16');
      expect(manifest.training.command).toMatch(new RegExp(`^qkv train ${name} `));
      const bytes = readFileSync(resolve(dir, manifest.weights.file));
      expect(bytes.byteLength).toBe(manifest.weights.bytes);
      await useFastBackend();
      const { session } = await tinySession(name, { seed: manifest.run.seed, set: manifest.run.settings }, manifest as unknown as Record<string, unknown>);
      const { tensors } = load(bytes);
      session.model.loadStateDict(tensors, { strict: true });
      session.model.eval();
      const got = session.evaluate('test');
      const want = manifest.metrics.test;
      expect(Object.keys(want).length).toBeGreaterThan(0);
      for (const [metric, value] of Object.entries(want)) {
        expect(got[metric], `${name} ${metric}`).toBeTypeOf('number');
        expect(Math.abs(got[metric]! - value), `${name} ${metric}: got ${got[metric]}, manifest ${value}`).toBeLessThanOrEqual(tolerance(metric, value));
      }
    }, 600_000);
  }
});

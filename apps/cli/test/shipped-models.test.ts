// The models the demo ships are real: loading the exported (float16) weights into the recipe's
// model reproduces the test metric recorded in their manifest — `qkv eval`, on the shipped files.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { load } from '@qkv/nn';
import { describe, expect, it } from 'vitest';
import { tinySession, useFastBackend } from './helpers.js';

const models = resolve(import.meta.dirname, '../../demo/public/models');

describe('shipped models reproduce their manifests', () => {
  it('vit-mnist: float16 weights score the manifest test accuracy (±0.5 points) on the whole test split', async () => {
    const dir = resolve(models, 'vit-mnist');
    expect(existsSync(resolve(dir, 'manifest.json')), 'apps/demo/public/models/vit-mnist is missing').toBe(true);
    const manifest = JSON.parse(readFileSync(resolve(dir, 'manifest.json'), 'utf8')) as { metrics: { test: { accuracy: number } }; run: { seed: number; settings: Record<string, string> }; weights: { dtype: string } };
    expect(manifest.weights.dtype).toBe('F16');
    await useFastBackend();
    const { session } = await tinySession('vit-mnist', { seed: manifest.run.seed, set: manifest.run.settings });
    const { tensors } = load(readFileSync(resolve(dir, 'model.safetensors')));
    session.model.loadStateDict(tensors, { strict: true });
    session.model.eval();
    const { accuracy } = session.evaluate('test');
    expect(Math.abs(accuracy! - manifest.metrics.test.accuracy)).toBeLessThanOrEqual(0.005);
  });
});

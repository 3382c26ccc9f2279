// Shared set-up for the recipe tests: tiny runs on the real data through the real training loop.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@qkv/wasm-kernels';
import { manualSeed, noGrad, setBackend, tidy } from '@qkv/tensor-core';
import { findRecipe } from '../src/recipes/index.js';
import type { Batch, RunOptions, Session } from '../src/recipes/types.js';

/** The fast backend when it loads, else the reference one. */
export async function useFastBackend(): Promise<void> {
  await setBackend('wasm').catch(async () => setBackend('cpu'));
}

/** A fresh temporary directory for checkpoints and metrics. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `qkv-cli-${prefix}-`));
}

/**
 * The recipe's defaults with `overrides`, as `qkv train` would build them (seeded the same way);
 * `manifest` (a trained model's) hands the recipe its saved vocabularies, as `qkv eval` does.
 */
export async function tinySession(name: string, overrides: Partial<RunOptions>, manifest?: Record<string, unknown>): Promise<{ session: Session; run: RunOptions }> {
  const recipe = findRecipe(name);
  const { set: defaultSet, ...defaults } = recipe.defaults;
  const run: RunOptions = { ...defaults, ...overrides, set: { ...defaultSet, ...overrides.set } };
  manualSeed(run.seed);
  return { session: await recipe.setup(run, manifest), run };
}

/** The training loss of `batch` with the model in eval mode (no dropout) and no update. */
export function lossOn(session: Session, batch: Batch): number {
  session.model.eval();
  const value = tidy(() => noGrad(() => session.loss(batch).loss.item()));
  session.model.train();
  return value;
}

/** Mean of a few numbers. */
export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

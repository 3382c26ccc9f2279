// Shared set-up for the recipe tests: tiny runs on the real data through the real training loop.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import '@qkv/wasm-kernels';
import { manualSeed, noGrad, setBackend, tidy } from '@qkv/tensor-core';
import { findRecipe } from '../src/recipes/index.js';
import type { Batch, RunOptions, Session } from '../src/recipes/types.js';

/** The fast backend when it loads, else the reference one. */
export async function useFastBackend(): Promise<void> {
  await setBackend('wasm').catch(async () => setBackend('cpu'));
}

/** The built command, as `qkv` runs it. */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/**
 * Runs the built `qkv` with `argv` (no colours, no DEBUG stacks unless `env` sets them) and returns
 * its output and exit code; a non-zero exit is a result, not a throw.
 * @example const { code, stderr } = await runQkv(['eval', '--model', 'nope'])
 */
export async function runQkv(argv: readonly string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...argv], { env: { ...process.env, NO_COLOR: '1', DEBUG: '', ...env } });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
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

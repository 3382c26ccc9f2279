// Checkpoint files for the CLI: @qkv/nn's checkpoint (weights, optimizer state, RNG state) plus the
// position in training, written atomically, so `--resume` continues bit-identically.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { load, loadCheckpoint as loadParts, parseHeader, saveCheckpoint as saveParts } from '@qkv/nn';
import type { Module, Optimizer } from '@qkv/nn';
import { defaultGenerator } from '@qkv/tensor-core';

/** Where training stands. */
export interface Progress {
  /** Optimizer steps taken. */
  step: number;
  /** Current epoch (0-based) and the next batch index in it. */
  epoch: number;
  batchIndex: number;
}

/** Writes a checkpoint (to a temporary file, then renamed, so a crash never leaves half a file). */
export async function saveCheckpoint(path: string, model: Module, optimizer: Optimizer<object>, progress: Progress): Promise<void> {
  const bytes = saveParts({ model, optimizer, generator: defaultGenerator(), extra: { progress } });
  await writeFile(`${path}.tmp`, bytes);
  await rename(`${path}.tmp`, path);
}

/** Restores weights (and, when given, optimizer and RNG state); returns the saved progress. */
export async function loadCheckpoint(path: string, model: Module, optimizer: Optimizer<object> | null): Promise<{ progress: Progress }> {
  const bytes = new Uint8Array(await readFile(path));
  const { extra } = loadParts(bytes, optimizer ? { model, optimizer, generator: defaultGenerator() } : { model });
  const progress = (extra as { progress?: Progress } | undefined)?.progress;
  if (!progress) throw new Error(`loadCheckpoint: ${path} has no training progress; was it written by qkv train?`);
  return { progress };
}

/**
 * Loads the weights of `file` into `model` for `eval` / `predict`: a training checkpoint of `qkv
 * train`, or the weights-only file of `qkv export` (F32 or F16; every parameter must be present).
 * An exported file names its recipe in its metadata; loading one of another recipe is an error.
 * @example await loadWeights('apps/demo/public/models/vit-mnist/model.safetensors', model, 'vit-mnist')
 */
export async function loadWeights(path: string, model: Module, recipe: string): Promise<'checkpoint' | 'export'> {
  const bytes = new Uint8Array(await readFile(path));
  const { metadata } = parseHeader(bytes);
  if (metadata.format !== undefined) {
    await loadCheckpoint(path, model, null);
    return 'checkpoint';
  }
  if (metadata.recipe !== undefined && metadata.recipe !== recipe) throw new Error(`loadWeights: ${path} holds weights of recipe '${metadata.recipe}', not '${recipe}'`);
  const { tensors } = load(bytes);
  model.loadStateDict(tensors, { strict: true });
  for (const t of Object.values(tensors)) t.dispose();
  return 'export';
}

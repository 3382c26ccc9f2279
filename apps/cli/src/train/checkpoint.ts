// Checkpoint files for the CLI: @qkv/nn's checkpoint (weights, optimizer state, RNG state) plus the
// position in training, written atomically, so `--resume` continues bit-identically.
import { rename, writeFile } from 'node:fs/promises';
import { load, loadCheckpoint as loadParts, parseHeader, saveCheckpoint as saveParts } from '@qkv/nn';
import type { Module, Optimizer } from '@qkv/nn';
import { readFileBytes } from '@qkv/nn/node';
import { defaultGenerator, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

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
  const bytes = await readFileBytes(path, 'loadCheckpoint');
  // weights and moments are checked for NaN/Inf (corrupted data bytes), every field validated
  const { extra } = loadParts(bytes, optimizer ? { model, optimizer, generator: defaultGenerator() } : { model }, { file: path });
  const progress = (extra as { progress?: Progress } | undefined)?.progress;
  if (!progress) throw new Error(`loadCheckpoint: ${path} has no training progress; was it written by qkv train?`);
  for (const key of ['step', 'epoch', 'batchIndex'] as const) {
    const v: unknown = progress[key];
    if (!Number.isSafeInteger(v) || (v as number) < 0) throw new Error(`loadCheckpoint: ${path}: extra.progress.${key}: expected an integer ≥ 0, got ${String(v)}`);
  }
  return { progress };
}

/**
 * Loads the weights of `file` into `model` for `eval` / `predict`: a training checkpoint of `qkv
 * train`, or the weights-only file of `qkv export` (F32 or F16; every parameter must be present).
 * An exported file names its recipe in its metadata; loading one of another recipe is an error.
 * @example await loadWeights('apps/demo/public/models/vit-mnist/model.safetensors', model, 'vit-mnist')
 */
export async function loadWeights(path: string, model: Module, recipe: string): Promise<'checkpoint' | 'export'> {
  const bytes = await readFileBytes(path, 'loadWeights');
  const { metadata } = parseHeader(bytes, { file: path });
  if (metadata.format !== undefined) {
    await loadCheckpoint(path, model, null);
    return 'checkpoint';
  }
  if (metadata.recipe !== undefined && metadata.recipe !== recipe) throw new Error(`loadWeights: ${path} holds weights of recipe '${metadata.recipe}', not '${recipe}'`);
  // NaN or ±∞ in the weights means corrupted data bytes: refused (the format has no checksum)
  const { tensors } = load(bytes, { file: path, nonFinite: 'error' });
  model.loadStateDict(tensors, { strict: true });
  for (const t of Object.values(tensors)) t.dispose();
  return 'export';
}

/**
 * Loads into `model` the element-wise mean of the weights in `paths` (checkpoints of `qkv train` or
 * files of `qkv export`, all of `recipe`), as fairseq's `average_checkpoints` does: the mean of the
 * last few checkpoints of a run smooths out the noise of its final updates. Sums are kept in float64;
 * tensors that are not float32 (integer buffers) must be equal in every file and are kept as they are.
 * @example await averageWeights(['runs/g2p/checkpoint-8000.safetensors', 'runs/g2p/checkpoint-8400.safetensors'], model, 'g2p-transformer')
 */
export async function averageWeights(paths: readonly string[], model: Module, recipe: string): Promise<void> {
  if (paths.length === 0) throw new Error('averageWeights: expected at least one checkpoint, got none');
  const sums = new Map<string, Float64Array>();
  const kept = new Map<string, { path: string; data: ArrayLike<number> }>();
  for (const path of paths) {
    await loadWeights(path, model, recipe);
    for (const [name, t] of Object.entries(model.stateDict())) {
      const data = t.dataSync();
      if (t.dtype !== 'float32') {
        const first = kept.get(name);
        if (!first) kept.set(name, { path, data: Array.from(data as ArrayLike<number>) });
        else if (first.data.length !== data.length || Array.prototype.some.call(data, (x: number, i: number) => x !== first.data[i])) {
          throw new Error(`averageWeights: ${t.dtype} tensor '${name}' differs between ${first.path} and ${path}; only float32 tensors are averaged`);
        }
        continue;
      }
      const sum = sums.get(name) ?? new Float64Array(data.length);
      for (let i = 0; i < data.length; i++) sum[i]! += (data as Float32Array)[i]!;
      sums.set(name, sum);
    }
  }
  const shapes = Object.fromEntries(Object.entries(model.stateDict()).map(([name, t]) => [name, t.shape]));
  const mean: Record<string, Tensor> = {};
  for (const [name, sum] of sums) mean[name] = tensor(Float32Array.from(sum, (x) => x / paths.length), { shape: [...shapes[name]!] });
  model.loadStateDict(mean, { strict: false });
  for (const t of Object.values(mean)) t.dispose();
}

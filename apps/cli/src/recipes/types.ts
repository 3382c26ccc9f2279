// What a recipe provides: a model, its data, a loss, metrics and prediction, behind one interface
// that the generic training loop, `qkv eval`, `qkv predict` and `qkv export` use.
import type { Module, Optimizer } from '@qkv/nn';
import type { Tensor } from '@qkv/tensor-core';

/** Options shared by every command (CLI flags). */
export interface RunOptions {
  seed: number;
  epochs: number;
  batchSize: number;
  lr: number;
  /** Stop after this many optimizer steps (overrides epochs); for smoke tests. */
  maxSteps?: number;
  /** Use only this many training examples (tiny-slice tests). */
  limit?: number;
  /** Evaluate on at most this many examples. */
  evalLimit?: number;
  /** Extra recipe-specific settings from `--set key=value`. */
  set: Record<string, string>;
}

/** One mini-batch, as the recipe defines it (tensors are created inside the step's tidy). */
export type Batch = unknown;

/** A recipe with its data and model built. */
export interface Session {
  model: Module;
  optimizer: Optimizer<object>;
  /** Learning rate for optimizer step `step` (1-based), if the recipe schedules it. */
  lrAt?: (step: number) => number;
  /** Number of batches in one epoch. */
  batchesPerEpoch: number;
  /** The `index`-th batch of `epoch`, deterministic given the seed (so resumes replay exactly). */
  batch(epoch: number, index: number): Batch;
  /** Scalar training loss for a batch, plus how many tokens/examples it covered. */
  loss(batch: Batch): { loss: Tensor; count: number };
  /** Metrics on a split ('validation' during training, 'test' for the reported numbers). */
  evaluate(split: 'validation' | 'test', limit?: number): Record<string, number>;
  /** Model output for one input, with attention weights to draw when the model has them. */
  predict(input: string, options?: Record<string, string>): Prediction;
  /** JSON-able configuration and vocabularies needed to rebuild the model (manifest). */
  manifest(): Record<string, unknown>;
  /** Gradient-norm clip; default none. */
  clipNorm?: number;
}

/** A prediction with optional attention for pictures. */
export interface Prediction {
  output: string;
  /** [rows, cols] attention (e.g. target × source) with labels. */
  attention?: { weights: number[][]; rowLabels: string[]; colLabels: string[]; title: string };
  details?: Record<string, unknown>;
}

/** A named recipe. */
export interface Recipe {
  name: string;
  description: string;
  /** The `--set` keys it reads, each with what it does and its default (unknown keys are usage errors). */
  settings: Record<string, string>;
  /** Default flags; the CLI overrides them. */
  defaults: Omit<RunOptions, 'set'> & { set?: Record<string, string> };
  /**
   * Builds the session. The CLI seeds the global generator with `options.seed` just before; models
   * draw from it (not from a private generator) so checkpoints capture their randomness.
   * `manifest` is given when rebuilding a trained model for eval/predict.
   */
  setup(options: RunOptions, manifest?: Record<string, unknown>): Promise<Session>;
}

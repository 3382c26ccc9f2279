// Shared helpers for the specification tests: tiny synthetic tasks and a training loop.
import { Adam } from '@qkv/nn';
import type { Module } from '@qkv/nn';
import { Generator, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

/** `count` random rows of `length` tokens drawn from [low, high), seeded. */
export function randomRows(count: number, length: number, low: number, high: number, seed = 0): number[][] {
  const g = new Generator(seed);
  return Array.from({ length: count }, () => Array.from({ length }, () => low + Math.floor(g.next() * (high - low))));
}

/** int32 [rows, cols] from nested arrays. */
export function ids(rows: number[][]): Tensor {
  return tensor(rows.flat(), { dtype: 'int32', shape: [rows.length, rows[0]!.length] });
}

/** Trains `model` with Adam on `loss()` until `done()` (checked every 10 steps) or `maxSteps`; returns the steps taken. */
export function train(model: Module, loss: () => Tensor, done: () => boolean, options: { lr?: number; maxSteps?: number } = {}): number {
  const opt = new Adam(model.parameters(), { lr: options.lr ?? 1e-2 });
  const maxSteps = options.maxSteps ?? 400;
  for (let step = 1; step <= maxSteps; step++) {
    tidy(() => {
      opt.zeroGrad();
      loss().backward();
      opt.step();
    });
    if (step % 10 === 0 && tidy(done)) return step;
  }
  return maxSteps;
}

/** Fraction of positions where `predicted` equals `target` (both number[][]), skipping `ignore`. */
export function tokenAccuracy(predicted: number[][], target: number[][], ignore?: number): number {
  let right = 0;
  let total = 0;
  target.forEach((row, i) => row.forEach((t, j) => {
    if (t === ignore) return;
    total++;
    if (predicted[i]![j] === t) right++;
  }));
  return right / total;
}

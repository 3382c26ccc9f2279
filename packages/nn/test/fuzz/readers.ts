// The readers of @qkv/nn under fuzz: safetensors `load` and `loadCheckpoint`, each fed mutations
// of valid files (see mutations.ts). Used at a small size by the unit tests and at ≥ 10,000 cases
// per reader by `pnpm --filter @qkv/nn fuzz`.
import fc from 'fast-check';
import { Generator, randn, tensor, tidy, zeros } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { AdamW, LayerNorm, Linear, LRScheduler, Module, SafetensorsError, cosineWithWarmup, load, loadCheckpoint, mseLoss, save, saveCheckpoint, weightDecayGroups } from '../../src/index.js';
import { fuzzReader } from '@qkv/fuzz-harness';
import type { FuzzCounts } from '@qkv/fuzz-harness';
import { mutants } from './mutations.js';
import type { Mutant } from './mutations.js';

/** A valid file with every kind of entry: float, int, bool, a zero-size shape, prototype names, metadata. */
export function seedSafetensors(): Uint8Array {
  const tensors = new Map<string, Tensor>([
    ['w', randn([3, 4], { generator: new Generator(1) })],
    ['ids', tensor([1, 2, 3], { dtype: 'int32' })],
    ['mask', tensor([true, false])],
    ['empty', zeros([1e6, 0])],
    ['__proto__', tensor([0.5])],
    ['constructor', tensor([1, 2], { dtype: 'int32' })],
  ]);
  return save(tensors, { metadata: { format: 'pt', toString: 'x' }, intDType: 'I64' });
}

class Tiny extends Module {
  fc = new Linear(4, 3, { generator: new Generator(2) });
  norm = new LayerNorm(3);
  override forward(x: Tensor): Tensor {
    return this.norm.forward(this.fc.forward(x)); // [B, 4] → [B, 3]
  }
}

/** The parts a checkpoint restores: a model, AdamW with two groups, a schedule, a generator. */
export function checkpointParts() {
  const model = new Tiny();
  const optimizer = new AdamW(weightDecayGroups(model, 0.1), { lr: 0.01 });
  const scheduler = new LRScheduler(optimizer, cosineWithWarmup(2, 10));
  return { model, optimizer, scheduler, generator: new Generator(7) };
}

/** A valid checkpoint after two training steps (so the optimizer has moments and step counts). */
export function seedCheckpoint(): Uint8Array {
  const parts = checkpointParts();
  for (let step = 0; step < 2; step++) {
    tidy(() => mseLoss(parts.model.forward(randn([2, 4], { generator: parts.generator })), zeros([2, 3])).backward());
    parts.optimizer.step();
    parts.optimizer.zeroGrad();
    parts.scheduler.step();
  }
  return saveCheckpoint({ ...parts, extra: { progress: { step: 2, epoch: 0, batchIndex: 2 } } });
}

const isOwn = (err: unknown) => err instanceof SafetensorsError;
const describe = (m: Mutant) => m.how;

/**
 * Fuzzes both readers with `numRuns` mutants each.
 * @example runFuzz(10_000, 1, 2000).map(formatCounts)
 */
export function runFuzz(numRuns: number, seed: number, timeoutMs: number): FuzzCounts[] {
  const st = seedSafetensors();
  const stCases = fc.sample(mutants(st), { numRuns, seed });
  const loadCounts = fuzzReader('safetensors.load', stCases, (m) => {
    for (const t of load(m.file).tensorMap.values()) t.dispose();
  }, isOwn, { timeoutMs, describe });
  const ck = seedCheckpoint();
  const parts = checkpointParts();
  const ckCases = fc.sample(mutants(ck, ['optimizer', 'scheduler', 'generator', 'extra']), { numRuns, seed: seed + 1 });
  const checkpointCounts = fuzzReader('loadCheckpoint', ckCases, (m) => {
    loadCheckpoint(m.file, parts);
  }, isOwn, { timeoutMs, describe });
  return [loadCounts, checkpointCounts];
}

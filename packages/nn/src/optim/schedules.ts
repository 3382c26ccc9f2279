// Learning-rate schedules. A schedule is a pure function from the step count to a factor of the
// base learning rate (PyTorch's LambdaLR); `LRScheduler` applies one to an optimizer.
import { ValueError } from '@qkv/tensor-core';

/** step (0, 1, 2, …) → multiplier of each group's base learning rate. */
export type Schedule = (step: number) => number;

function positive(op: string, what: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new ValueError(`${op}: ${what} must be a positive integer, got ${n}`);
}

/** Always 1. */
export function constantSchedule(): Schedule {
  return () => 1;
}

/**
 * Rises linearly from 0 to 1 over `warmupSteps`, then stays at 1 (HF's constant schedule with warmup).
 * @example linearWarmup(4)(2) // 0.5
 */
export function linearWarmup(warmupSteps: number): Schedule {
  positive('linearWarmup', 'warmupSteps', warmupSteps);
  return (step) => (step < warmupSteps ? step / warmupSteps : 1);
}

/**
 * Linear warmup to 1, then linear decay to 0 at `totalSteps` (HF's `get_linear_schedule_with_warmup`).
 * @example linearWarmupDecay(10, 110)(60) // 0.5
 */
export function linearWarmupDecay(warmupSteps: number, totalSteps: number): Schedule {
  if (!(totalSteps > warmupSteps)) throw new ValueError(`linearWarmupDecay: totalSteps must exceed warmupSteps, got ${totalSteps} ≤ ${warmupSteps}`);
  return (step) => (step < warmupSteps ? step / Math.max(1, warmupSteps) : Math.max(0, (totalSteps - step) / (totalSteps - warmupSteps)));
}

/**
 * Linear warmup, then half a cosine from 1 down to `minFactor` at `totalSteps`
 * (HF's `get_cosine_schedule_with_warmup` with `numCycles` = 0.5; `minFactor` as nanoGPT's min_lr).
 * @example cosineWithWarmup(100, 1000, { minFactor: 0.1 })
 */
export function cosineWithWarmup(warmupSteps: number, totalSteps: number, options: { numCycles?: number; minFactor?: number } = {}): Schedule {
  const { numCycles = 0.5, minFactor = 0 } = options;
  if (!(totalSteps > warmupSteps)) throw new ValueError(`cosineWithWarmup: totalSteps must exceed warmupSteps, got ${totalSteps} ≤ ${warmupSteps}`);
  return (step) => {
    if (step < warmupSteps) return step / Math.max(1, warmupSteps);
    const progress = Math.min(1, (step - warmupSteps) / (totalSteps - warmupSteps));
    const cosine = Math.max(0, 0.5 * (1 + Math.cos(Math.PI * numCycles * 2 * progress)));
    return minFactor + (1 - minFactor) * cosine;
  };
}

/**
 * The Transformer paper's schedule: d_model^−0.5 · min(step^−0.5, step · warmup^−1.5), with step
 * counted from 1 (step 0 is treated as 1, as the Annotated Transformer does). Use base lr = 1
 * (or a `factor`) to get the paper's rates.
 * @example new LRScheduler(new Adam(ps, { lr: 1, betas: [0.9, 0.98], eps: 1e-9 }), noam(512, 4000))
 */
export function noam(dModel: number, warmupSteps: number, factor = 1): Schedule {
  positive('noam', 'dModel', dModel);
  positive('noam', 'warmupSteps', warmupSteps);
  return (step) => {
    const s = Math.max(step, 1);
    return factor * dModel ** -0.5 * Math.min(s ** -0.5, s * warmupSteps ** -1.5);
  };
}

/**
 * Multiplies by `gamma` every `stepSize` steps (`StepLR`).
 * @example stepDecay(30, 0.1)(65) // 0.01
 */
export function stepDecay(stepSize: number, gamma = 0.1): Schedule {
  positive('stepDecay', 'stepSize', stepSize);
  return (step) => gamma ** Math.floor(step / stepSize);
}

/**
 * The product of several schedules, e.g. warmup times step decay.
 * @example multiply(linearWarmup(100), stepDecay(1000, 0.5))
 */
export function multiply(...schedules: Schedule[]): Schedule {
  return (step) => schedules.reduce((f, s) => f * s(step), 1);
}

/**
 * Runs schedules one after another (`SequentialLR`): schedule i+1 starts at `milestones[i]`,
 * seeing the step count relative to its start.
 * @example chain([linearWarmup(100), cosineWithWarmup(0, 900)], [100])
 */
export function chain(schedules: Schedule[], milestones: number[]): Schedule {
  if (schedules.length !== milestones.length + 1) {
    throw new ValueError(`chain: expected ${schedules.length - 1} milestones for ${schedules.length} schedules, got ${milestones.length}`);
  }
  if (milestones.some((m, i) => !Number.isInteger(m) || m < 0 || (i > 0 && m <= milestones[i - 1]!))) {
    throw new ValueError(`chain: milestones must be increasing non-negative integers, got [${milestones.join(', ')}]`);
  }
  return (step) => {
    let i = 0;
    while (i < milestones.length && step >= milestones[i]!) i++;
    return schedules[i]!(step - (i === 0 ? 0 : milestones[i - 1]!));
  };
}

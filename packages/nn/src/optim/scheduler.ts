// LRScheduler: sets each group's learning rate to base lr × schedule(step) (PyTorch's LambdaLR).
import { ValueError } from '@qkv/tensor-core';
import type { Optimizer } from './optimizer.js';
import type { Schedule } from './schedules.js';

/** The scheduler's resumable state. */
export interface SchedulerStateDict {
  lastEpoch: number;
  baseLrs: number[];
}

/**
 * Drives an optimizer's learning rates. Construction applies step 0; each `step()` (call it
 * after `optimizer.step()`) advances one step.
 * @example const sched = new LRScheduler(opt, cosineWithWarmup(100, 5000)); … opt.step(); sched.step();
 */
export class LRScheduler {
  /** Steps taken (PyTorch's `last_epoch`). */
  lastEpoch = 0;
  /** Each group's learning rate when the scheduler was created. */
  baseLrs: number[];
  readonly #schedules: Schedule[];

  constructor(readonly optimizer: Optimizer<{ lr: number }>, schedule: Schedule | Schedule[]) {
    const groups = optimizer.paramGroups;
    this.#schedules = Array.isArray(schedule) ? schedule : groups.map(() => schedule);
    if (this.#schedules.length !== groups.length) {
      throw new ValueError(`LRScheduler: expected one schedule or ${groups.length} (one per group), got ${this.#schedules.length}`);
    }
    this.baseLrs = groups.map((g) => g.lr);
    this.apply();
  }

  private apply(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = this.baseLrs[i]! * this.#schedules[i]!(this.lastEpoch);
    });
  }

  /** Advances one step and updates the learning rates. */
  step(): void {
    this.lastEpoch++;
    this.apply();
  }

  /** The learning rates now in use, one per group. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  /** Restores the step count and base rates, and re-applies the schedule. */
  loadStateDict(sd: SchedulerStateDict): void {
    if (sd.baseLrs.length !== this.baseLrs.length) {
      throw new ValueError(`LRScheduler.loadStateDict: expected ${this.baseLrs.length} base rates, got ${sd.baseLrs.length}`);
    }
    this.lastEpoch = sd.lastEpoch;
    this.baseLrs = [...sd.baseLrs];
    this.apply();
  }
}

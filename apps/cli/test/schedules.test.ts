// The seq2seq recipes' learning-rate schedules (`--set schedule`), against values computed by hand.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { seq2seqSchedule } from '../src/recipes/seq2seq.js';
import type { RunOptions } from '../src/recipes/types.js';

const run = (set: Record<string, string>, extra: Partial<RunOptions> = {}): RunOptions => ({ seed: 0, epochs: 2, batchSize: 8, lr: 2e-3, set, ...extra });

describe('seq2seqSchedule', () => {
  it('noam (the default) rises linearly to --lr at the warmup step, then decays as step^-0.5', () => {
    const lrAt = seq2seqSchedule(run({ warmup: '100' }), 50);
    expect(lrAt(50)).toBeCloseTo(1e-3, 12); // half way up
    expect(lrAt(100)).toBeCloseTo(2e-3, 12); // the peak is --lr
    expect(lrAt(400)).toBeCloseTo(2e-3 * Math.sqrt(100 / 400), 12); // 1e-3
  });

  it('cosine warms up, then falls along half a cosine to a tenth of --lr at epochs × batches', () => {
    const lrAt = seq2seqSchedule(run({ warmup: '10', schedule: '1' }), 55); // 110 steps in all
    expect(lrAt(5)).toBeCloseTo(1e-3, 12);
    expect(lrAt(10)).toBeCloseTo(2e-3, 12);
    expect(lrAt(60)).toBeCloseTo(2e-4 + 1.8e-3 * 0.5, 12); // half way down the cosine: (1 + cos π/2)/2 = 0.5
    expect(lrAt(110)).toBeCloseTo(2e-4, 12);
  });

  it('cosine ends at --max-steps when it is given', () => {
    const lrAt = seq2seqSchedule(run({ warmup: '10', schedule: '1' }, { maxSteps: 30 }), 1000);
    expect(lrAt(20)).toBeCloseTo(2e-4 + 1.8e-3 * 0.5, 12);
    expect(lrAt(30)).toBeCloseTo(2e-4, 12);
  });

  it('rejects a schedule it does not know', () => {
    expect(() => seq2seqSchedule(run({ schedule: '2' }), 10)).toThrow(UsageError);
    expect(() => seq2seqSchedule(run({ schedule: '2' }), 10)).toThrow('--set schedule must be 0 (noam) or 1 (cosine), got 2');
  });
});

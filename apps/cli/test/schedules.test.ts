// The seq2seq recipes' learning-rate schedules (`--set schedule`) and the evaluation subset, against
// values computed by hand.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { seq2seqSchedule } from '../src/recipes/seq2seq.js';
import { evenlySpaced } from '../src/recipes/settings.js';
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

describe('evenlySpaced', () => {
  it('spreads a limit over the whole list, in order, and keeps everything without one', () => {
    const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(evenlySpaced(xs, 4)).toEqual([0, 2, 5, 7]); // ⌊0·10/4⌋, ⌊10/4⌋, ⌊20/4⌋, ⌊30/4⌋
    expect(evenlySpaced(xs, 1)).toEqual([0]);
    expect(evenlySpaced(xs, 0)).toEqual([]);
    expect(evenlySpaced(xs, 10)).toEqual(xs);
    expect(evenlySpaced(xs, 25)).toEqual(xs);
    expect(evenlySpaced(xs)).toEqual(xs);
  });
});

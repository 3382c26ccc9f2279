import { describe, expect, it } from 'vitest';
import { tensor } from '@qkv/tensor-core';
import { Adam, LRScheduler, Parameter, chain, cosineWithWarmup, linearWarmup, linearWarmupDecay, multiply, noam, stepDecay } from '../src/index.js';

describe('learning-rate schedules', () => {
  it('linear warmup rises to 1 and stays', () => {
    expect([0, 1, 2, 4, 10].map(linearWarmup(4))).toEqual([0, 0.25, 0.5, 1, 1]);
    expect([0, 5, 10, 60, 110, 200].map(linearWarmupDecay(10, 110))).toEqual([0, 0.5, 1, 0.5, 0, 0]);
  });

  it('cosine with warmup: 1 after warmup, ½ halfway, minFactor at the end', () => {
    const s = cosineWithWarmup(10, 110, { minFactor: 0.1 });
    expect(s(5)).toBe(0.5);
    expect(s(10)).toBeCloseTo(1, 12);
    expect(s(60)).toBeCloseTo(0.1 + 0.9 * 0.5, 12);
    expect(s(110)).toBeCloseTo(0.1, 12);
    expect(s(500)).toBeCloseTo(0.1, 12);
  });

  it('Noam is d_model^−0.5 · min(step^−0.5, step · warmup^−1.5), peaking at step = warmup', () => {
    const s = noam(512, 4000);
    expect(s(1)).toBeCloseTo(512 ** -0.5 * 4000 ** -1.5, 15);
    expect(s(0)).toBe(s(1));
    expect(s(4000)).toBeCloseTo(512 ** -0.5 * 4000 ** -0.5, 15);
    expect(s(16000)).toBeCloseTo(512 ** -0.5 * 16000 ** -0.5, 15);
    expect(s(3999)).toBeLessThan(s(4000));
    expect(s(4001)).toBeLessThan(s(4000));
  });

  it('step decay, product and chain compose', () => {
    expect([0, 29, 30, 65].map(stepDecay(30, 0.1)).map((v) => +v.toPrecision(12))).toEqual([1, 1, 0.1, 0.01]);
    expect(multiply(linearWarmup(2), stepDecay(2, 0.5))(3)).toBe(0.5);
    const c = chain([linearWarmup(4), stepDecay(1, 0.5)], [4]);
    expect([0, 2, 4, 5, 6].map(c)).toEqual([0, 0.5, 1, 0.5, 0.25]);
    expect(() => chain([linearWarmup(4)], [4])).toThrow('chain: expected 0 milestones for 1 schedules, got 1');
  });

  it('LRScheduler sets base lr × schedule(step) on every group, from construction', () => {
    const opt = new Adam([{ params: [Parameter(tensor([1]))], lr: 0.1 }, { params: [Parameter(tensor([1]))], lr: 0.01 }]);
    const sched = new LRScheduler(opt, linearWarmup(2));
    expect(sched.getLastLr()).toEqual([0, 0]);
    sched.step();
    expect(sched.getLastLr()).toEqual([0.05, 0.005]);
    sched.step();
    sched.step();
    expect(sched.getLastLr()).toEqual([0.1, 0.01]);
    const again = new LRScheduler(opt, linearWarmup(2));
    again.loadStateDict({ lastEpoch: 1, baseLrs: [0.1, 0.01] });
    expect(again.getLastLr()).toEqual([0.05, 0.005]);
  });
});

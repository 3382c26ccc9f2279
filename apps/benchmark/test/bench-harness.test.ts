// @qkv/bench-harness, the one harness apps/benchmark and the package benches share: run counts,
// turns, ratios and tables against hand-counted values (no timing assertions).
import { describe, expect, it } from 'vitest';
import { markdownTable, median, medianRatio, summarize, time, timeInTurns, timeInTurnsSync, timeSync } from '@qkv/bench-harness';
import { time as suiteTime } from '../src/harness.js';

describe('@qkv/bench-harness', () => {
  it('warms up, then runs between minRuns and maxRuns times', async () => {
    let calls = 0;
    const t = timeSync(() => calls++, { warmup: 2, minRuns: 4, maxRuns: 4, minMs: 0 });
    expect([calls, t.runs]).toEqual([6, 4]);
    let after = 0;
    calls = 0;
    const u = await time(async () => void calls++, { warmup: 1, minRuns: 3, maxRuns: 10, minMs: 0, onRun: () => after++ });
    expect([calls, u.runs, after]).toEqual([4, 3, 3]);
    expect(u.minMs).toBeLessThanOrEqual(u.medianMs);
    expect(u.medianMs).toBeLessThanOrEqual(u.maxMs);
  });

  it('keeps running until minMs has passed, but never beyond maxRuns', () => {
    const t = timeSync(() => undefined, { warmup: 0, minRuns: 1, maxRuns: 7, minMs: 60_000 });
    expect(t.runs).toBe(7);
    expect(() => timeSync(() => undefined, { minRuns: 5, maxRuns: 2 })).toThrow(/minRuns ≤ maxRuns/);
  });

  it('takes runs in turns, each after its untimed `before`, one time per system and round', async () => {
    const log: string[] = [];
    const times = timeInTurnsSync([{ run: () => log.push('a'), before: () => log.push('reset a') }, { run: () => log.push('b') }], { warmup: 1, minRuns: 2, maxRuns: 2, minMs: 0 });
    expect(log).toEqual(['a', 'b', 'reset a', 'a', 'b', 'reset a', 'a', 'b']);
    expect(times.map((t) => t.length)).toEqual([2, 2]);
    const asyncTimes = await timeInTurns([{ run: () => Promise.resolve() }, { run: () => undefined }], { warmup: 0, minRuns: 3, maxRuns: 3, minMs: 0 });
    expect(asyncTimes.map((t) => t.length)).toEqual([3, 3]);
  });

  it('gives the median of per-round ratios, and summaries of run times', () => {
    expect(medianRatio([2, 9, 4], [1, 3, 1])).toBe(3); // ratios 2, 3, 4
    expect(median([])).toBeNaN();
    expect(summarize([5, 1, 3, 2])).toEqual({ medianMs: 2.5, minMs: 1, maxMs: 5, runs: 4 });
  });

  it('writes markdown tables, right-aligning the columns asked for', () => {
    expect(markdownTable([{ name: 'a', ms: '1.0' }, { name: 'b', ms: '20', extra: 'x' }], { alignRight: ['ms'] })).toBe(
      ['| name | ms | extra |', '| --- | ---: | --- |', '| a | 1.0 |  |', '| b | 20 | x |'].join('\n'),
    );
  });

  it("is what the suites' time() runs: 2 runs in quick mode, whatever the budget", async () => {
    let calls = 0;
    const t = await suiteTime(() => calls++, true, { minRuns: 50, minMs: 10_000, warmup: 1 });
    expect([t.runs, calls]).toEqual([2, 3]);
  });
});

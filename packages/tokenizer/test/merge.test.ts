import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeByHeap, mergeByScan, mergeIds, PAIR_STRIDE, type MergeTable } from '../src/bpe/merge.js';

/** Merges over ids 0…3: rank r turns pairs[r] into id 4 + r. */
function table(pairs: readonly [number, number][]): MergeTable {
  const ranks = new Map<number, number>();
  pairs.forEach(([l, r], rank) => {
    if (!ranks.has(l * PAIR_STRIDE + r)) ranks.set(l * PAIR_STRIDE + r, rank);
  });
  return { ranks, merged: pairs.map((_, rank) => 4 + rank) };
}

/** Textbook BPE, written independently: apply each merge in rank order, left to right. */
function byRankOrder(ids: number[], pairs: readonly [number, number][]): number[] {
  let word = ids;
  pairs.forEach(([l, r], rank) => {
    const out: number[] = [];
    for (let i = 0; i < word.length; i++) {
      if (i + 1 < word.length && word[i] === l && word[i + 1] === r) {
        out.push(4 + rank);
        i++;
      } else out.push(word[i]!);
    }
    word = out;
  });
  return word;
}

describe('the BPE merge loop', () => {
  it('merges the lowest-ranked pair first and the leftmost of equal pairs', () => {
    const t = table([[0, 0], [1, 2], [4, 0]]); // aa → 4, bc → 5, (aa)a → 6
    expect(mergeIds([0, 0, 0], t)).toEqual([6]); // aaa: leftmost aa, then (aa)a
    expect(mergeIds([0, 1, 2, 0, 0], t)).toEqual([0, 5, 4]);
  });

  const merges = fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 })), {
    maxLength: 6,
    selector: ([l, r]) => `${l},${r}`,
  });

  it('heap and scan versions agree with textbook rank-order BPE on 5,000 random words and tables', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 80 }), merges, (word, pairs) => {
        // Keep merges that only use ids that exist before them (a well-formed merge list).
        const valid: [number, number][] = [];
        for (const [l, r] of pairs) if (l < 4 + valid.length && r < 4 + valid.length) valid.push([l, r]);
        const expected = byRankOrder(word, valid);
        expect(mergeByScan([...word], table(valid))).toEqual(expected);
        expect(mergeByHeap([...word], table(valid))).toEqual(expected);
      }),
      { numRuns: 5_000 },
    );
  });

  it('does no quadratic work: a 200,000-byte run merges in well under a second', () => {
    const t = table([[0, 0], [4, 4], [5, 5], [6, 6]]);
    const start = performance.now();
    const out = mergeIds(new Array<number>(200_000).fill(0), t);
    expect(out.length).toBe(200_000 / 16);
    expect(out.every((id) => id === 7)).toBe(true);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accuracy, argmaxRows, BigramLanguageModel, editDistance, g2pErrorRates, perplexity } from '../src/index.js';

/** The textbook recursive definition, memoised: an independent reference for small inputs. */
function naiveDistance(a: string, b: string): number {
  const memo = new Map<string, number>();
  const d = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = `${i},${j}`;
    if (!memo.has(key)) memo.set(key, Math.min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    return memo.get(key)!;
  };
  return d(a.length, b.length);
}

describe('editDistance', () => {
  it('matches hand-computed distances', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3); // k→s, e→i, +g
    expect(editDistance('flaw', 'lawn')).toBe(2); // −f, +n
    expect(editDistance('intention', 'execution')).toBe(5);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance(['HH', 'AH0', 'L', 'OW1'], ['HH', 'EH1', 'L', 'OW1'])).toBe(1); // phonemes are whole symbols
  });

  it('equals the recursive definition and is symmetric', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 7 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(editDistance(a, b)).toBe(naiveDistance(a, b));
        expect(editDistance(b, a)).toBe(editDistance(a, b));
      }),
      { numRuns: 500 },
    );
  });
});

describe('g2pErrorRates', () => {
  const predictions = [
    ['R', 'EH1', 'D'], // read: equals the second reference
    ['K', 'AE1', 'T', 'S'], // cat: one insertion
    ['T', 'AH0', 'M', 'EY1', 'T', 'OW2'], // tomato: equals the first reference
    ['HH', 'AH1', 'L', 'OW0'], // hello: stress swapped, phonemes right
    ['AH0', 'B'], // closest is the short reference (distance 1), not the first (distance 4)
  ];
  const references = [
    [['R', 'IY1', 'D'], ['R', 'EH1', 'D']],
    [['K', 'AE1', 'T']],
    [['T', 'AH0', 'M', 'EY1', 'T', 'OW2'], ['T', 'AH0', 'M', 'AA1', 'T', 'OW2']],
    [['HH', 'AH0', 'L', 'OW1']],
    [['AH0', 'B', 'AH0', 'K', 'AH0', 'S'], ['AE1', 'B']],
  ];

  it('scores against the closest reference, with stress (hand-computed)', () => {
    // errors 0 + 1 + 0 + 2 + 1 = 4 over closest-reference lengths 3 + 3 + 6 + 4 + 2 = 18; words wrong: cat, hello, last
    expect(g2pErrorRates(predictions, references)).toEqual({ per: 4 / 18, wer: 3 / 5, phonemeErrors: 4, referencePhonemes: 18, wordErrors: 3, words: 5 });
  });

  it('ignores stress digits when asked (hand-computed)', () => {
    // hello is now right: errors 0 + 1 + 0 + 0 + 1 = 2 over 18
    expect(g2pErrorRates(predictions, references, { stress: false })).toEqual({ per: 2 / 18, wer: 2 / 5, phonemeErrors: 2, referencePhonemes: 18, wordErrors: 2, words: 5 });
  });

  it('breaks ties between equally close references by the shorter one', () => {
    const scores = g2pErrorRates([['K', 'AE1', 'T']], [[['K', 'AE1', 'T', 'S'], ['K', 'AE1']]]);
    expect([scores.phonemeErrors, scores.referencePhonemes]).toEqual([1, 2]);
  });

  it('rejects mismatched lengths and words without references', () => {
    expect(() => g2pErrorRates([['A']], [])).toThrow(/^g2pErrorRates: expected as many predictions as references \(0\), got 1/);
    expect(() => g2pErrorRates([['AH0']], [[]])).toThrow(/expected at least one reference for word 0/);
  });
});

describe('accuracy and argmaxRows', () => {
  it('counts exact matches', () => {
    expect(accuracy([1, 0, 1, 1], [1, 1, 1, 0])).toBe(0.5);
    expect(accuracy(Int32Array.from([2, 2]), Int32Array.from([2, 2]))).toBe(1);
    expect(() => accuracy([1], [1, 2])).toThrow(/^accuracy: expected as many predictions as labels \(2\), got 1/);
  });

  it('takes the first largest score of each row', () => {
    expect([...argmaxRows([0.1, 0.9, 0.8, 0.2, 0.5, 0.5], 2)]).toEqual([1, 0, 0]);
    expect(() => argmaxRows([1, 2, 3], 2)).toThrow(/^argmaxRows: expected scores of length N·2, got 3/);
  });
});

describe('perplexity', () => {
  it('is exp of the mean NLL', () => {
    expect(perplexity(4 * Math.log(2), 4)).toBeCloseTo(2, 12);
    expect(perplexity(0, 10)).toBe(1);
    expect(() => perplexity(1, 0)).toThrow(/^perplexity: expected a positive token count, got 0/);
  });
});

describe('BigramLanguageModel', () => {
  // Train 0 1 0 1 2 over V = 3, k = 1: pairs (0,1)×2, (1,0)×1, (1,2)×1; contexts 0: 2, 1: 2, 2: 0.
  const model = BigramLanguageModel.fit([[0, 1, 0, 1, 2]], { vocabSize: 3, k: 1 });

  it('gives add-k smoothed probabilities (hand-computed)', () => {
    expect(model.probability(0, 1)).toBeCloseTo(3 / 5, 12); // (2 + 1) / (2 + 3)
    expect(model.probability(0, 0)).toBeCloseTo(1 / 5, 12);
    expect(model.probability(1, 2)).toBeCloseTo(2 / 5, 12);
    expect(model.probability(2, 0)).toBeCloseTo(1 / 3, 12); // unseen context: uniform
    for (let a = 0; a < 3; a++) expect([0, 1, 2].reduce((s, b) => s + model.probability(a, b), 0)).toBeCloseTo(1, 12);
  });

  it('scores a test sequence: 0 1 2 0 → p = 3/5 · 2/5 · 1/3, perplexity (75/6)^(1/3)', () => {
    const score = model.evaluate([[0, 1, 2, 0]]);
    expect(score.tokens).toBe(3);
    expect(score.nll).toBeCloseTo(Math.log(75 / 6), 12);
    expect(score.perplexity).toBeCloseTo((75 / 6) ** (1 / 3), 12);
  });

  it('never counts pairs across sequence boundaries', () => {
    const split = BigramLanguageModel.fit([[0, 1], [0, 1]], { vocabSize: 2, k: 1 });
    expect(split.probability(1, 0)).toBeCloseTo(1 / 2, 12); // no (1, 0) pair, no context 1 seen
  });

  it('rejects ids outside the vocabulary and a non-positive k', () => {
    expect(() => BigramLanguageModel.fit([[0, 3]], { vocabSize: 3 })).toThrow(/^BigramLanguageModel\.fit: expected ids in \[0, 3\) \(position 1\), got 3/);
    expect(() => BigramLanguageModel.fit([], { vocabSize: 3, k: 0 })).toThrow(/expected a smoothing constant k > 0, got 0/);
  });
});

import { describe, expect, it } from 'vitest';
import { cat, memory, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { beamSearch, filteredProbabilities, greedyDecode, sample } from '../src/index.js';
import type { DecodeStepper } from '../src/index.js';

const V = 4;
const EOS = 3;

/** Deterministic next-token logits for a prefix: the independent model the decoders are checked on. */
function toyLogits(prefix: number[]): number[] {
  let h = 17;
  for (const t of prefix) h = (h * 31 + t + 7) % 1009;
  return Array.from({ length: V }, (_, v) => Math.sin(h * (v + 1) * 0.37) * 2 + (v === EOS ? -0.5 + 0.4 * prefix.length : 0));
}

function logSoftmax(x: number[]): number[] {
  const m = Math.max(...x);
  const z = Math.log(x.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
  return x.map((v) => v - z);
}

/** A stepper whose state is the prefix, as an uncached model's. */
function toyStepper(): DecodeStepper<{ prefix: Tensor | null }> {
  return {
    init: () => ({ prefix: null }),
    step: (tokens, state) => {
      const prefix = state.prefix ? cat([state.prefix, tokens], 1) : tokens;
      const rows = prefix.toArray() as number[][];
      return { logits: tensor(rows.map(toyLogits)), state: { prefix } };
    },
    select: (state, index) => ({ prefix: state.prefix!.indexSelect(0, index) }),
  };
}

/** Every continuation of `prompt` of ≤ L tokens that ends in EOS or has length L, with its log-probability. */
function enumerate(prompt: number[], L: number): { tokens: number[]; logProb: number }[] {
  const out: { tokens: number[]; logProb: number }[] = [];
  const walk = (tokens: number[], lp: number) => {
    if (tokens.length === L || tokens.at(-1) === EOS) return void out.push({ tokens, logProb: lp });
    const logp = logSoftmax(toyLogits([...prompt, ...tokens]));
    logp.forEach((l, v) => walk([...tokens, v], lp + l));
  };
  walk([], 0);
  return out;
}

const prompt = tensor([[0], [1], [2]], { dtype: 'int32' });

describe('greedyDecode', () => {
  it('takes the argmax at every step and fills finished rows with EOS', () => {
    const out = greedyDecode(toyStepper(), { prompt, maxNewTokens: 6, eosId: EOS }).toArray() as number[][];
    out.forEach((row, b) => {
      const expected = [b];
      let stopped = false;
      while (expected.length < 7) {
        if (stopped) { expected.push(EOS); continue; }
        const logits = toyLogits(expected);
        const next = logits.indexOf(Math.max(...logits));
        expected.push(next);
        stopped = next === EOS;
      }
      expect(row.slice(0, expected.length)).toEqual(expected.slice(0, row.length));
    });
  });

  it('frees every intermediate tensor', () => {
    const before = memory().numTensors;
    greedyDecode(toyStepper(), { prompt, maxNewTokens: 5 }).dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('rejects a float or 1-d prompt', () => {
    expect(() => greedyDecode(toyStepper(), { prompt: tensor([[1.5]]) })).toThrow(/greedyDecode: prompt must be int32, got float32/);
    expect(() => greedyDecode(toyStepper(), { prompt: tensor([1], { dtype: 'int32' }) })).toThrow(/greedyDecode: prompt must be int32 \[B, T0\].*got \[1\]/);
  });
});

describe('beamSearch', () => {
  for (const alpha of [0, 1]) {
    it(`with a beam as wide as the search space finds the brute-force best (lengthPenalty ${alpha})`, () => {
      const L = 4;
      const result = beamSearch(toyStepper(), { prompt, maxNewTokens: L, eosId: EOS, beamWidth: V ** L, lengthPenalty: alpha, earlyStopping: false });
      [0, 1, 2].forEach((b) => {
        const all = enumerate([b], L).map((h) => ({ ...h, score: h.logProb / h.tokens.length ** alpha }));
        all.sort((x, y) => y.score - x.score);
        const best = result[b]![0]!;
        expect(best.tokens).toEqual(all[0]!.tokens);
        expect(best.score).toBeCloseTo(all[0]!.score, 4);
        expect(best.logProb).toBeCloseTo(all[0]!.logProb, 4);
      });
    });
  }

  it('with one beam returns the greedy output', () => {
    const greedy = greedyDecode(toyStepper(), { prompt, maxNewTokens: 6, eosId: EOS }).toArray() as number[][];
    const beams = beamSearch(toyStepper(), { prompt, maxNewTokens: 6, eosId: EOS, beamWidth: 1 });
    beams.forEach((hyps, b) => {
      const tokens = hyps[0]!.tokens;
      expect(greedy[b]!.slice(1, 1 + tokens.length)).toEqual(tokens);
    });
  });

  it('returns K hypotheses per row, best first, that end at EOS or at the length limit', () => {
    const result = beamSearch(toyStepper(), { prompt, maxNewTokens: 5, eosId: EOS, beamWidth: 3 });
    for (const hyps of result) {
      expect(hyps).toHaveLength(3);
      for (let i = 1; i < hyps.length; i++) expect(hyps[i - 1]!.score).toBeGreaterThanOrEqual(hyps[i]!.score);
      for (const h of hyps) {
        expect(h.tokens.at(-1) === EOS || h.tokens.length === 5).toBe(true);
        expect(h.tokens.slice(0, -1)).not.toContain(EOS);
      }
    }
  });

  it('frees every intermediate tensor', () => {
    const before = memory().numTensors;
    beamSearch(toyStepper(), { prompt, maxNewTokens: 4, eosId: EOS, beamWidth: 2 });
    expect(memory().numTensors).toBe(before);
  });
});

describe('sample', () => {
  it('filters by top-k and top-p and renormalises (hand-computed)', () => {
    const e = [Math.exp(2), Math.exp(1), 1];
    const z2 = e[0]! + e[1]!;
    const topK = filteredProbabilities([2, 1, 0], { topK: 2 });
    expect([...topK].map((p) => +p.toFixed(6))).toEqual([+(e[0]! / z2).toFixed(6), +(e[1]! / z2).toFixed(6), 0]);
    // softmax([2,1,0]) = [0.665, 0.245, 0.090]: p = 0.7 keeps the first two
    const topP = filteredProbabilities([2, 1, 0], { topP: 0.7 });
    expect(topP[2]).toBe(0);
    expect(topP[0]! + topP[1]!).toBeCloseTo(1, 10);
    const hot = filteredProbabilities([2, 1, 0], { temperature: 2 });
    const eh = [Math.exp(1), Math.exp(0.5), 1];
    expect(hot[1]).toBeCloseTo(eh[1]! / (eh[0]! + eh[1]! + eh[2]!), 10);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const run = (seed: number) => sample(toyStepper(), { prompt, maxNewTokens: 8, seed }).toArray();
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('with topK 1 is greedy decoding', () => {
    const g = greedyDecode(toyStepper(), { prompt, maxNewTokens: 6, eosId: EOS }).toArray();
    expect(sample(toyStepper(), { prompt, maxNewTokens: 6, eosId: EOS, topK: 1, seed: 3 }).toArray()).toEqual(g);
  });

  it('draws first tokens with the frequencies of softmax(logits / T)', () => {
    const n = 4000;
    const many = tensor(new Int32Array(n), { dtype: 'int32', shape: [n, 1] });
    const first = (sample(toyStepper(), { prompt: many, maxNewTokens: 1, temperature: 1.5, seed: 9 }).toArray() as number[][]).map((r) => r[1]!);
    const expected = filteredProbabilities(toyLogits([0]), { temperature: 1.5 });
    for (let v = 0; v < V; v++) {
      const freq = first.filter((t) => t === v).length / n;
      expect(Math.abs(freq - expected[v]!)).toBeLessThan(4 * Math.sqrt(expected[v]! * (1 - expected[v]!) / n) + 1e-3);
    }
  });

  it('rejects temperature 0, topK 0 and topP outside (0, 1]', () => {
    expect(() => sample(toyStepper(), { prompt, temperature: 0 })).toThrow(/sample: temperature must be > 0, got 0/);
    expect(() => sample(toyStepper(), { prompt, topK: 0 })).toThrow(/sample: topK must be a positive integer, got 0/);
    expect(() => sample(toyStepper(), { prompt, topP: 1.5 })).toThrow(/sample: topP must be in \(0, 1\], got 1.5/);
  });
});

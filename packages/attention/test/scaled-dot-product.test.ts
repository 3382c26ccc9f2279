import { describe, expect, it } from 'vitest';
import { Generator, ones, randn, tensor, zeros } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import { causalMask, scaledDotProductAttention } from '../src/index.js';
import type { SdpaCase } from './helpers.js';
import { decode, loadFixture, mat, naiveAttention } from './helpers.js';

const g = new Generator(7);

describe('scaledDotProductAttention: golden values from the numpy port of F.scaled_dot_product_attention', () => {
  for (const c of loadFixture<SdpaCase[]>('sdpa')) {
    it(`matches the fixture '${c.name}'`, () => {
      const { output, weights } = scaledDotProductAttention(decode(c.q), decode(c.k), decode(c.v), {
        attnMask: c.attn_mask ? decode(c.attn_mask) : null,
        isCausal: c.is_causal ?? false,
        scale: c.scale ?? null,
        returnWeights: true,
      });
      expectClose(output, decode(c.output), { atol: 1e-5, rtol: 1e-4 });
      expectClose(weights, decode(c.weights), { atol: 1e-6, rtol: 1e-4 });
    });
  }
});

describe('scaledDotProductAttention: semantics', () => {
  const q = randn([3, 4], { generator: g });
  const k = randn([5, 4], { generator: g });
  const v = randn([5, 2], { generator: g });

  it('equals a loop-written softmax(q·kᵀ/√E)·v', () => {
    const { output, weights } = scaledDotProductAttention(q, k, v, { returnWeights: true });
    const ref = naiveAttention(mat(q), mat(k), mat(v), null, 1 / 2);
    expectClose(output, ref.output);
    expectClose(weights, ref.weights);
  });

  it('reads a bool mask as true = take part: false keys get weight exactly 0', () => {
    const keep = tensor([[true, false, true, true, false], [true, true, true, true, true], [false, false, false, false, true]]);
    const { weights } = scaledDotProductAttention(q, k, v, { attnMask: keep, returnWeights: true });
    const w = mat(weights);
    (keep.toArray() as boolean[][]).forEach((row, i) => row.forEach((kept, j) => { if (!kept) expect(w[i]![j]).toBe(0); }));
    expectClose(w[2]!, [0, 0, 0, 0, 1]);
    const additive = (keep.toArray() as boolean[][]).map((r) => r.map((kept) => (kept ? 0 : -Infinity)));
    expectClose(weights, naiveAttention(mat(q), mat(k), mat(v), additive, 0.5).weights);
  });

  it('adds a float mask to the scores', () => {
    const bias = randn([3, 5], { generator: g });
    const { output } = scaledDotProductAttention(q, k, v, { attnMask: bias });
    expectClose(output, naiveAttention(mat(q), mat(k), mat(v), mat(bias), 0.5).output);
  });

  it('applies isCausal top-left aligned, as PyTorch: query i sees keys 0..i even when S > L', () => {
    const { weights } = scaledDotProductAttention(q, k, v, { isCausal: true, returnWeights: true });
    const w = mat(weights);
    w.forEach((row, i) => row.forEach((x, j) => (j > i ? expect(x).toBe(0) : expect(x).toBeGreaterThan(0))));
  });

  it('gives isCausal and causalMask(T) the same result on square attention', () => {
    const x = randn([2, 4, 3], { generator: g });
    const a = scaledDotProductAttention(x, x, x, { isCausal: true }).output;
    const b = scaledDotProductAttention(x, x, x, { attnMask: causalMask(4) }).output;
    expectClose(a, b);
  });

  it('returns zeros, not NaN, for a query whose keys are all masked', () => {
    const keep = tensor([[false, false, false, false, false], [true, true, true, true, true], [true, false, false, false, false]]);
    const { output, weights } = scaledDotProductAttention(q, k, v, { attnMask: keep, returnWeights: true });
    expect(mat(weights)[0]).toEqual([0, 0, 0, 0, 0]);
    expect(mat(output)[0]).toEqual([0, 0]);
    expect(Array.from(output.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('uses the given scale instead of 1/√E', () => {
    const { output } = scaledDotProductAttention(q, k, v, { scale: 0.1 });
    expectClose(output, naiveAttention(mat(q), mat(k), mat(v), null, 0.1).output);
  });

  it('broadcasts a [L, S] mask over batch and heads and supports Ev ≠ E', () => {
    const [Q, K, V] = [randn([2, 3, 4, 8], { generator: g }), randn([2, 3, 6, 8], { generator: g }), randn([2, 3, 6, 5], { generator: g })];
    const { output, weights } = scaledDotProductAttention(Q, K, V, { attnMask: ones([4, 6], { dtype: 'bool' }), returnWeights: true });
    expect(output.shape).toEqual([2, 3, 4, 5]);
    expect(weights.shape).toEqual([2, 3, 4, 6]);
  });

  it('returns weights only on request', () => {
    expect(scaledDotProductAttention(q, k, v).weights).toBeNull();
  });

  it('drops weights with dropoutP, scaling the kept ones by 1/(1−p), reproducibly with a generator', () => {
    const run = () => scaledDotProductAttention(q, k, v, { dropoutP: 0.5, returnWeights: true, generator: new Generator(3) });
    const [a, b] = [run(), run()];
    expectClose(a.output, b.output);
    const plain = mat(scaledDotProductAttention(q, k, v, { returnWeights: true }).weights);
    const dropped = mat(a.weights);
    expect(dropped.flat().some((x) => x === 0)).toBe(true);
    dropped.forEach((row, i) => row.forEach((x, j) => { if (x !== 0) expect(x).toBeCloseTo(2 * plain[i]![j]!, 5); }));
    expectClose(a.output, mat(a.weights).map((wi) => [0, 1].map((c) => wi.reduce((s, w, j) => s + w * mat(v)[j]![c]!, 0))));
  });

  it('passes gradCheck for q, k and v, with a bool mask', () => {
    const keep = tensor([[true, false, true], [true, true, false]]);
    gradCheck(
      (a, b, c) => scaledDotProductAttention(a, b, c, { attnMask: keep }).output,
      [randn([2, 2, 3], { generator: g }), randn([2, 3, 3], { generator: g }), randn([2, 3, 2], { generator: g })],
    );
  });

  it('passes gradCheck through a fully masked row (its gradient is 0, not NaN)', () => {
    const keep = tensor([[false, false, false], [true, true, false]]);
    gradCheck((a, b, c) => scaledDotProductAttention(a, b, c, { attnMask: keep }).output, [randn([2, 3], { generator: g }), randn([3, 3], { generator: g }), randn([3, 2], { generator: g })]);
  });
});

describe('scaledDotProductAttention: errors', () => {
  const q = zeros([2, 3, 4]);
  const k = zeros([2, 5, 4]);
  const v = zeros([2, 5, 6]);
  it('names a mask that does not broadcast to the scores, with both shapes', () => {
    expect(() => scaledDotProductAttention(q, k, v, { attnMask: zeros([3, 4]) })).toThrow(
      'scaledDotProductAttention: attnMask must broadcast to the scores [..., L, S] = [2,3,5], got [3,4]',
    );
  });
  it('rejects an int32 mask', () => {
    expect(() => scaledDotProductAttention(q, k, v, { attnMask: zeros([3, 5], { dtype: 'int32' }) })).toThrow(/attnMask must be bool or float32, got int32/);
  });
  it('refuses a NaN or infinite scale the same way on the fused and the weights path', () => {
    for (const scale of [NaN, Infinity, -Infinity]) {
      for (const returnWeights of [false, true]) {
        expect(() => scaledDotProductAttention(q, k, v, { scale, returnWeights })).toThrow(`scaledDotProductAttention: scale must be a finite number or null (1/√E), got ${scale}`);
      }
    }
  });
  it('rejects attnMask together with isCausal, as PyTorch', () => {
    expect(() => scaledDotProductAttention(q, k, v, { attnMask: zeros([3, 5]), isCausal: true })).toThrow(/not both/);
  });
  it('rejects k and v of different lengths', () => {
    expect(() => scaledDotProductAttention(q, k, zeros([2, 4, 6]))).toThrow('scaledDotProductAttention: k and v must have the same length S, got k [2,5,4] and v [2,4,6]');
  });
  it('rejects k whose last dim differs from q', () => {
    expect(() => scaledDotProductAttention(q, zeros([2, 5, 3]), v)).toThrow(/k must end in the query dim E = 4/);
  });
});

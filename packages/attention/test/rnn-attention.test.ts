import { describe, expect, it } from 'vitest';
import { Generator, randn, tensor, zeros } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import { AdditiveAttention, DotProductAttention, GeneralAttention } from '../src/index.js';
import { mat, softmaxRow } from './helpers.js';

const g = new Generator(21);
type M = number[][];
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const matVec = (W: M, x: number[], b?: number[]) => W.map((row, i) => dot(row, x) + (b ? b[i]! : 0));

/** context and weights for one query row, by loops: scores → softmax (masked keys −∞) → Σ w·v. */
function attendRow(scores: number[], values: M, padded: boolean[] = []): { context: number[]; weights: number[] } {
  const weights = softmaxRow(scores.map((s, j) => (padded[j] ? -Infinity : s)));
  return { context: values[0]!.map((_, c) => weights.reduce((s, w, j) => s + w * values[j]![c]!, 0)), weights };
}

const N = 2;
const S = 4;
const pad = tensor([[false, false, false, true], [false, true, true, true]]);
const padRows = pad.toArray() as boolean[][];

/** The loop reference over a batch: score(n, queryRow, keyIndex). */
function referenceBatch(query: Tensor, keys: Tensor, values: Tensor, score: (q: number[], k: number[]) => number) {
  const Q = mat(query);
  const K = keys.toArray() as M[];
  const V = values.toArray() as M[];
  const rows = Q.map((q, n) => attendRow(K[n]!.map((k) => score(q, k)), V[n]!, padRows[n]));
  return { context: rows.map((r) => r.context), weights: rows.map((r) => r.weights) };
}

describe('AdditiveAttention (Bahdanau)', () => {
  const attn = new AdditiveAttention(3, 5, { attnDim: 6, generator: g });
  const s = randn([N, 3], { generator: g });
  const h = randn([N, S, 5], { generator: g });

  it('computes Vaᵀ·tanh(Wa·s + Ua·h), softmax over the source, and Σ weights·h, as a loop does', () => {
    const [Wa, ba, Ua, ua, Va, va] = [mat(attn.Wa.weight), attn.Wa.bias!.toArray() as number[], mat(attn.Ua.weight), attn.Ua.bias!.toArray() as number[], mat(attn.Va.weight), attn.Va.bias!.item()];
    const score = (q: number[], k: number[]) => {
      const a = matVec(Wa, q, ba);
      const b = matVec(Ua, k, ua);
      return dot(Va[0]!, a.map((x, i) => Math.tanh(x + b[i]!))) + va;
    };
    const ref = referenceBatch(s, h, h, score);
    const { context, weights } = attn.forward(s, h, { keyPaddingMask: pad });
    expectClose(context, ref.context);
    expectClose(weights, ref.weights);
    expect(mat(weights)[1]!.slice(1)).toEqual([0, 0, 0]);
  });

  it("names its parameters as PyTorch's seq2seq tutorial: Wa, Ua, Va", () => {
    expect(Object.keys(attn.stateDict())).toEqual(['Wa.weight', 'Wa.bias', 'Ua.weight', 'Ua.bias', 'Va.weight', 'Va.bias']);
    expect(Object.keys(new AdditiveAttention(3, 5, { bias: false }).stateDict())).toEqual(['Wa.weight', 'Ua.weight', 'Va.weight']);
  });

  it('attends every step of a [N, T, Dq] query at once, equal to one step at a time', () => {
    const steps = randn([N, 3, 3], { generator: g });
    const all = attn.forward(steps, h);
    expect(all.weights.shape).toEqual([N, 3, S]);
    expectClose(all.context.select(1, 2), attn.forward(steps.select(1, 2), h).context);
  });

  it('passes gradCheck for the decoder state and the encoder outputs', () => {
    gradCheck((a, b) => attn.forward(a, b, { keyPaddingMask: pad }).context, [randn([N, 3], { generator: g }), randn([N, S, 5], { generator: g })]);
  });
});

describe('DotProductAttention and GeneralAttention (Luong)', () => {
  const s = randn([N, 3], { generator: g });
  const h = randn([N, S, 3], { generator: g });
  const v = randn([N, S, 2], { generator: g });

  it('dot: scores sᵀh, softmax, context over separate values', () => {
    const ref = referenceBatch(s, h, v, dot);
    const { context, weights } = new DotProductAttention(3).forward(s, h, { values: v, keyPaddingMask: pad });
    expectClose(context, ref.context);
    expectClose(weights, ref.weights);
  });

  it('general: scores sᵀ·Wa·h with Wa [Dq, Dk]', () => {
    const attn = new GeneralAttention(3, 5, { generator: g });
    const h5 = randn([N, S, 5], { generator: g });
    const Wa = mat(attn.Wa.weight);
    const ref = referenceBatch(s, h5, h5, (q, k) => dot(q, matVec(Wa, k)));
    const { context, weights } = attn.forward(s, h5, { keyPaddingMask: pad });
    expectClose(context, ref.context);
    expectClose(weights, ref.weights);
    expect(Object.keys(attn.stateDict())).toEqual(['Wa.weight']);
    expect(attn.Wa.weight.shape).toEqual([3, 5]);
  });

  it('gives a source whose keys are all masked zero weights and a zero context, not NaN', () => {
    const { context, weights } = new DotProductAttention(3).forward(s, h, { keyPaddingMask: tensor([[true, true, true, true], [false, false, false, false]]) });
    expect(mat(weights)[0]).toEqual([0, 0, 0, 0]);
    expect(mat(context)[0]).toEqual([0, 0, 0]);
  });

  it('adds a float keyPaddingMask to the scores', () => {
    const bias = randn([N, S], { generator: g });
    const B = mat(bias);
    const { weights } = new DotProductAttention(3).forward(s, h, { keyPaddingMask: bias });
    const Q = mat(s);
    const K = h.toArray() as M[];
    expectClose(weights, Q.map((q, n) => softmaxRow(K[n]!.map((k, j) => dot(q, k) + B[n]![j]!))));
  });

  it('passes gradCheck for general attention', () => {
    const attn = new GeneralAttention(2, 3, { generator: g });
    gradCheck((a, b) => attn.forward(a, b).context, [randn([N, 2, 2], { generator: g }), randn([N, S, 3], { generator: g })]);
  });

  it('names the module and both shapes in errors', () => {
    const dotAttn = new DotProductAttention(3);
    expect(() => dotAttn.forward(s, zeros([N, S, 4]))).toThrow('DotProductAttention.forward: keys must be [N, S, keyDim] = [N, S, 3], got [2,4,4]');
    expect(() => dotAttn.forward(s, h, { keyPaddingMask: zeros([N, 5], { dtype: 'bool' }) })).toThrow('DotProductAttention.forward: keyPaddingMask must be [N, S] = [2,4], got [2,5]');
    expect(() => dotAttn.forward(s, h, { values: zeros([N, 3, 2]) })).toThrow('DotProductAttention.forward: values must be [N, S, Dv] = [2, 4, Dv] like keys, got [2,3,2]');
    expect(() => new GeneralAttention(3, 5).forward(zeros([N, 4]), zeros([N, S, 5]))).toThrow('GeneralAttention.forward: query must end in queryDim = 3, got [2,4]');
    expect(() => dotAttn.forward(s, h, { keyPaddingMask: zeros([N, S], { dtype: 'int32' }) })).toThrow(/keyPaddingMask must be bool \(true = padding\) or float32, got int32/);
  });
});

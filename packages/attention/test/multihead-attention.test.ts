import { describe, expect, it } from 'vitest';
import { cat, full, Generator, randn, tensor, zeros } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import { causalMask, MultiheadAttention } from '../src/index.js';
import { mat } from './helpers.js';

const g = new Generator(11);
const E = 8;
const H = 2;
const D = E / H;

/** Random values for every parameter (PyTorch's init leaves the biases 0, which would hide bugs). */
function randomize(mha: MultiheadAttention): MultiheadAttention {
  const sd = Object.fromEntries(Object.entries(mha.stateDict()).map(([k, v]) => [k, randn(v.shape, { generator: g }).mul(0.5)]));
  mha.loadStateDict(sd);
  return mha;
}

/**
 * nn.MultiheadAttention written out with tensor-core primitives, one head at a time, batch-first.
 * q [N, L, E], k/v [N, S, E]; mask additive, broadcastable to [N, H, L, S].
 */
function reference(mha: MultiheadAttention, q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null): { output: Tensor; weights: Tensor } {
  const [wq, wk, wv] = mha.inProjWeight!.split(E);
  const [bq, bk, bv] = mha.inProjBias!.split(E);
  const Q = q.matmul(wq!.t()).add(bq!);
  const K = k.matmul(wk!.t()).add(bk!);
  const V = v.matmul(wv!.t()).add(bv!);
  const outs: Tensor[] = [];
  const ws: Tensor[] = [];
  for (let h = 0; h < H; h++) {
    const [qh, kh, vh] = [Q, K, V].map((x) => x.narrow(-1, h * D, D)) as [Tensor, Tensor, Tensor];
    let scores = qh.matmul(kh.transpose(-2, -1)).div(Math.sqrt(D)); // [N, L, S]
    if (mask) scores = scores.add(mask.ndim === 4 ? mask.select(1, mask.shape[1] === 1 ? 0 : h) : mask);
    const w = scores.softmax(-1);
    outs.push(w.matmul(vh));
    ws.push(w.unsqueeze(1));
  }
  const output = cat(outs, -1).matmul(mha.outProj.weight.t()).add(mha.outProj.bias!);
  return { output, weights: cat(ws, 1) };
}

describe('MultiheadAttention: the computation', () => {
  const mha = randomize(new MultiheadAttention(E, H, { batchFirst: true }));
  const x = randn([2, 3, E], { generator: g });
  const mem = randn([2, 5, E], { generator: g });

  it('equals the head-by-head reference for cross-attention, weights averaged and per head', () => {
    const ref = reference(mha, x, mem, mem, null);
    const [out, avg] = mha.forward(x, mem, mem);
    expectClose(out, ref.output);
    expectClose(avg!, ref.weights.mean(1));
    expectClose(mha.forward(x, mem, mem, { averageAttnWeights: false })[1]!, ref.weights);
  });

  it('equals the reference for self-attention (the packed in-projection path)', () => {
    expectClose(mha.forward(x, x, x)[0], reference(mha, x, x, x, null).output);
  });

  it('reads [L, N, E] by default and [N, L, E] with batchFirst, with the same numbers', () => {
    const seqFirst = new MultiheadAttention(E, H);
    seqFirst.loadStateDict(mha.stateDict());
    const [a] = seqFirst.forward(x.transpose(0, 1), mem.transpose(0, 1), mem.transpose(0, 1));
    expect(a.shape).toEqual([3, 2, E]);
    expectClose(a.transpose(0, 1), mha.forward(x, mem, mem)[0]);
  });

  it('accepts unbatched inputs [L, E] and gives the N = 1 result without the batch dim', () => {
    const [out, w] = mha.forward(x.select(0, 1), mem.select(0, 1), mem.select(0, 1), { averageAttnWeights: false });
    const [outB, wB] = mha.forward(x.narrow(0, 1, 1), mem.narrow(0, 1, 1), mem.narrow(0, 1, 1), { averageAttnWeights: false });
    expect(out.shape).toEqual([3, E]);
    expect(w!.shape).toEqual([H, 3, 5]);
    expectClose(out, outB.squeeze(0));
    expectClose(w!, wB!.squeeze(0));
  });

  it('returns null weights with needWeights: false, and the same output', () => {
    const [out, w] = mha.forward(x, mem, mem, { needWeights: false });
    expect(w).toBeNull();
    expectClose(out, mha.forward(x, mem, mem)[0]);
  });

  it('appends bias_k/bias_v and a zero key as extra source positions that masks never hide', () => {
    const m = randomize(new MultiheadAttention(E, H, { batchFirst: true, addBiasKv: true, addZeroAttn: true }));
    const pad = tensor([[false, false, false, true, true], [true, true, true, true, true]]);
    const [, w] = m.forward(x, mem, mem, { keyPaddingMask: pad, averageAttnWeights: false });
    expect(w!.shape).toEqual([2, H, 3, 7]);
    const second = w!.select(0, 1).reshape([-1, 7]); // every real key padded: only the 2 extra keys
    for (const row of mat(second)) {
      expect(row.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
      expectClose(row[5]! + row[6]!, 1);
    }
  });
});

describe('MultiheadAttention: masks, as PyTorch documents them', () => {
  const mha = randomize(new MultiheadAttention(E, H, { batchFirst: true }));
  const x = randn([2, 3, E], { generator: g });
  const mem = randn([2, 4, E], { generator: g });
  const boolMask = tensor([[false, true, false, true], [false, false, true, true], [true, false, false, false]]);
  const asFloat = (m: Tensor) => zeros(m.shape).maskedFill(m, -Infinity);

  it('reads a bool attnMask as true = masked OUT (the opposite of scaledDotProductAttention)', () => {
    const [, w] = mha.forward(x, mem, mem, { attnMask: boolMask, averageAttnWeights: false });
    const keep = boolMask.toArray() as boolean[][];
    for (const head of (w!.toArray() as number[][][][]).flat()) head.forEach((row, i) => row.forEach((p, j) => (keep[i]![j] ? expect(p).toBe(0) : expect(p).toBeGreaterThan(0))));
    expectClose(w!, reference(mha, x, mem, mem, asFloat(boolMask)).weights);
  });

  it('adds a float attnMask to the scores', () => {
    const bias = randn([3, 4], { generator: g });
    expectClose(mha.forward(x, mem, mem, { attnMask: bias })[0], reference(mha, x, mem, mem, bias).output);
  });

  it('gives a bool mask and its 0/−∞ float form the same result', () => {
    expectClose(mha.forward(x, mem, mem, { attnMask: boolMask })[0], mha.forward(x, mem, mem, { attnMask: asFloat(boolMask) })[0]);
  });

  it('applies a [N·H, L, S] attnMask per batch element and head (index n·H + h)', () => {
    const perHead = randn([2 * H, 3, 4], { generator: g });
    const [, w] = mha.forward(x, mem, mem, { attnMask: perHead, averageAttnWeights: false });
    expectClose(w!, reference(mha, x, mem, mem, perHead.reshape([2, H, 3, 4])).weights);
  });

  it('masks every padded key (keyPaddingMask true), in every head, so its weight is exactly 0', () => {
    const pad = tensor([[false, false, true, true], [false, false, false, true]]);
    const [, w] = mha.forward(x, mem, mem, { keyPaddingMask: pad, averageAttnWeights: false });
    const W = w!.toArray() as number[][][][];
    W[0]!.flat().forEach((row) => expect(row.slice(2)).toEqual([0, 0]));
    W[1]!.flat().forEach((row) => expect(row[3]).toBe(0));
    expectClose(w!, reference(mha, x, mem, mem, asFloat(pad).reshape([2, 1, 1, 4])).weights);
  });

  it('adds a float keyPaddingMask and combines it with attnMask by addition', () => {
    const padBias = randn([2, 4], { generator: g });
    const bias = randn([3, 4], { generator: g });
    const [out] = mha.forward(x, mem, mem, { keyPaddingMask: padBias, attnMask: bias });
    expectClose(out, reference(mha, x, mem, mem, bias.add(padBias.reshape([2, 1, 1, 4]))).output);
  });

  it('builds the causal mask for isCausal alone, equal to attnMask = causalMask(L)', () => {
    const [a, wa] = mha.forward(x, x, x, { isCausal: true });
    const [b] = mha.forward(x, x, x, { attnMask: causalMask(3) });
    expectClose(a, b);
    (wa!.toArray() as number[][][]).forEach((m) => m.forEach((row, i) => row.forEach((p, j) => (j > i ? expect(p).toBe(0) : undefined))));
  });

  it('gives a query whose keys are all masked zero weights and out_proj.bias as output, never NaN', () => {
    const allMasked = tensor([[true, true, true, true], [false, true, false, true], [false, false, false, false]]);
    const [out, w] = mha.forward(x, mem, mem, { attnMask: allMasked, averageAttnWeights: false });
    expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
    (w!.toArray() as number[][][][]).flat().forEach((head) => expect(head[0]).toEqual([0, 0, 0, 0]));
    expectClose(out.select(1, 0), mha.outProj.bias!.unsqueeze(0).expand([2, E]));
  });

  it('passes gradCheck for query, key and value through masks', () => {
    const small = randomize(new MultiheadAttention(4, 2, { batchFirst: true }));
    const attnMask = tensor([[false, true, false], [false, false, true]]);
    const keyPaddingMask = tensor([[false, false, false], [false, true, false]]);
    gradCheck(
      (q, k, v) => small.forward(q, k, v, { attnMask, keyPaddingMask })[0],
      [randn([2, 2, 4], { generator: g }), randn([2, 3, 4], { generator: g }), randn([2, 3, 4], { generator: g })],
    );
  });

  it('passes gradCheck for in_proj_weight, in_proj_bias, bias_k and bias_v', () => {
    const small = randomize(new MultiheadAttention(4, 2, { addBiasKv: true }));
    const [q, k] = [randn([2, 1, 4], { generator: g }), randn([3, 1, 4], { generator: g })];
    gradCheck(
      (w, b, bk, bv) => {
        Object.assign(small, { inProjWeight: w, inProjBias: b, biasK: bk, biasV: bv });
        return small.forward(q, k, k)[0];
      },
      [small.inProjWeight!, small.inProjBias!, small.biasK!, small.biasV!].map((p) => p.detach()),
    );
  });
});

describe('MultiheadAttention: dropout', () => {
  it('drops attention weights only in training mode, reproducibly with a generator', () => {
    const make = () => randomize(new MultiheadAttention(E, H, { dropout: 0.5, generator: new Generator(5) }));
    const x = randn([4, 1, E], { generator: g });
    const m = make();
    const [, wTrain] = m.forward(x, x, x, { averageAttnWeights: false });
    expect(Array.from(wTrain!.dataSync()).some((p) => p === 0)).toBe(true);
    m.eval();
    const [a] = m.forward(x, x, x);
    const [b] = m.forward(x, x, x);
    expectClose(a, b);
    expect(Array.from(m.forward(x, x, x, { averageAttnWeights: false })[1]!.dataSync()).every((p) => p > 0)).toBe(true);
  });
});

describe('MultiheadAttention: parameters, names and init as PyTorch', () => {
  it("names its state dict as nn.MultiheadAttention, in PyTorch's order", () => {
    expect(Object.keys(new MultiheadAttention(E, H).stateDict())).toEqual(['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
    expect(Object.keys(new MultiheadAttention(E, H, { kdim: 3, vdim: 5, addBiasKv: true }).stateDict())).toEqual([
      'q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'in_proj_bias', 'bias_k', 'bias_v', 'out_proj.weight', 'out_proj.bias',
    ]);
    expect(Object.keys(new MultiheadAttention(E, H, { bias: false }).stateDict())).toEqual(['in_proj_weight', 'out_proj.weight']);
  });

  it('has the shapes PyTorch gives each parameter', () => {
    const shapes = Object.fromEntries(Object.entries(new MultiheadAttention(E, H, { kdim: 3, vdim: 5, addBiasKv: true }).stateDict()).map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual({
      q_proj_weight: [E, E], k_proj_weight: [E, 3], v_proj_weight: [E, 5], in_proj_bias: [3 * E],
      bias_k: [1, 1, E], bias_v: [1, 1, E], 'out_proj.weight': [E, E], 'out_proj.bias': [E],
    });
  });

  it('initialises in_proj_weight xavier-uniform, zero biases, xavier-normal bias_k, out_proj U(±1/√E)', () => {
    const m = new MultiheadAttention(64, 4, { addBiasKv: true, generator: new Generator(1) });
    const w = Array.from(m.inProjWeight!.dataSync(), Math.abs);
    const bound = Math.sqrt(6 / (64 + 3 * 64));
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.max(...w)).toBeGreaterThan(0.98 * bound);
    expect(Array.from(m.inProjBias!.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(m.outProj.bias!.dataSync()).every((v) => v === 0)).toBe(true);
    expect(Math.max(...Array.from(m.outProj.weight.dataSync(), Math.abs))).toBeLessThanOrEqual(1 / 8);
    const bk = cat([m.biasK!, m.biasV!]).reshape([-1]);
    expect(bk.std().item()).toBeGreaterThan(0.5 * Math.sqrt(2 / 128));
    expect(bk.std().item()).toBeLessThan(1.5 * Math.sqrt(2 / 128));
  });
});

describe('MultiheadAttention: errors name the module, the expected and the actual shape', () => {
  const mha = new MultiheadAttention(E, H, { batchFirst: true });
  const x = zeros([2, 3, E]);
  const mem = zeros([2, 4, E]);
  const cases: [string, () => unknown, string | RegExp][] = [
    ['numHeads not dividing embedDim', () => new MultiheadAttention(10, 3), 'MultiheadAttention: embedDim must be divisible by numHeads, got embedDim 10 and numHeads 3'],
    ['a 2-d attnMask of the wrong size', () => mha.forward(x, mem, mem, { attnMask: zeros([3, 5]) }), 'MultiheadAttention.forward: a 2-d attnMask must be [L, S] = [3,4], got [3,5]'],
    ['a 3-d attnMask of the wrong size', () => mha.forward(x, mem, mem, { attnMask: zeros([2, 3, 4]) }), 'MultiheadAttention.forward: a 3-d attnMask must be [N·H, L, S] = [4,3,4], got [2,3,4]'],
    ['a 4-d attnMask', () => mha.forward(x, mem, mem, { attnMask: zeros([2, 2, 3, 4]) }), /attnMask must be 2-d \[L, S\] = \[3,4\] or 3-d \[N·H, L, S\] = \[4,3,4\], got \[2,2,3,4\]/],
    ['an int32 attnMask', () => mha.forward(x, mem, mem, { attnMask: zeros([3, 4], { dtype: 'int32' }) }), /attnMask must be bool \(true = masked out\) or float32 \(added to the scores\), got int32/],
    ['a keyPaddingMask of the wrong size', () => mha.forward(x, mem, mem, { keyPaddingMask: zeros([2, 7], { dtype: 'bool' }) }), 'MultiheadAttention.forward: keyPaddingMask must be [N, S] = [2,4], got [2,7]'],
    ['an unbatched keyPaddingMask of the wrong rank', () => mha.forward(x.select(0, 0), mem.select(0, 0), mem.select(0, 0), { keyPaddingMask: zeros([1, 4], { dtype: 'bool' }) }), 'MultiheadAttention.forward: keyPaddingMask must be [S] = [4], got [1,4]'],
    ['key and value of different lengths', () => mha.forward(x, mem, zeros([2, 5, E])), 'MultiheadAttention.forward: key and value must have the same length S, got key [2,4,8] and value [2,5,8]'],
    ['a query of the wrong embed dim', () => mha.forward(zeros([2, 3, 6]), mem, mem), 'MultiheadAttention.forward: query must end in embedDim = 8 ([N, len, dim]), got [2,3,6]'],
    ['a key of another rank', () => mha.forward(x, zeros([4, E]), mem), /key must be 3-d \[N, len, dim\] like query \[2,3,8\], got \[4,8\]/],
    ['batch sizes that differ', () => mha.forward(x, zeros([3, 4, E]), zeros([3, 4, E])), /same batch size N = 2/],
  ];
  for (const [what, run, message] of cases) it(`rejects ${what}`, () => expect(run).toThrow(message));

  it('accepts an unbatched [H, L, S] attnMask', () => {
    expect(mha.forward(x.select(0, 0), mem.select(0, 0), mem.select(0, 0), { attnMask: full([H, 3, 4], 0) })[0].shape).toEqual([3, E]);
  });
});

import { describe, expect, it } from 'vitest';
import { Generator, layerNorm, randn, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import { Dropout, Embedding, GELU, LayerNorm, Linear, ModuleDict, ModuleList, ReLU, Sequential, Tanh } from '../src/index.js';

const rows = (t: Tensor) => t.toArray() as number[][];

describe('Linear', () => {
  it('computes x·Wᵀ + b, checked against a hand-written loop', () => {
    const lin = new Linear(3, 2, { generator: new Generator(1) });
    const x = randn([4, 3], { generator: new Generator(2) });
    const [W, b, X] = [rows(lin.weight), lin.bias!.toArray() as number[], rows(x)];
    const expected = X.map((xi) => W.map((wj, j) => wj.reduce((s, w, k) => s + w * xi[k]!, b[j]!)));
    expectClose(lin.forward(x), expected);
  });

  it('maps any leading dims: [2, 5, 3] → [2, 5, 2]', () => {
    expect(new Linear(3, 2).forward(randn([2, 5, 3])).shape).toEqual([2, 5, 2]);
  });

  it('passes gradCheck for input, weight and bias', () => {
    const g = new Generator(3);
    gradCheck((x, w, b) => x.matmul(w.t()).add(b), [randn([3, 4], { generator: g }), randn([2, 4], { generator: g }), randn([2], { generator: g })]);
    const lin = new Linear(4, 2);
    const x = randn([3, 4]);
    lin.forward(x).sum().backward();
    // d(Σ xWᵀ + b)/db = number of rows; /dW[j] = Σ_rows x
    expectClose(lin.bias!.grad!, [3, 3]);
    const colSums = rows(x).reduce((acc, r) => acc.map((v, k) => v + r[k]!), [0, 0, 0, 0]);
    expectClose(lin.weight.grad!, [colSums, colSums]);
  });

  it('initialises weight and bias inside ±1/√in_features, as PyTorch', () => {
    const lin = new Linear(16, 64);
    const bound = 1 / 4;
    const w = Array.from(lin.weight.dataSync());
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(Math.max(...Array.from(lin.bias!.dataSync(), Math.abs))).toBeLessThanOrEqual(bound);
  });

  it('has no bias with bias: false, and rejects a wrong input width by name', () => {
    const lin = new Linear(3, 2, { bias: false });
    expect(Object.keys(lin.stateDict())).toEqual(['weight']);
    expect(() => lin.forward(randn([2, 4]))).toThrow('Linear.forward: input\'s last dim must be inFeatures = 3, got [2,4]');
  });
});

describe('Embedding', () => {
  it('looks up rows of the weight', () => {
    const emb = new Embedding(5, 3);
    const ids = tensor([[4, 0], [2, 2]], { dtype: 'int32' });
    const W = rows(emb.weight);
    expect(emb.forward(ids).toArray()).toEqual([[W[4], W[0]], [W[2], W[2]]]);
  });

  it('zeroes the padding row at init and gives it no gradient', () => {
    const emb = new Embedding(4, 2, { paddingIdx: -1 });
    expect(emb.paddingIdx).toBe(3);
    expect(rows(emb.weight)[3]).toEqual([0, 0]);
    const ids = tensor([3, 1, 3, 1, 0], { dtype: 'int32' });
    emb.forward(ids).sum().backward();
    expect(emb.weight.grad!.toArray()).toEqual([[1, 1], [0, 0], [0, 0], [0, 0]].map((r, i) => (i === 1 ? [2, 2] : r)));
  });

  it('draws from N(0, 1): mean ≈ 0, variance ≈ 1 over 20 000 values', () => {
    const v = Array.from(new Embedding(200, 100).weight.dataSync());
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});

describe('LayerNorm', () => {
  it('normalises the last dim with the biased variance, checked by hand', () => {
    const ln = new LayerNorm(4);
    const x = tensor([[1, 2, 3, 4], [2, 2, 2, 6]]);
    const expected = rows(x).map((r) => {
      const m = r.reduce((a, b) => a + b, 0) / r.length;
      const v = r.reduce((a, b) => a + (b - m) ** 2, 0) / r.length;
      return r.map((xi) => (xi - m) / Math.sqrt(v + 1e-5));
    });
    expectClose(ln.forward(x), expected);
    expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias']);
    expect(ln.weight!.toArray()).toEqual([1, 1, 1, 1]);
  });

  it('passes gradCheck through weight and bias', () => {
    const g = new Generator(5);
    gradCheck((x, w, b) => layerNorm(x, [3], w, b), [randn([2, 3], { generator: g }), randn([3], { generator: g }), randn([3], { generator: g })]);
  });

  it('has no parameters with elementwiseAffine: false', () => {
    expect(new LayerNorm([2, 3], { elementwiseAffine: false }).numParameters()).toBe(0);
  });
});

describe('Dropout', () => {
  it('zeroes about p of the elements and scales the rest by 1/(1−p) in training, identity in eval', () => {
    const drop = new Dropout(0.25, { generator: new Generator(0) });
    const y = Array.from(drop.forward(randn([4000]).mul(0).add(1)).dataSync());
    const zeros = y.filter((v) => v === 0).length / y.length;
    expect(Math.abs(zeros - 0.25)).toBeLessThan(0.03);
    expect(y.filter((v) => v !== 0).every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    drop.eval();
    const x = randn([10]);
    expect(drop.forward(x)).toBe(x);
  });
});

describe('activations and containers', () => {
  it('ReLU, GELU and Tanh match their formulas', () => {
    const x = tensor([-2, -0.5, 0, 0.5, 2]);
    const xs = [-2, -0.5, 0, 0.5, 2];
    expectClose(new ReLU().forward(x), xs.map((v) => Math.max(v, 0)));
    expectClose(new Tanh().forward(x), xs.map(Math.tanh));
    const tanhGelu = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    expectClose(new GELU('tanh').forward(x), xs.map(tanhGelu), { atol: 1e-5 });
  });

  it('Sequential runs its modules in order and names them 0, 1, 2', () => {
    const seq = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
    const x = randn([5, 2]);
    const manual = seq.get(2).forward(seq.get(1).forward(seq.get(0).forward(x)));
    expect(seq.forward(x).toArray()).toEqual(manual.toArray());
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });

  it('ModuleList indexes from both ends and iterates; ModuleDict keeps insertion order', () => {
    const list = new ModuleList([new Linear(1, 1), new ReLU()]);
    expect(list.get(-1)).toBeInstanceOf(ReLU);
    expect([...list]).toHaveLength(2);
    expect(() => list.get(2)).toThrow('ModuleList.get: index 2 is out of range for length 2');
    const dict = new ModuleDict({ z: new Linear(1, 1), a: new Linear(1, 1) });
    expect(Object.keys(dict.stateDict())).toEqual(['z.weight', 'z.bias', 'a.weight', 'a.bias']);
    expect(() => dict.get('b')).toThrow("ModuleDict.get: no module 'b', have: z, a");
  });
});

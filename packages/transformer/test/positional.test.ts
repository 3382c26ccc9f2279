import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, randn, tensor, zeros } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import { LearnedPositionalEmbedding, RotaryEmbedding, SinusoidalPositionalEncoding, sinusoidalTable } from '../src/index.js';

describe('SinusoidalPositionalEncoding', () => {
  it('follows PE(pos, 2i) = sin(pos/10000^(2i/d)), PE(pos, 2i+1) = cos(pos/10000^(2i/d))', () => {
    const d = 6;
    const pe = sinusoidalTable(4, d).toArray() as number[][];
    // hand-written from the formula, pos = 3
    const expected = [Math.sin(3), Math.cos(3), Math.sin(3 / 10000 ** (2 / 6)), Math.cos(3 / 10000 ** (2 / 6)), Math.sin(3 / 10000 ** (4 / 6)), Math.cos(3 / 10000 ** (4 / 6))];
    expectClose(pe[3]!, expected, { atol: 1e-6 });
    expectClose(pe[0]!, [0, 1, 0, 1, 0, 1]);
  });

  it('adds the table along T for [T, B, E] and for batchFirst [B, T, E], without touching values in eval', () => {
    const x = zeros([3, 2, 4]);
    const seqFirst = new SinusoidalPositionalEncoding(4, { maxLen: 10 }).eval();
    const out = seqFirst.forward(x); // [3, 2, 4]
    const table = sinusoidalTable(10, 4).narrow(0, 0, 3);
    expectClose(out.select(1, 0), table);
    expectClose(out.select(1, 1), table);
    const batchFirst = new SinusoidalPositionalEncoding(4, { maxLen: 10, batchFirst: true }).eval();
    expectClose(batchFirst.forward(zeros([2, 3, 4]), 2).select(0, 1), sinusoidalTable(10, 4).narrow(0, 2, 3));
  });

  it('keeps the table out of the state dict but lists it as a buffer', () => {
    const pos = new SinusoidalPositionalEncoding(8, { maxLen: 16 });
    expect(Object.keys(pos.stateDict())).toEqual([]);
    expect(pos.namedBuffers().map(([n, b]) => [n, b.shape])).toEqual([['pe', [16, 8]]]);
    expect(() => pos.loadStateDict({}, { strict: true })).not.toThrow();
  });

  it('applies dropout only in training mode', () => {
    const pos = new SinusoidalPositionalEncoding(8, { maxLen: 16, dropout: 0.5, generator: new Generator(1) });
    const y = pos.forward(zeros([16, 1, 8])).dataSync();
    const table = pos.pe.dataSync();
    let dropped = 0;
    for (let i = 0; i < y.length; i++) {
      if (y[i] === 0 && table[i] !== 0) dropped++;
      else expect(y[i]).toBeCloseTo(table[i]! * 2, 5);
    }
    expect(dropped).toBeGreaterThan(20);
  });

  it('names the module, the table size and the input when a sequence is longer than the table', () => {
    const pos = new SinusoidalPositionalEncoding(8, { maxLen: 16 });
    expect(() => pos.forward(zeros([20, 2, 8]))).toThrow(ShapeError);
    expect(() => pos.forward(zeros([20, 2, 8]))).toThrow(/SinusoidalPositionalEncoding\.forward: .*maxLen = 16 \(input \[20,2,8\]\)/);
    expect(() => pos.forward(zeros([2, 3, 5]))).toThrow(/must be \[T, B, 8\], got \[2,3,5\]/);
  });
});

describe('LearnedPositionalEmbedding', () => {
  it('adds its weight rows offset … offset+T−1 and passes gradients to them', () => {
    const pos = new LearnedPositionalEmbedding(5, 3, { batchFirst: true, generator: new Generator(0) });
    const x = randn([2, 2, 3]);
    const y = pos.forward(x, 1);
    const w = pos.weight.toArray() as number[][];
    const xs = x.toArray() as number[][][];
    expectClose(y, xs.map((row) => row.map((v, t) => v.map((e, j) => e + w[t + 1]![j]!))));
    y.sum().backward();
    expectClose(pos.weight.grad!, [[0, 0, 0], [2, 2, 2], [2, 2, 2], [0, 0, 0], [0, 0, 0]]);
  });

  it('has the state dict of nn.Embedding(maxLen, E) and rejects sequences longer than the table', () => {
    const pos = new LearnedPositionalEmbedding(4, 2);
    expect(Object.keys(pos.stateDict())).toEqual(['weight']);
    expect(() => pos.forward(zeros([5, 1, 2]))).toThrow(/LearnedPositionalEmbedding\.forward: .*maxLen = 4 \(input \[5,1,2\]\)/);
  });
});

describe('RotaryEmbedding', () => {
  it('rotates a 2-d feature pair by the angle pos·θ₀ = pos (hand-computed)', () => {
    const rope = new RotaryEmbedding(2);
    const x = tensor([[1, 0], [1, 0], [0, 1]]); // T = 3
    const c1 = Math.cos(1), s1 = Math.sin(1), c2 = Math.cos(2), s2 = Math.sin(2);
    expectClose(rope.forward(x), [[1, 0], [c1, s1], [-s2, c2]], { atol: 1e-6 });
  });

  it('makes q·k depend on positions only through m − n', () => {
    const rope = new RotaryEmbedding(8);
    const q = randn([1, 8]);
    const k = randn([1, 8]);
    const dot = (m: number, n: number) => rope.forward(q, m).mul(rope.forward(k, n)).sum().item();
    expect(dot(7, 3)).toBeCloseTo(dot(4, 0), 4);
    expect(dot(12, 10)).toBeCloseTo(dot(2, 0), 4);
    expect(Math.abs(dot(7, 3) - dot(3, 3))).toBeGreaterThan(1e-3);
  });

  it('keeps norms and passes gradCheck', () => {
    const rope = new RotaryEmbedding(4);
    const x = randn([2, 3, 4]);
    expectClose(rope.forward(x).square().sum(-1), x.square().sum(-1), { atol: 1e-5 });
    gradCheck((a) => rope.forward(a, 1), [randn([2, 3, 4])]);
  });

  it('rejects an odd dim and a mismatched feature size', () => {
    expect(() => new RotaryEmbedding(3)).toThrow(/RotaryEmbedding: dim must be a positive even integer, got 3/);
    expect(() => new RotaryEmbedding(4).forward(zeros([3, 6]))).toThrow(/must be \[\.\.\., T, 4\], got \[3,6\]/);
  });
});

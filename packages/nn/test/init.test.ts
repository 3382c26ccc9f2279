import { describe, expect, it } from 'vitest';
import { Generator, memory, randn, zeros } from '@qkv/tensor-core';
import { Linear, init } from '../src/index.js';

const stats = (v: ArrayLike<number>) => {
  const a = Array.from(v);
  const mean = a.reduce((s, x) => s + x, 0) / a.length;
  return { mean, std: Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length), max: Math.max(...a.map(Math.abs)) };
};

describe('init', () => {
  it('computes fans as PyTorch: [out, in, k] → fan_in = in·k, fan_out = out·k', () => {
    expect(init.calculateFanInAndFanOut(zeros([8, 4, 3]))).toEqual([12, 24]);
    expect(() => init.calculateFanInAndFanOut(zeros([3]))).toThrow('calculateFanInAndFanOut: need a tensor with at least 2 dims, got [3]');
  });

  it('calculateGain matches PyTorch’s table', () => {
    expect(init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
  });

  it('xavierUniform_ stays inside gain·√(6/(fan_in+fan_out)) and fills it', () => {
    const w = init.xavierUniform_(zeros([200, 100]), 1, { generator: new Generator(1) });
    const bound = Math.sqrt(6 / 300);
    const s = stats(w.dataSync());
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.std).toBeCloseTo(bound / Math.sqrt(3), 2);
  });

  it('kaimingNormal_ (fan_in, relu) has std √2/√fan_in; xavierNormal_ √(2/(fan_in+fan_out))', () => {
    const k = stats(init.kaimingNormal_(zeros([300, 100]), { nonlinearity: 'relu' }).dataSync());
    expect(k.std).toBeCloseTo(Math.SQRT2 / 10, 2);
    const x = stats(init.xavierNormal_(zeros([300, 100])).dataSync());
    expect(x.std).toBeCloseTo(Math.sqrt(2 / 400), 2);
    expect(Math.abs(x.mean)).toBeLessThan(0.005);
  });

  it('kaimingUniform_ with a = √5 gives Linear’s U(±1/√fan_in); overwrites in place without grad', () => {
    const lin = new Linear(64, 32);
    const w = lin.weight;
    init.kaimingUniform_(w, { a: Math.sqrt(5) });
    expect(lin.weight).toBe(w);
    expect(stats(w.dataSync()).max).toBeLessThanOrEqual(1 / 8);
    expect(w.gradFn).toBeNull();
    init.zeros_(lin.bias!);
    expect(Array.from(lin.bias!.dataSync()).every((v) => v === 0)).toBe(true);
    init.constant_(lin.bias!, 0.5);
    expect(lin.bias!.toArray()).toEqual(new Array(32).fill(0.5));
    const n = stats(init.normal_(randn([50, 50]), 2, 0.5).dataSync());
    expect(n.mean).toBeCloseTo(2, 1);
  });
  it('leaves no intermediate tensor alive: a Linear holds its weight and bias, an init holds nothing new', () => {
    const before = memory().numBytes;
    const lin = new Linear(64, 32);
    expect(memory().numBytes - before).toBe((64 * 32 + 32) * 4);
    init.normal_(lin.weight, 0, 0.02);
    init.xavierUniform_(lin.weight);
    expect(memory().numBytes - before).toBe((64 * 32 + 32) * 4);
  });
});

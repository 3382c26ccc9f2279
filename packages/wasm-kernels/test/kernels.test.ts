// Element-wise, reduction, softmax and layer-norm kernels beyond the conformance sizes: long rows
// (SIMD bodies plus scalar tails), broadcasting patterns, special values.
import { describe, expect, it } from 'vitest';
import { layerNorm, logSoftmax, setBackend, softmax, tensor } from '@qkv/tensor-core';
import '../src/index.js';
import { expectClose } from '@qkv/tensor-core/testing';
import { expectSameAsCpu } from './helpers.js';

describe('wasm element-wise kernels', () => {
  const unary = ['neg', 'exp', 'abs', 'tanh', 'sigmoid', 'relu', 'gelu', 'silu', 'sin', 'cos'] as const;
  for (const name of unary) {
    it(`${name} matches cpu on 1031 values`, async () => {
      await expectSameAsCpu([[1031]], (x) => x.mul(4)[name](), { atol: 1e-5, rtol: 1e-5 });
    });
  }

  it('gelu(tanh), erf, log, sqrt and rsqrt match cpu', async () => {
    await expectSameAsCpu([[257]], (x) => x.mul(4).gelu('tanh'), { atol: 1e-5, rtol: 1e-5 });
    await expectSameAsCpu([[257]], (x) => x.mul(3).erf(), { atol: 1e-6, rtol: 1e-5 });
    for (const f of ['log', 'sqrt', 'rsqrt'] as const) await expectSameAsCpu([[257]], (x) => x.abs().add(0.1)[f](), { atol: 1e-5, rtol: 1e-5 });
  });

  const patterns: [number[], number[]][] = [[[2, 3, 129], [129]], [[2, 3, 129], [2, 3, 1]], [[7, 1, 33], [1, 5, 33]], [[1], [4, 37]], [[4, 37], [1]]];
  for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const) {
    it(`${op} broadcasts like NumPy`, async () => {
      for (const [a, b] of patterns) await expectSameAsCpu([a, b], (x, y) => x[op](op === 'div' ? y.abs().add(0.5) : y), { atol: 1e-6, rtol: 1e-6 });
    });
  }

  it('exp is accurate over the whole float32 range, with 0 and ∞ at the ends', async () => {
    await expectSameAsCpu([[1031]], (x) => x.mul(90).exp(), { atol: 1e-30, rtol: 3e-7 });
    await setBackend('wasm');
    expect(Array.from(tensor([-Infinity, -200, 0, 89, Infinity, NaN]).exp().dataSync())).toEqual([0, 0, 1, Infinity, Infinity, NaN]);
  });

  it('propagates NaN through relu, maximum and max as the cpu reference does', async () => {
    await setBackend('wasm');
    const x = tensor([NaN, -1, 2, NaN, 5]);
    expect(Array.from(x.relu().dataSync())).toEqual([NaN, 0, 2, NaN, 5]);
    expect(Array.from(x.maximum(tensor([0, 0, 0, 0, 0])).dataSync())).toEqual([NaN, 0, 2, NaN, 5]);
    expect(x.max().item()).toBeNaN();
  });

  it('softmax and logSoftmax give NaN rows for NaN inputs (even all-NaN rows) and zeros / −∞ for all −∞ rows, as on cpu', async () => {
    const rows = [[NaN, NaN, NaN, NaN], [1, NaN, 2, 3], [-Infinity, -Infinity, -Infinity, -Infinity], [1, 2, 3, 4]];
    for (const log of [false, true]) {
      const on = async (name: string) => {
        await setBackend(name);
        const x = tensor(rows);
        return Array.from((log ? x.logSoftmax(-1) : x.softmax(-1)).dataSync());
      };
      const cpu = await on('cpu');
      const wasm = await on('wasm');
      expect(wasm.slice(0, 12).map(Number.isNaN)).toEqual(cpu.slice(0, 12).map(Number.isNaN));
      expect(wasm.slice(8, 12)).toEqual(cpu.slice(8, 12));
      expectClose(wasm.slice(12), cpu.slice(12), { atol: 1e-6 });
    }
  });

  it('flushes subnormal results of mul, div and softmax to zero (cpu keeps them), so later kernels never meet one', async () => {
    const tiny = 2 ** -126; // the smallest normal float32
    await setBackend('cpu');
    // the reference really produces subnormals here: 2⁻⁶⁴·2⁻⁷⁰ = 2⁻¹³⁴; 2⁻¹²⁶ / 4 = 2⁻¹²⁸; e⁻⁸⁷/3 < 2⁻¹²⁶
    const x = [2 ** -64, tiny, 3, -(2 ** -64), 2 ** -63, tiny, 1, 1];
    const y = [2 ** -70, 2, 2, 2 ** -70, 2 ** -63, 1, 1, 1];
    const cpuMul = Array.from(tensor(x).mul(tensor(y)).dataSync());
    expect(cpuMul.slice(0, 4)).toEqual([2 ** -134, 2 ** -125, 6, -(2 ** -134)]);
    expect(tensor([tiny]).div(tensor([4])).item()).toBe(2 ** -128);
    const row = [0, 0, -87, 0, 0, 0, 0]; // a 7-wide row takes the SIMD body and the scalar tail
    const cpuSoftmax = Array.from(tensor([row, [...row].reverse()]).softmax(-1).dataSync());
    expect(cpuSoftmax[2]).toBeGreaterThan(0);
    expect(cpuSoftmax[2]).toBeLessThan(tiny);
    await setBackend('wasm');
    const mul = Array.from(tensor(x).mul(tensor(y)).dataSync());
    expect(mul).toEqual([0, 2 ** -125, 6, 0, 2 ** -126, tiny, 1, 1]); // 0 for the subnormals, exact otherwise
    expect(Array.from(tensor(x.slice(0, 3)).mul(tensor(y.slice(0, 3))).dataSync())).toEqual([0, 2 ** -125, 6]); // scalar path
    expect(tensor([tiny]).div(tensor([4])).item()).toBe(0);
    expect(tensor([NaN, -Infinity]).mul(tensor([2, 2])).dataSync()).toEqual(new Float32Array([NaN, -Infinity])); // not flushed
    expect(tensor([tiny]).div(tensor([0.5])).item()).toBe(2 ** -125);
    const softmax = Array.from(tensor([row, [...row].reverse()]).softmax(-1).dataSync());
    expect(softmax[2]).toBe(0);
    expect(softmax[7 + 4]).toBe(0);
    expectClose(softmax, cpuSoftmax, { atol: 1e-7 });
  });

  it('keeps int32 and bool ops exact (they run the reference kernel on heap views)', async () => {
    await setBackend('wasm');
    const a = tensor([7, -7, 3], { dtype: 'int32' });
    const y = a.add(tensor([1, 2, 3], { dtype: 'int32' }));
    expect(y.backend).toBe('wasm');
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([8, -5, 6]);
    expect(Array.from(a.gt(tensor(0, { dtype: 'int32' })).dataSync())).toEqual([1, 0, 1]);
  });
});

describe('wasm reductions, softmax and layer norm', () => {
  it('sums, maxes and mins over trailing, leading, middle and all dims', async () => {
    for (const dims of [[2], [0], [1], [0, 1], [1, 2], [0, 1, 2]]) {
      await expectSameAsCpu([[5, 33, 67]], (x) => x.sum(dims).add(x.max(dims)).add(x.min(dims)), { atol: 1e-4, rtol: 1e-5 });
    }
  });

  it('sums over non-adjacent dims through the reference kernel', async () => {
    await expectSameAsCpu([[4, 5, 6]], (x) => x.sum([0, 2], true), { atol: 1e-5, rtol: 1e-5 });
  });

  it('softmax and logSoftmax of long rows match cpu along the last and a middle dim', async () => {
    await expectSameAsCpu([[3, 2051]], (x) => softmax(x.mul(10), -1), { atol: 1e-7, rtol: 1e-4 });
    await expectSameAsCpu([[3, 2051]], (x) => logSoftmax(x.mul(10), -1), { atol: 1e-4, rtol: 1e-5 });
    await expectSameAsCpu([[3, 129, 5]], (x) => softmax(x, 1), { atol: 1e-6, rtol: 1e-4 });
  });

  it('gives zeros for a softmax row of −∞ and −∞ for its log-softmax', async () => {
    await setBackend('wasm');
    const x = tensor([[-Infinity, -Infinity], [0, 0]]);
    expect(Array.from(softmax(x, -1).dataSync())).toEqual([0, 0, 0.5, 0.5]);
    expect(Array.from(logSoftmax(x, -1).dataSync())).toEqual([-Infinity, -Infinity, Math.fround(-Math.LN2), Math.fround(-Math.LN2)]);
  });

  it('layerNorm of 512-wide rows has zero mean and unit variance, like cpu', async () => {
    await expectSameAsCpu([[7, 515]], (x) => layerNorm(x.mul(3).add(1), [515]), { atol: 1e-4, rtol: 1e-4 });
  });
});

describe('wasm layout kernels', () => {
  it('splits and merges attention heads by row copies, matching cpu', async () => {
    await expectSameAsCpu([[2, 5, 3, 7]], (x) => x.permute(0, 2, 1, 3).contiguous().add(0), { atol: 0, rtol: 0 });
    await expectSameAsCpu([[2, 5, 3, 7]], (x) => x.permute(2, 0, 1, 3).mul(2), { atol: 0, rtol: 0 });
  });

  it('copies a broadcast that keeps the size and expands one that does not', async () => {
    await expectSameAsCpu([[3, 1, 5]], (x) => x.expand(3, 1, 5).mul(1), { atol: 0, rtol: 0 });
    await expectSameAsCpu([[3, 1, 5]], (x) => x.expand(2, 3, 4, 5).mul(1), { atol: 0, rtol: 0 });
  });
});

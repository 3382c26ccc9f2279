// The native comparison, where, cast, gather/index and slice/pad/concat/transpose kernels: exactly the
// cpu reference's values for float32, int32 and bool at odd sizes (SIMD bodies and scalar tails),
// under broadcasting, and without ever running the cpu kernel on heap views.
import { afterEach, describe, expect, it } from 'vitest';
import { backendInstance, getKernel, IndexError, registerKernel, runKernel, setBackend, tensor } from '@qkv/tensor-core';
import type { DType, KernelName, Tensor, TypedArray } from '@qkv/tensor-core';
import * as ops from '@qkv/tensor-core';
import '../src/index.js';
import type { WasmBackend } from '../src/backend.js';

const sizes = [1, 3, 17, 63, 65, 257];

/** Deterministic values of a dtype, with ties, ±0, ±∞ and NaN among the floats. */
function values(dtype: DType, n: number, seed: number): TypedArray {
  let s = seed >>> 0;
  const next = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const specials = [0, -0, 1, -1, 0.5, NaN, Infinity, -Infinity, 3e9, -2.5];
  if (dtype === 'float32') return Float32Array.from({ length: n }, () => specials[Math.floor(next() * specials.length)]!);
  if (dtype === 'int32') return Int32Array.from({ length: n }, () => Math.floor(next() * 7) - 3);
  return Uint8Array.from({ length: n }, () => (next() < 0.5 ? 1 : 0));
}

interface Input {
  shape: number[];
  dtype: DType;
  data?: TypedArray;
}

/** Runs `fn` on cpu and on wasm with the same inputs and expects identical outputs (NaN = NaN, 0 ≠ −0). */
async function expectExact(inputs: Input[], fn: (...xs: Tensor[]) => Tensor): Promise<void> {
  const data = inputs.map((inp, i) => inp.data ?? values(inp.dtype, inp.shape.reduce((a, b) => a * b, 1), 11 + 7 * i));
  const run = async (name: string) => {
    await setBackend(name);
    const xs = inputs.map((inp, i) => tensor(data[i]!, { shape: inp.shape, dtype: inp.dtype }));
    const y = name === 'wasm' ? withoutCpuKernels(() => fn(...xs)) : fn(...xs);
    const out = { values: Array.from(await y.data(), Number), shape: y.shape, dtype: y.dtype, backend: y.backend };
    for (const t of new Set([...xs, y])) t.dispose();
    return out;
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  expect(wasm.backend).toBe('wasm');
  expect({ shape: wasm.shape, dtype: wasm.dtype }).toEqual({ shape: cpu.shape, dtype: cpu.dtype });
  expect(wasm.values).toEqual(cpu.values);
}

/** cpu kernels that the wasm run of `expectExact` must not reach (the test's kernels are native). */
let forbidden: KernelName[] = [];
function forbidCpu(names: KernelName[]): void {
  forbidden = names;
}
afterEach(() => {
  forbidden = [];
});

/** Runs `fn` with the forbidden cpu kernels replaced by ones that throw. */
function withoutCpuKernels<T>(fn: () => T): T {
  const originals = forbidden.map((name) => [name, getKernel(name, 'cpu')!] as const);
  for (const [name] of originals) registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc: () => { throw new Error(`${name} ran the cpu kernel`); }, replace: true });
  try {
    return fn();
  } finally {
    for (const [kernelName, kernelFunc] of originals) registerKernel({ kernelName, backendName: 'cpu', kernelFunc, replace: true });
  }
}

const dtypes: DType[] = ['float32', 'int32', 'bool'];
const patterns = (n: number): [number[], number[]][] => [[[n], [n]], [[2, 3, n], [n]], [[n, 1], [1, 5]], [[3, 1, n], [3, 2, 1]], [[n], []], [[], [n]]];

describe('wasm comparisons and logical ops', () => {
  const comparisons = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
  for (const dtype of dtypes) {
    it(`compares ${dtype} tensors like cpu (for floats: NaN unequal to itself, −0 = 0), broadcasting, at every size`, async () => {
      forbidCpu(['Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual']);
      for (const n of sizes) {
        for (const [a, b] of patterns(n)) {
          for (const op of comparisons) await expectExact([{ shape: a, dtype }, { shape: b, dtype }], (x, y) => x[op](y));
        }
      }
    });
  }

  it('computes and, or and not of bool masks', async () => {
    forbidCpu(['LogicalAnd', 'LogicalOr', 'LogicalNot']);
    for (const n of sizes) {
      for (const [a, b] of patterns(n)) {
        await expectExact([{ shape: a, dtype: 'bool' }, { shape: b, dtype: 'bool' }], (x, y) => ops.logicalAnd(x, y));
        await expectExact([{ shape: a, dtype: 'bool' }, { shape: b, dtype: 'bool' }], (x, y) => ops.logicalOr(x, y));
      }
      await expectExact([{ shape: [n], dtype: 'bool' }], (x) => ops.logicalNot(x));
    }
  });
});

describe('wasm where and cast', () => {
  for (const dtype of dtypes) {
    it(`selects ${dtype} values with three-way broadcasting`, async () => {
      forbidCpu(['Where']);
      for (const n of sizes) {
        const shapes: number[][][] = [[[n], [n], [n]], [[4, n], [n], [4, 1]], [[2, 1, n], [], [3, n]], [[1], [n, 2], [2]], [[n, 1], [1, 9], [n, 9]]];
        for (const [c, a, b] of shapes) {
          await expectExact([{ shape: c!, dtype: 'bool' }, { shape: a!, dtype }, { shape: b!, dtype }], (m, x, y) => ops.where(m, x, y));
        }
      }
    });
  }

  it('fills masked positions like maskedFill on cpu, −∞ included', async () => {
    for (const n of sizes) {
      await expectExact([{ shape: [3, n], dtype: 'float32' }, { shape: [1, n], dtype: 'bool' }], (x, m) => x.maskedFill(m, -Infinity));
    }
  });

  it('casts between every pair of dtypes as cpu does: truncation, ToInt32 wrap-around, NaN → 0, bool = (x ≠ 0)', async () => {
    forbidCpu(['Cast']);
    const floats = Float32Array.from([0, -0, 0.5, -0.5, 2.5, -2.9, 1e10, -3e9, 2 ** 31, -(2 ** 31), 2 ** 40 + 2 ** 33, 1e20, NaN, Infinity, -Infinity, 16777217]);
    await expectExact([{ shape: [floats.length], dtype: 'float32', data: floats }], (x) => x.to('int32'));
    await expectExact([{ shape: [floats.length], dtype: 'float32', data: floats }], (x) => x.to('bool'));
    const bigInts = Int32Array.from([0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 16777217, -16777219]);
    await expectExact([{ shape: [bigInts.length], dtype: 'int32', data: bigInts }], (x) => x.to('float32'));
    for (const n of sizes) {
      for (const from of dtypes) for (const to of dtypes) await expectExact([{ shape: [n], dtype: from }], (x) => ops.runKernel('Cast', [x], { dtype: to }));
    }
  });
});

describe('wasm gather, scatter-add, index-select and index-add', () => {
  const index = (n: number, high: number, seed: number): Int32Array => Int32Array.from(values('float32', n, seed), (_, i) => (i * 7 + seed) % high);

  for (const dtype of dtypes) {
    it(`gathers ${dtype} values along each dim`, async () => {
      forbidCpu(['Gather', 'IndexSelect']);
      for (const n of sizes) {
        for (const dim of [0, 1, 2]) {
          const x = [3, n, 5];
          const idxShape = x.map((s, i) => (i === dim ? 4 : s));
          const idx = index(idxShape.reduce((a, b) => a * b, 1), x[dim]!, n);
          await expectExact([{ shape: x, dtype }, { shape: idxShape, dtype: 'int32', data: idx }], (t, i) => t.gather(dim, i));
          await expectExact([{ shape: x, dtype }, { shape: [n], dtype: 'int32', data: index(n, x[dim]!, dim) }], (t, i) => t.indexSelect(dim, i));
        }
      }
    });
  }

  it('gathers with an index smaller than the input in other dims (through the reference kernel)', async () => {
    await expectExact([{ shape: [5, 17], dtype: 'float32' }, { shape: [3, 4], dtype: 'int32', data: index(12, 17, 1) }], (t, i) => t.gather(1, i));
  });

  it('looks up embedding rows and sums repeated ids in the gradient', async () => {
    forbidCpu(['IndexSelect', 'IndexAdd']);
    for (const n of sizes) {
      for (const dtype of ['float32', 'int32'] as const) {
        const ids = index(2 * n, 7, n);
        await expectExact([{ shape: [2, n], dtype: 'int32', data: ids }, { shape: [7, n], dtype }], (i, w) => ops.embedding(i, w));
        await expectExact([{ shape: [7, n], dtype }, { shape: [2 * n], dtype: 'int32', data: ids }, { shape: [7, n].map((s, d) => (d === 0 ? 2 * n : s)), dtype }], (x, i, s) => ops.indexAdd(x, 0, i, s));
        await expectExact([{ shape: [3, n], dtype }, { shape: [5], dtype: 'int32', data: index(5, n, 2) }, { shape: [3, 5], dtype }], (x, i, s) => ops.indexAdd(x, 1, i, s));
      }
    }
  });

  it('scatter-adds float32 and int32 values, repeated targets summed in order', async () => {
    forbidCpu(['ScatterAdd']);
    for (const n of sizes) {
      for (const dtype of ['float32', 'int32'] as const) {
        await expectExact([{ shape: [5, n], dtype }, { shape: [9, n], dtype: 'int32', data: index(9 * n, 5, n) }, { shape: [9, n], dtype }], (x, i, s) => ops.scatterAdd(x, 0, i, s));
        await expectExact([{ shape: [3, n], dtype }, { shape: [3, 4], dtype: 'int32', data: index(12, n, 3) }, { shape: [3, 4], dtype }], (x, i, s) => ops.scatterAdd(x, 1, i, s));
      }
    }
  });

  it('throws the op-named IndexError for an index out of range, leaving no block behind', async () => {
    await setBackend('wasm');
    const heap = (backendInstance('wasm') as WasmBackend).heap;
    const x = tensor(values('float32', 3 * 17, 1), { shape: [3, 17] });
    const bad = tensor([[0, 16, 17]], { dtype: 'int32' }).expand([3, 3]);
    const negative = tensor([2, -1], { dtype: 'int32' });
    const src = tensor(values('float32', 34, 2), { shape: [2, 17] });
    const badSrc = bad.float();
    // through the op (its own range check), then straight into the kernels, which check again
    expect(() => x.gather(1, bad)).toThrow(new IndexError('gather: index 17 is out of range for dim 1 of size 17'));
    const before = heap.inUse;
    expect(() => runKernel('Gather', [x, bad], { dim: 1 })).toThrow(new IndexError('gather: index 17 is out of range for dim 1 of size 17'));
    expect(() => runKernel('IndexSelect', [x, negative], { dim: 0 })).toThrow(new IndexError('indexSelect: index -1 is out of range for dim 0 of size 3'));
    expect(() => runKernel('IndexAdd', [x, negative, src], { dim: 0 })).toThrow(new IndexError('indexAdd: index -1 is out of range for dim 0 of size 3'));
    expect(() => runKernel('ScatterAdd', [x, bad, badSrc], { dim: 1 })).toThrow(new IndexError('scatterAdd: index 17 is out of range for dim 1 of size 17'));
    expect(heap.inUse).toBe(before);
    for (const t of [x, bad, negative, src, badSrc]) t.dispose();
  });
});

describe('wasm slice, pad, concat, transpose and broadcast', () => {
  for (const dtype of dtypes) {
    it(`moves ${dtype} data like cpu at odd sizes`, async () => {
      forbidCpu(['Slice', 'Pad', 'Concat', 'Transpose', 'BroadcastTo']);
      for (const n of sizes) {
        const x: Input = { shape: [2, n, 3], dtype };
        await expectExact([x], (t) => t.narrow(1, Math.floor(n / 2), n - Math.floor(n / 2)));
        await expectExact([x], (t) => t.narrow(2, 1, 2));
        await expectExact([x], (t) => ops.pad(t, [1, 2, 0, 3], dtype === 'bool' ? 1 : 0.5));
        await expectExact([x], (t) => ops.pad(t, [2, 0], 0));
        await expectExact([x, { shape: [2, 1, 3], dtype }, x], (a, b, c) => ops.cat([a, b, c], 1));
        await expectExact([x, { shape: [2, n, 1], dtype }], (a, b) => ops.cat([a, b], -1));
        await expectExact([x], (t) => t.permute([2, 0, 1]));
        await expectExact([x], (t) => t.transpose(0, 1));
        await expectExact([{ shape: [n, 1], dtype }], (t) => t.expand([2, n, 5]).contiguous());
      }
    });
  }

  it('permutes five dims (beyond what one module call walks)', async () => {
    for (const dtype of dtypes) {
      await expectExact([{ shape: [2, 3, 5, 7, 3], dtype }], (t) => t.permute([4, 2, 0, 3, 1]));
      await expectExact([{ shape: [2, 3, 5, 7, 3], dtype }], (t) => t.permute([1, 0, 3, 2, 4]));
    }
  });

  it('handles empty tensors', async () => {
    for (const dtype of dtypes) {
      await expectExact([{ shape: [0, 3], dtype }, { shape: [3], dtype }], (a, b) => a.eq(b));
      await expectExact([{ shape: [0, 3], dtype: 'bool' }, { shape: [0, 3], dtype }, { shape: [1], dtype }], (c, a, b) => ops.where(c, a, b));
      await expectExact([{ shape: [2, 0], dtype }, { shape: [2, 3], dtype }], (a, b) => ops.cat([a, b], 1));
      await expectExact([{ shape: [0, 3], dtype }], (t) => ops.pad(t.transpose(0, 1), [1, 1]));
      await expectExact([{ shape: [0, 3], dtype }], (t) => t.to('float32'));
    }
  });

  it('pads with NaN as the cpu kernel does (a falsy value fills zeros)', async () => {
    await expectExact([{ shape: [3, 4], dtype: 'float32' }], (t) => ops.pad(t, [1, 1], NaN));
    await expectExact([{ shape: [3, 4], dtype: 'int32' }], (t) => ops.pad(t, [1, 1], -2.7));
  });
});

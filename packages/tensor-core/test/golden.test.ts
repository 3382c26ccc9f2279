// Golden values: hand computations and the examples in PyTorch's documentation.
import { describe, expect, it } from 'vitest';
import { arange, eye, gather, layerNorm, linspace, matmul, ones, randn, softmax, tensor, zeros } from '../src/index.js';
import { expectClose } from '../src/testing/index.js';

describe('matmul follows torch.matmul’s shape table', () => {
  const cases: [number[], number[], number[]][] = [
    [[3], [3], []], // vector · vector → scalar
    [[2, 3], [3, 4], [2, 4]], // matrix · matrix
    [[3], [3, 4], [4]], // vector · matrix: prepend 1, then remove it
    [[2, 3], [3], [2]], // matrix · vector
    [[10, 3, 4], [4], [10, 3]], // batched matrix · broadcast vector (the docs' example)
    [[10, 3, 4], [10, 4, 5], [10, 3, 5]], // batched · batched
    [[10, 3, 4], [4, 5], [10, 3, 5]], // batched · broadcast matrix
    [[4], [10, 4, 5], [10, 5]],
    [[2, 1, 3, 4], [5, 4, 2], [2, 5, 3, 2]], // batch dims broadcast
  ];
  for (const [a, b, out] of cases) {
    it(`[${a}] · [${b}] → [${out}]`, () => {
      expect(matmul(randn(a), randn(b)).shape).toEqual(out);
    });
  }

  it('computes a 2×2 product by hand', () => {
    expect(matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])).toArray()).toEqual([[19, 22], [43, 50]]);
  });

  it('a dot product of two vectors is 1·4 + 2·5 + 3·6 = 32', () => {
    expect(matmul(tensor([1, 2, 3]), tensor([4, 5, 6])).item()).toBe(32);
  });

  it('a broadcast batch matches the per-matrix products', () => {
    const a = randn([3, 4, 5]);
    const b = randn([5, 2]);
    const batched = matmul(a, b);
    for (let i = 0; i < 3; i++) expectClose(batched.select(0, i), matmul(a.select(0, i), b), { atol: 1e-5 });
  });

  it('a 65×257×63 product matches a naive triple loop (crosses the cpu GEMM blocks)', () => {
    const [m, k, n] = [65, 257, 63];
    const a = randn([m, k]);
    const b = randn([k, n]);
    const av = a.dataSync();
    const bv = b.dataSync();
    const ref = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += av[i * k + p]! * bv[p * n + j]!;
      ref[i * n + j] = s;
    }
    expectClose(matmul(a, b).dataSync(), ref, { atol: 1e-4, rtol: 1e-4 });
  });
});

describe('softmax and logSoftmax', () => {
  it('softmax([1, 2, 3]) = e^x / Σe^x = [0.0900306, 0.2447285, 0.6652410]', () => {
    expectClose(softmax(tensor([[1, 2, 3], [1, 1, 1]]), -1), [[0.09003057317, 0.24472847105, 0.66524095577], [1 / 3, 1 / 3, 1 / 3]], { atol: 1e-7 });
  });

  it('is stable for large logits (no overflow at 1000)', () => {
    expectClose(softmax(tensor([1000, 1001, 1002]), 0), [0.09003057317, 0.24472847105, 0.66524095577], { atol: 1e-6 });
  });

  it('a row that is entirely −∞ gives zeros (PyTorch gives NaN; documented difference)', () => {
    const y = softmax(tensor([[-Infinity, -Infinity], [0, -Infinity]]), -1);
    expect(y.toArray()).toEqual([[0, 0], [1, 0]]);
    expect(tensor([[-Infinity, -Infinity]]).logSoftmax(-1).toArray()).toEqual([[-Infinity, -Infinity]]);
  });

  it('logSoftmax equals log(softmax) where both are finite', () => {
    const x = randn([4, 9]);
    expectClose(x.logSoftmax(1), x.softmax(1).log(), { atol: 1e-5 });
  });
});

describe('layerNorm', () => {
  it('normalises [1,2,3,4] to (x − 2.5)/√(1.25 + 1e-5)', () => {
    const y = layerNorm(tensor([[1, 2, 3, 4], [2, 4, 6, 8]]), [4]);
    expectClose(y, [
      [-1.34163542, -0.44721181, 0.44721181, 1.34163542],
      [-1.34163944, -0.44721315, 0.44721315, 1.34163944],
    ], { atol: 1e-5 });
  });

  it('applies weight and bias after normalising', () => {
    const y = layerNorm(tensor([[1, 2, 3, 4]]), [4], tensor([1, 2, 3, 4]), tensor([0, 0, 0, 1]));
    expectClose(y, [[-1.34163542, -0.89442362, 1.34163542, 6.36654168]], { atol: 1e-5 });
  });
});

describe('gather, as in the PyTorch documentation', () => {
  it('torch.gather(t, 1, [[0, 0], [1, 0]]) = [[1, 1], [4, 3]]', () => {
    const t = tensor([[1, 2], [3, 4]]);
    expect(gather(t, 1, tensor([[0, 0], [1, 0]], { dtype: 'int32' })).toArray()).toEqual([[1, 1], [4, 3]]);
  });
});

describe('elementwise functions against their definitions', () => {
  const xs = [-3, -1, 0, 0.5, 2];
  it('gelu(x) = x·Φ(x) exactly', () => {
    expectClose(tensor(xs).gelu(), [-0.00404969409, -0.15865525393, 0, 0.34573123064, 1.95449973610], { atol: 1e-6 });
  });
  it("gelu(x, 'tanh') uses PyTorch's tanh approximation", () => {
    expectClose(tensor(xs).gelu('tanh'), [-0.00363739208, -0.15880800939, 0, 0.34571400983, 1.95459769409], { atol: 1e-6 });
  });
  it('erf matches reference values across the series/continued-fraction switch at 2.5', () => {
    const x = tensor([-3, -0.5, 0.1, 1, 2.4, 2.6, 4]);
    expectClose(x.erf(), [-0.99997790950, -0.52049987781, 0.11246291602, 0.84270079295, 0.99931148610, 0.99976396558, 0.99999998458], { atol: 1e-7 });
  });
  it('sigmoid does not overflow for large |x|', () => {
    expectClose(tensor([-1000, 0, 1000]).sigmoid(), [0, 0.5, 1], { atol: 0 });
  });
  it('integer division is true division (7 / 2 = 3.5, float32)', () => {
    const q = tensor([7], { dtype: 'int32' }).div(2);
    expect(q.dtype).toBe('float32');
    expect(q.item()).toBe(3.5);
  });
  it('an int tensor times a fractional number promotes to float32', () => {
    expect(tensor([1, 2], { dtype: 'int32' }).mul(1.5).toArray()).toEqual([1.5, 3]);
    expect(tensor([1, 2], { dtype: 'int32' }).mul(2).dtype).toBe('int32');
  });
});

describe('creation', () => {
  it('arange, linspace and eye produce the documented values', () => {
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2.5, 0.5).toArray()).toEqual([1, 1.5, 2]);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(zeros([2]).add(ones([2])).toArray()).toEqual([1, 1]);
  });

  it('tril and triu keep the documented triangles', () => {
    const x = ones([3, 3]);
    expect(x.tril().toArray()).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
    expect(x.triu(1).toArray()).toEqual([[0, 1, 1], [0, 0, 1], [0, 0, 0]]);
  });

  it('reductions with dim and keepdim', () => {
    const x = tensor([[1, 5, 3], [4, 2, 6]]);
    expect(x.sum(0).toArray()).toEqual([5, 7, 9]);
    expect(x.max(1, true).toArray()).toEqual([[5], [6]]);
    expect(x.argmax(1).toArray()).toEqual([1, 2]);
    expect(x.argmin().item()).toBe(0);
    expectClose(x.var(1), [4, 4]);
    expectClose(x.mean(), 3.5);
  });
});

describe('dtype edge cases found by downstream packages', () => {
  it('tril/triu keep a bool tensor bool, as PyTorch does', () => {
    const m = ones([2, 2], { dtype: 'bool' }).tril();
    expect(m.dtype).toBe('bool');
    expect(m.toArray()).toEqual([[true, false], [true, true]]);
  });
  it('where(mask, 0, -Infinity) with two numbers works (torch.where(mask, 0.0, -inf))', async () => {
    const { where } = await import('../src/index.js');
    const y = where(tensor([true, false]), 0, -Infinity);
    expect(y.dtype).toBe('float32');
    expect(y.toArray()).toEqual([0, -Infinity]);
    expect(where(tensor([true, false]), 1, 2).dtype).toBe('int32');
  });
  it('dropout keeps about 1 − p of the elements and scales them by 1/(1 − p)', async () => {
    const { dropout, Generator } = await import('../src/index.js');
    const y = dropout(ones([10000]), 0.25, true, new Generator(3)).dataSync();
    const kept = Array.from(y).filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    expect(Math.abs(kept.length / 10000 - 0.75)).toBeLessThan(0.02);
  });
});

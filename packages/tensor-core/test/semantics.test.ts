// Tensor semantics at the edges, each as PyTorch has it (torch 1.13 answers quoted), and errors that
// name the public function the user called.
import { describe, expect, it } from 'vitest';
import {
  BackendError,
  ShapeError,
  ValueError,
  arange,
  embedding,
  fusedAttention,
  full,
  getKernel,
  ones,
  randn,
  registerKernel,
  runKernel,
  tensor,
  zeros,
} from '../src/index.js';

describe('int32 tensors from values', () => {
  it('truncates non-integers toward zero, as torch.tensor([1.5, -1.5, 2.7], dtype=torch.int32) gives [1, -1, 2]', () => {
    expect(tensor([1.5, -1.5, 2.7], { dtype: 'int32' }).toArray()).toEqual([1, -1, 2]);
  });

  it('keeps the int32 extremes 2³¹ − 1 and −2³¹', () => {
    expect(tensor([2 ** 31 - 1, -(2 ** 31)], { dtype: 'int32' }).toArray()).toEqual([2147483647, -2147483648]);
  });

  it('raises for values int32 cannot hold (PyTorch: "value cannot be converted to type int32 without overflow")', () => {
    for (const v of [1e10, 2 ** 31, -(2 ** 31) - 1, NaN, Infinity, -Infinity]) {
      expect(() => tensor([0, v], { dtype: 'int32' })).toThrow(ValueError);
      expect(() => tensor([0, v], { dtype: 'int32' })).toThrow(/^tensor: value .* cannot be converted to int32 without overflow/);
    }
    expect(() => tensor([1e10], { dtype: 'int32' })).toThrow('tensor: value 10000000000 cannot be converted to int32 without overflow (int32 holds -2147483648 to 2147483647)');
    expect(() => tensor(new Float32Array([NaN]), { dtype: 'int32' })).toThrow(/^tensor: value NaN cannot be converted/);
  });

  it('names full and arange in the overflow error', () => {
    expect(() => full([2], 1e10, { dtype: 'int32' })).toThrow(/^full: value 10000000000 cannot be converted/);
    expect(() => full([2], NaN, { dtype: 'int32' })).toThrow(/^full: value NaN cannot be converted/);
    expect(() => arange(2e9, 3e9, 5e8)).toThrow(/^arange: value 2500000000 cannot be converted/);
  });
});

describe('backward through a graph twice', () => {
  it('throws PyTorch\'s "Trying to backward through the graph a second time" and leaves the first gradient', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
    expect(() => y.backward()).toThrow(/^backward: Trying to backward through the graph a second time/);
    expect(() => y.backward()).toThrow(/retainGraph: true/);
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
  });

  it('accumulates a second pass when the first kept the graph with { retainGraph: true }', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.toArray()).toEqual([4, 8, 12]); // 2 · 2x
    expect(() => y.backward()).toThrow(/a second time/); // the second pass did not retain it
  });

  it('throws for a second loss sharing a freed part of the graph, and accepts a fresh forward pass', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.exp();
    h.sum().backward();
    expect(() => h.mul(2).sum().backward()).toThrow(/a second time/);
    x.exp().sum().backward(); // a new graph: accumulates
    expect(x.grad!.toArray()).toEqual([2 * Math.fround(Math.E), 2 * Math.fround(Math.exp(2))].map(Math.fround));
  });
});

describe('reshape of an empty tensor', () => {
  it('rejects reshape([-1, 0]) as ambiguous, as PyTorch does', () => {
    const x = zeros([0, 3]);
    expect(() => x.reshape([-1, 0])).toThrow(ShapeError);
    expect(() => x.reshape([-1, 0])).toThrow('reshape: cannot reshape a tensor of 0 elements into shape [-1,0]: the -1 dimension is ambiguous when another dimension is 0');
    expect(x.reshape([3, 0]).shape).toEqual([3, 0]);
    expect(x.reshape([-1, 3]).shape).toEqual([0, 3]);
  });
});

describe('attention scale', () => {
  const [q, k, v] = [randn([1, 2, 4]), randn([1, 3, 4]), randn([1, 3, 4])];

  it('rejects a NaN or infinite scale in the op, naming its public caller', () => {
    for (const scale of [NaN, Infinity, -Infinity]) {
      expect(() => fusedAttention(q, k, v, { scale })).toThrow(`fusedAttention: scale must be a finite number, got ${scale}`);
      expect(() => fusedAttention(q, k, v, { scale, caller: 'scaledDotProductAttention' })).toThrow(/^scaledDotProductAttention: scale must be a finite number/);
    }
    expect(() => fusedAttention(randn([4]), k, v, { caller: 'scaledDotProductAttention' })).toThrow(/^scaledDotProductAttention: q must have at least 2 dims/);
  });

  it('rejects it at dispatch too, so no backend kernel ever sees it', () => {
    expect(() => runKernel('FusedAttention', [q, k, v], { scale: NaN, causal: false })).toThrow("runKernel(FusedAttention): attribute 'scale' must be a finite number, got NaN");
  });
});

describe('huge shapes', () => {
  it('gives a ShapeError naming the creator instead of a raw RangeError', () => {
    expect(() => zeros([2 ** 40])).toThrow('zeros: shape [1099511627776] has 1099511627776 elements, more than the 2147483647 one tensor can hold');
    expect(() => ones([2 ** 20, 2 ** 20])).toThrow(/^ones: shape \[1048576,1048576\] has/);
    expect(() => full([2 ** 16, 2 ** 16], 1)).toThrow(ShapeError);
    expect(() => arange(2 ** 40)).toThrow(/^arange: shape \[1099511627776\]/);
  });
});

describe('errors name the public op', () => {
  it('embedding, not indexSelect', () => {
    const ids = tensor([[0, 7]], { dtype: 'int32' });
    expect(() => embedding(ids, zeros([5, 3]))).toThrow('embedding: index 7 is out of range for dim 0 of size 5');
  });
  it('zeros and ones, not full', () => {
    expect(() => zeros([-1])).toThrow(/^zeros: shape must be non-negative integers, got \[-1\]/);
    expect(() => ones([1.5])).toThrow(/^ones: shape must be/);
  });
});

describe('typed kernel attributes', () => {
  it('checks attributes against the kernel\'s schema at dispatch', () => {
    const x = ones([2, 3]);
    expect(() => runKernel('Slice', [x], { begin: [-1, 0], size: [1, 3] })).toThrow("runKernel(Slice): attribute 'begin' must be non-negative integers, got [-1,0]");
    expect(() => runKernel('Transpose', [x], { perm: [0, 0] })).toThrow(/attribute 'perm' must be a permutation/);
    // untyped callers (JavaScript) get the same check
    const loose = { dims: [1], keepdim: true, extra: 1 } as unknown as { dims: number[]; keepdim: boolean };
    expect(() => runKernel('Sum', [x], loose)).toThrow("runKernel(Sum): unknown attribute 'extra' (expected dims, keepdim)");
    expect(runKernel('Sum', [x], { dims: [1], keepdim: true }).toArray()).toEqual([[3], [3]]);
  });

  it('refuses to register a kernel twice unless replace is explicit', () => {
    const original = getKernel('Neg', 'cpu')!;
    expect(() => registerKernel({ kernelName: 'Neg', backendName: 'cpu', kernelFunc: original })).toThrow(BackendError);
    expect(() => registerKernel({ kernelName: 'Neg', backendName: 'cpu', kernelFunc: original })).toThrow(
      "registerKernel: Neg is already registered for backend 'cpu'; pass { replace: true } to replace it",
    );
    registerKernel({ kernelName: 'Neg', backendName: 'cpu', kernelFunc: () => { throw new Error('stub ran'); }, replace: true });
    try {
      expect(() => tensor([1]).neg()).toThrow('stub ran');
    } finally {
      registerKernel({ kernelName: 'Neg', backendName: 'cpu', kernelFunc: original, replace: true });
    }
    expect(tensor([1]).neg().toArray()).toEqual([-1]);
  });

  it('rejects unknown kernel names and the engine\'s own Reshape view', () => {
    const bogus = { kernelName: 'MatMul', backendName: 'cpu', kernelFunc: () => ({ handle: null, shape: [], dtype: 'float32' }) } as unknown as Parameters<typeof registerKernel>[0];
    expect(() => registerKernel(bogus)).toThrow("registerKernel: unknown kernel name 'MatMul' (see allKernelNames)");
    expect(() => registerKernel({ kernelName: 'Reshape', backendName: 'cpu', kernelFunc: ({ inputs: [x] }) => ({ storage: x!.storage, shape: [], dtype: 'float32' }) })).toThrow(
      /'Reshape' is the engine's own view kernel/,
    );
  });
});

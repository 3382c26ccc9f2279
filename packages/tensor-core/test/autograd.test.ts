// Autograd semantics as PyTorch defines them.
import { describe, expect, it } from 'vitest';
import { cpuKernels, getKernel, grad, memory, noGrad, randn, registerKernel, tensor, tidy, valueAndGrad, zeros } from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { expectClose } from '../src/testing/index.js';

describe('backward', () => {
  it('computes d(x²)/dx = 2x and accumulates over calls, as PyTorch does', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([4, 8, 12]);
  });

  it('takes an explicit output gradient for non-scalar outputs (vector-Jacobian product)', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(3).backward(tensor([1, 10]));
    expect(x.grad!.toArray()).toEqual([3, 30]);
  });

  it('does not track through detach or noGrad', () => {
    const x = tensor([2], { requiresGrad: true });
    expect(x.detach().mul(2).requiresGrad).toBe(false);
    expect(noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    const y = x.mul(x.detach()); // d/dx (x · const) = const
    y.sum().backward();
    expect(x.grad!.item()).toBe(2);
  });

  it('integer and boolean results are constants', () => {
    const x = randn([4], { requiresGrad: true });
    expect(x.argmax().requiresGrad).toBe(false);
    expect(x.gt(0).requiresGrad).toBe(false);
  });

  it('retainGrad keeps the gradient of an intermediate', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2).retainGrad();
    y.mul(y).sum().backward();
    expect(y.grad!.toArray()).toEqual([4, 8]); // d(y²)/dy = 2y
    expect(x.grad!.toArray()).toEqual([8, 16]);
  });

  it('grad(f) returns 3x² for f = Σx³ and leaves its argument untouched', () => {
    const x = tensor([1, -2, 0.5]);
    const [dx] = grad((t) => t.pow(3).sum())(x);
    expectClose(dx!, [3, 12, 0.75]);
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });

  it('valueAndGrad returns the value and one gradient per argument', () => {
    const [v, [da, db]] = valueAndGrad((a, b) => a.mul(b).sum())(tensor([1, 2]), tensor([3, 4]));
    expect(v.item()).toBe(11);
    expect(da!.toArray()).toEqual([3, 4]);
    expect(db!.toArray()).toEqual([1, 2]);
  });
});

describe('memory', () => {
  it('1,000 tidy-wrapped forward+backward+update steps leave memory() unchanged', () => {
    const w = randn([8, 4], { requiresGrad: true });
    const b = zeros([4], { requiresGrad: true });
    const x = randn([16, 8]);
    const y = randn([16, 4]);
    // one warm-up step creates the .grad tensors that later steps replace
    const step = () =>
      tidy(() => {
        const loss = x.matmul(w).add(b).sub(y).pow(2).mean();
        loss.backward();
        noGrad(() => {
          w.assign(w.sub(w.grad!.mul(0.01)));
          b.assign(b.sub(b.grad!.mul(0.01)));
        });
        w.grad!.dispose();
        b.grad!.dispose();
        w.grad = null;
        b.grad = null;
        return loss.item();
      });
    const first = step();
    const before = memory();
    let last = first;
    for (let i = 0; i < 1000; i++) last = step();
    const after = memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    expect(last).toBeLessThan(first); // and it actually trained
  });

  it('tidy keeps returned tensors and frees the rest', () => {
    const before = memory().numTensors;
    const kept = tidy(() => {
      const a = randn([3]);
      const b = a.mul(2);
      return { b, n: 1 };
    });
    expect(memory().numTensors).toBe(before + 1);
    kept.b.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('a reshape is a view: it shares storage instead of copying', () => {
    const x = randn([4, 4]);
    const buffers = memory().numDataBuffers;
    const v = x.reshape(16);
    expect(memory().numDataBuffers).toBe(buffers);
    x.dispose();
    expect(v.dataSync().length).toBe(16); // the storage lives while a view uses it
    v.dispose();
    expect(memory().numDataBuffers).toBe(buffers - 1);
  });
});

describe('Generator', () => {
  it('getState/setState round-trips through JSON, including a cached normal sample', async () => {
    const { Generator } = await import('../src/index.js');
    const g = new Generator(42);
    g.normal(); // leaves the second Box–Muller sample cached
    const saved = JSON.parse(JSON.stringify(g.getState())) as number[];
    const expected = [g.normal(), g.next(), g.normal()];
    const h = new Generator(0).setState(saved);
    expect([h.normal(), h.next(), h.normal()]).toEqual(expected);
    expect(() => h.setState([1, 2, 3])).toThrow(/^Generator.setState: expected 6 finite numbers/);
  });

  it('fillMask draws as many nextUint32 calls would: value where the draw is ≥ p·2³², and the same state after', async () => {
    const { Generator } = await import('../src/index.js');
    for (const [n, p] of [[0, 0.5], [1, 0.5], [1000, 0.3], [1000, 0], [1000, 1], [1000, 2 ** -32]] as const) {
      const bulk = new Generator(9);
      const one = new Generator(9);
      bulk.next();
      one.next();
      const mask = Array.from(bulk.fillMask(new Float32Array(n), p, 2.5));
      expect(mask).toEqual(Array.from({ length: n }, () => (one.nextUint32() >= p * 2 ** 32 ? 2.5 : 0)));
      expect(bulk.getState()).toEqual(one.getState());
    }
    expect(() => new Generator(0).fillMask(new Float32Array(2), 1.5, 1)).toThrow('Generator.fillMask: p must be in [0, 1], got 1.5');
  });

  it('dropout keeps exactly the elements whose uniform 32-bit draw is ≥ p·2³², in order', async () => {
    const { dropout, Generator, ones } = await import('../src/index.js');
    const twin = new Generator(5);
    const y = dropout(ones([3, 257]), 0.3, true, new Generator(5)).dataSync();
    const expected = Array.from({ length: 3 * 257 }, () => (twin.nextUint32() >= 0.3 * 2 ** 32 ? Math.fround(1 / 0.7) : 0));
    expect(Array.from(y)).toEqual(expected);
  });
});

describe('tidy ownership', () => {
  it('returning a tensor created outside the scope does not hand it to the enclosing scope', () => {
    const outer = randn([2]);
    tidy(() => {
      tidy(() => outer); // returned, but not created here
    });
    expect(outer.isDisposed).toBe(false);
    outer.dispose();
  });
});

describe('backward memory', () => {
  it('frees each step’s weight gradient once it is summed: a 300-step recurrence keeps O(1) of them', () => {
    const w = randn([128, 128], { requiresGrad: true });
    const wBytes = 128 * 128 * 4;
    tidy(() => {
      let h = randn([1, 128]);
      for (let t = 0; t < 300; t++) h = h.matmul(w).tanh();
      const loss = h.sum();
      const beforeBackward = memory().numBytes;
      loss.backward();
      // the forward graph is still alive here; backward may add the grad and a few temporaries only
      expect(memory().numBytes - beforeBackward).toBeLessThan(10 * wBytes);
    });
    expect(w.grad!.shape).toEqual([128, 128]);
  });

  /** How many `Cast` kernels (a same-dtype Cast is a copy) `fn` runs on the cpu backend. */
  function copiesIn(fn: () => void): number {
    let n = 0;
    registerKernel({ kernelName: 'Cast', backendName: 'cpu', replace: true, kernelFunc: (args) => (n++, cpuKernels.Cast(args)) });
    try {
      fn();
    } finally {
      registerKernel({ kernelName: 'Cast', backendName: 'cpu', replace: true, kernelFunc: cpuKernels.Cast });
    }
    expect(getKernel('Cast', 'cpu')).toBe(cpuKernels.Cast);
    return n;
  }

  it('a leaf takes a fresh gradient as its .grad without copying it, as PyTorch steals it', () => {
    const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const x = tensor([[5, 6]]);
    expect(copiesIn(() => x.matmul(w).sum().backward())).toBe(0);
    expect(w.grad!.toArray()).toEqual([[5, 5], [6, 6]]);
    // the second backward sums into the first gradient, still without copies
    expect(copiesIn(() => x.matmul(w).mul(2).sum().backward())).toBe(0);
    expect(w.grad!.toArray()).toEqual([[15, 15], [18, 18]]);
  });

  it('copies where the gradient has other holders: the caller’s tensor, one gradient sent to two inputs, retainGrad', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const g = tensor([1, 1, 1]);
    expect(copiesIn(() => x.backward(g))).toBe(1); // the root is the leaf: its gradient is the caller's
    expect(copiesIn(() => x.backward(g))).toBe(0); // summed into the first: the sum is new, no copy needed
    g.dispose();
    expect(x.grad!.toArray()).toEqual([2, 2, 2]);
    // Add sends the same tensor to both leaves: each gets its own copy, and they stay independent
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    copiesIn(() => a.add(b).mul(tensor([2, 3])).sum().backward());
    const grads: Tensor[] = [a.grad!, b.grad!];
    expect(grads[0]).not.toBe(grads[1]);
    grads[0]!.dispose();
    expect(b.grad!.toArray()).toEqual([2, 3]);
    // a non-leaf that retains its gradient keeps a copy; the flow to its inputs continues from dy
    const h = a.mul(1);
    h.retainGrad();
    a.grad = null;
    expect(copiesIn(() => h.mul(tensor([5, 7])).sum().backward())).toBe(1);
    expect(h.grad!.toArray()).toEqual([5, 7]);
    expect(a.grad!.toArray()).toEqual([5, 7]);
  });

  it('does not dispose a gradient tensor the caller passed in', () => {
    const x = randn([3], { requiresGrad: true });
    const g = tensor([1, 2, 3]);
    x.mul(2).add(1).backward(g);
    expect(g.isDisposed).toBe(false);
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
  });
});

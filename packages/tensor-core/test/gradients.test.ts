// Every differentiable op against central finite differences (the conformance cases on cpu, plus
// broadcasting-heavy compositions).
import { describe, expect, it } from 'vitest';
import { cat, full, randn, tensor, where } from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { conformanceCases, gradCheck } from '../src/testing/index.js';
import { Generator, tensor as make } from '../src/index.js';

function inputsFor(specs: (typeof conformanceCases)[number]['inputs'], seed: number): Tensor[] {
  const g = new Generator(seed);
  return specs.map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    switch (s.kind ?? 'float') {
      case 'int':
        return make(Int32Array.from({ length: n }, () => Math.floor(g.next() * (s.high ?? 2))), { shape: s.shape });
      case 'bool':
        return make(Uint8Array.from({ length: n }, () => (g.next() < 0.5 ? 1 : 0)), { shape: s.shape });
      case 'positive':
        return make(Float32Array.from({ length: n }, () => 0.5 + 1.5 * g.next()), { shape: s.shape });
      case 'distinct':
        return make(Float32Array.from({ length: n }, (_, i) => ((i * 7919) % n) / 4 - n / 8), { shape: s.shape });
      default:
        return make(Float32Array.from({ length: n }, () => g.normal()), { shape: s.shape });
    }
  });
}

describe('gradCheck on every differentiable conformance case (cpu)', () => {
  const small = conformanceCases.filter((c) => c.grad && c.inputs.reduce((acc, s) => acc + s.shape.reduce((a, b) => a * b, 1), 0) <= 600);
  it('covers most cases', () => expect(small.length).toBeGreaterThan(60));
  for (const c of small) {
    it(c.name, () => {
      const xs = inputsFor(c.inputs, 1);
      const wrt = xs.map((x, i) => (x.dtype === 'float32' && !c.inputs[i]!.noGrad ? i : -1)).filter((i) => i >= 0);
      // float32 rounding in wide outputs needs a larger step; truncation error stays O(eps²)
      const wide = c.inputs.some((s) => s.shape.reduce((a, b) => a * b, 1) > 200);
      // max/min have kinks where a = b: a tiny step avoids crossing them (their outputs are exact)
      const kinked = /^(maximum|minimum)/.test(c.name);
      gradCheck(c.fn, xs, { wrt, eps: kinked ? 1e-4 : wide ? 1e-2 : 1e-3 });
    });
  }
});

describe('gradients of broadcasting reduce back to the input shape', () => {
  it('add/mul over [4,1,5] and [3,1] sum the broadcast dims', () => {
    gradCheck((a, b) => a.mul(b).add(b), [randn([4, 1, 5]), randn([3, 1])]);
  });
  it('a scalar times a matrix', () => {
    gradCheck((a, b) => a.mul(b), [randn([]), randn([3, 2])]);
  });
  it('where with a broadcast condition', () => {
    const c = tensor([[true], [false], [true]]);
    gradCheck((a, b) => where(c, a, b), [randn([3, 4]), randn([4])]);
  });
  it('a composite: log-softmax cross-entropy of a linear layer', () => {
    const targets = tensor([[1], [0], [2]], { dtype: 'int32' });
    gradCheck((x, w, b) => x.matmul(w).add(b).logSoftmax(-1).gather(1, targets).mean().neg(), [randn([3, 4]), randn([4, 3]), randn([3])]);
  });
  it('a reused subexpression accumulates both paths', () => {
    gradCheck((x) => { const y = x.tanh(); return y.mul(y).add(y); }, [randn([5])]);
  });
  it('concatenation with −∞ padding keeps finite gradients', () => {
    gradCheck((x) => cat([x, full([2, 1], -Infinity)], 1).softmax(1), [randn([2, 3])]);
  });
});

describe('gradCheck itself', () => {
  it('detects a wrong gradient', () => {
    // sign() has no gradient, so x·sign(x) differentiates as sign(x), matching |x|'s true slope;
    // but x.detach() makes the output constant in x, which gradCheck must flag.
    expect(() => gradCheck((x) => x.detach().mul(x.detach()).add(x.mul(0)), [randn([3])])).toThrow(/finite difference/);
  });
});

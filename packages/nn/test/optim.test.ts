import { describe, expect, it } from 'vitest';
import { memory, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose } from '@qkv/tensor-core/testing';
import { Adam, AdamW, LayerNorm, Linear, Module, Parameter, SGD, clipGradNorm, weightDecayGroups } from '../src/index.js';

/** Sets p.grad to `g` (as backward would). */
function setGrad(p: Tensor, g: number[]): void {
  p.grad?.dispose();
  p.grad = tensor(g);
}

/** Adam in float64, written from the paper with PyTorch's bias-correction order. */
function adamReference(p0: number[], grads: number[][], o: { lr: number; b1: number; b2: number; eps: number; wd: number; decoupled: boolean }) {
  let p = [...p0];
  let m = p.map(() => 0);
  let v = p.map(() => 0);
  grads.forEach((g0, k) => {
    const t = k + 1;
    if (o.decoupled) p = p.map((x) => x * (1 - o.lr * o.wd));
    const g = o.decoupled ? g0 : g0.map((gi, i) => gi + o.wd * p[i]!);
    m = m.map((mi, i) => o.b1 * mi + (1 - o.b1) * g[i]!);
    v = v.map((vi, i) => o.b2 * vi + (1 - o.b2) * g[i]! ** 2);
    const mHat = m.map((mi) => mi / (1 - o.b1 ** t));
    const vHat = v.map((vi) => vi / (1 - o.b2 ** t));
    p = p.map((x, i) => x - (o.lr * mHat[i]!) / (Math.sqrt(vHat[i]!) + o.eps));
  });
  return p;
}

const grads = [[0.1, -0.2, 0.3], [0.05, 0.4, -0.1], [-0.3, 0.2, 0.2]];

describe('Adam and AdamW', () => {
  it('Adam reproduces three hand-computed steps, bias correction included (first step moves each weight by lr)', () => {
    const p = Parameter(tensor([1, -1, 0.5]));
    const opt = new Adam([p], { lr: 0.1 });
    setGrad(p, grads[0]!);
    opt.step();
    expectClose(p, [0.9, -0.9, 0.4], { atol: 1e-6 }); // m̂/√v̂ = sign(g) on step 1
    for (const g of grads.slice(1)) {
      setGrad(p, g);
      opt.step();
    }
    expectClose(p, adamReference([1, -1, 0.5], grads, { lr: 0.1, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decoupled: false }), { atol: 1e-6 });
    expect(opt.state.get(p)!.step).toBe(3);
  });

  it('Adam adds weight decay to the gradient, AdamW decays the weights directly', () => {
    for (const [Opt, decoupled] of [[Adam, false], [AdamW, true]] as const) {
      const p = Parameter(tensor([1, -1, 0.5]));
      const opt = new Opt([p], { lr: 0.01, betas: [0.8, 0.99], weightDecay: 0.1 });
      for (const g of grads) {
        setGrad(p, g);
        opt.step();
      }
      expectClose(p, adamReference([1, -1, 0.5], grads, { lr: 0.01, b1: 0.8, b2: 0.99, eps: 1e-8, wd: 0.1, decoupled }), { atol: 1e-6 });
    }
  });

  it('skips parameters without a gradient and does not leak tensors over many steps', () => {
    const lin = new Linear(4, 4);
    const opt = new AdamW(lin.parameters());
    const x = tensor([[1, 2, 3, 4]]);
    const stepOnce = () => {
      tidy(() => {
        lin.forward(x).square().sum().backward();
      });
      opt.step();
      opt.zeroGrad();
    };
    stepOnce();
    const before = memory().numTensors;
    for (let i = 0; i < 5; i++) stepOnce();
    expect(memory().numTensors).toBe(before);
    const p = Parameter(tensor([1]));
    const opt2 = new Adam([p]);
    opt2.step();
    expect(p.toArray()).toEqual([1]);
  });

  it('weightDecayGroups exempts biases and norm weights in one line', () => {
    class M extends Module {
      fc = new Linear(3, 3);
      norm = new LayerNorm(3);
    }
    const m = new M();
    const opt = new AdamW(weightDecayGroups(m, 0.1), { lr: 1e-3 });
    expect(opt.paramGroups.map((g) => [g.params.length, g.weightDecay])).toEqual([[1, 0.1], [3, 0]]);
    expect(opt.paramGroups[0]!.params[0]).toBe(m.fc.weight);
  });

  it('rejects a parameter listed twice and bad hyper-parameters by name', () => {
    const p = Parameter(tensor([1]));
    expect(() => new Adam([{ params: [p] }, { params: [p] }])).toThrow('Adam: a parameter appears in more than one group (group 1)');
    expect(() => new Adam([p], { betas: [0.9, 1] })).toThrow('Adam: betas must be in [0, 1), got [0.9, 1]');
  });
});

describe('SGD', () => {
  it('plain, momentum and Nesterov updates match hand computation', () => {
    const run = (o: { momentum?: number; nesterov?: boolean; weightDecay?: number; dampening?: number }) => {
      const p = Parameter(tensor([1, -1, 0.5]));
      const opt = new SGD([p], { lr: 0.1, ...o });
      for (const g of grads) {
        setGrad(p, g);
        opt.step();
      }
      return p;
    };
    const ref = (mu: number, nesterov: boolean, wd: number, damp: number) => {
      let p = [1, -1, 0.5];
      let b: number[] | null = null;
      for (const g0 of grads) {
        const d = g0.map((g, i) => g + wd * p[i]!);
        b = b ? b.map((bi, i) => mu * bi + (1 - damp) * d[i]!) : [...d];
        const step = mu === 0 ? d : nesterov ? d.map((di, i) => di + mu * b![i]!) : b;
        p = p.map((x, i) => x - 0.1 * step[i]!);
      }
      return p;
    };
    expectClose(run({}), ref(0, false, 0, 0), { atol: 1e-6 });
    expectClose(run({ momentum: 0.9 }), ref(0.9, false, 0, 0), { atol: 1e-6 });
    expectClose(run({ momentum: 0.9, nesterov: true, weightDecay: 0.01 }), ref(0.9, true, 0.01, 0), { atol: 1e-6 });
    expectClose(run({ momentum: 0.5, dampening: 0.3 }), ref(0.5, false, 0, 0.3), { atol: 1e-6 });
  });

  it('refuses Nesterov without momentum', () => {
    expect(() => new SGD([Parameter(tensor([1]))], { lr: 0.1, nesterov: true })).toThrow('SGD: Nesterov momentum requires momentum > 0 and dampening 0');
  });
});

describe('clipGradNorm', () => {
  it('scales all gradients together to the max norm and returns the norm before clipping', () => {
    const a = Parameter(tensor([3, 0]));
    const b = Parameter(tensor([4]));
    setGrad(a, [3, 0]);
    setGrad(b, [4]);
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(5, 5);
    expectClose(a.grad!, [3 / (5 + 1e-6), 0]);
    expectClose(b.grad!, [4 / (5 + 1e-6)]);
  });

  it('leaves gradients under the limit alone, and supports the ∞-norm', () => {
    const a = Parameter(tensor([1, 1]));
    setGrad(a, [0.3, -0.4]);
    expect(clipGradNorm([a], 1)).toBeCloseTo(0.5, 6);
    expectClose(a.grad!, [0.3, -0.4]);
    expect(clipGradNorm([a], 0.2, Infinity)).toBeCloseTo(0.4, 6);
    expectClose(a.grad!, [0.15, -0.2], { atol: 1e-6 });
  });

  it('takes other p-norms of the absolute values (1: 3 + 4 = 7; 3: ∛(27 + 64))', () => {
    const a = Parameter(tensor([0, 0]));
    setGrad(a, [3, -4]);
    expect(clipGradNorm([a], 100, 1)).toBeCloseTo(7, 5);
    expect(clipGradNorm([a], 100, 3)).toBeCloseTo(Math.cbrt(91), 5);
    expectClose(a.grad!, [3, -4]);
  });
});

// adamStep: torch.optim.Adam's update in float64 (by hand), the fused kernel against the same
// arithmetic composed of ops on a backend without the kernel (same bits), moments written in place,
// and errors that name adamStep.
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, ValueError, adamStep, allKernelNames, cpuKernels, registerBackend, registerKernel, setBackend, tensor } from '../src/index.js';
import type { AdamStepOptions, KernelName, Tensor } from '../src/index.js';
import { createCpuBackend } from '../src/backends/cpu/backend.js';

// the cpu kernels without AdamStep: adamStep composes ops there
registerBackend('cpu-no-adam', createCpuBackend, 0);
for (const name of allKernelNames) {
  if (name === 'Reshape' || name === 'AdamStep') continue;
  registerKernel({ kernelName: name, backendName: 'cpu-no-adam', kernelFunc: cpuKernels[name as Exclude<KernelName, 'Reshape'>] as never });
}

/** torch.optim.Adam / AdamW on plain numbers (float64), `steps` updates with the gradients gs[t]. */
function reference(p0: number[], gs: number[][], o: Omit<AdamStepOptions, 'step'>): number[] {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  gs.forEach((g0, t) => {
    const step = t + 1;
    for (let i = 0; i < p.length; i++) {
      let g = g0[i]!;
      if (o.weightDecay !== 0 && o.decoupled) p[i] = p[i]! * (1 - o.lr * o.weightDecay);
      if (o.weightDecay !== 0 && !o.decoupled) g += o.weightDecay * p[i]!;
      m[i] = o.beta1 * m[i]! + (1 - o.beta1) * g;
      v[i] = o.beta2 * v[i]! + (1 - o.beta2) * g * g;
      const denom = Math.sqrt(v[i]!) / Math.sqrt(1 - o.beta2 ** step) + o.eps;
      p[i] = p[i]! - (o.lr / (1 - o.beta1 ** step)) * (m[i]! / denom);
    }
  });
  return p;
}

const values = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) * (1 + (i % 5)));

/** Three steps of adamStep from p0 with gradients gs on the active backend; the parameter and moments after. */
function run(p0: number[], gs: number[][], o: Omit<AdamStepOptions, 'step'>): { p: Float32Array; m: Float32Array; v: Float32Array } {
  const shape = [p0.length / 3, 3];
  let p: Tensor = tensor(p0, { shape });
  const m = tensor(new Float32Array(p0.length), { shape });
  const v = tensor(new Float32Array(p0.length), { shape });
  gs.forEach((g, t) => {
    const next = adamStep(p, tensor(g, { shape }), m, v, { ...o, step: t + 1 });
    p.dispose();
    p = next;
  });
  return { p: p.dataSync() as Float32Array, m: m.dataSync() as Float32Array, v: v.dataSync() as Float32Array };
}

describe('adamStep', () => {
  const kinds: [string, Omit<AdamStepOptions, 'step'>][] = [
    ['Adam', { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false }],
    ['Adam with L2 weight decay', { lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, decoupled: false }],
    ['AdamW', { lr: 0.05, beta1: 0.9, beta2: 0.98, eps: 1e-9, weightDecay: 0.3, decoupled: true }],
  ];

  it("moves each weight by lr·sign(g) on the first step, as Adam's bias correction makes it", async () => {
    await setBackend('cpu');
    const { p, m, v } = run([1, -2, 3], [[0.5, -4, 1e-3]], { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 0, weightDecay: 0, decoupled: false });
    [0.9, -1.9, 2.9].forEach((want, i) => expect(p[i]).toBeCloseTo(want, 6)); // float32 steps: within a few ulps
    [0.05, -0.4, 1e-4].forEach((want, i) => expect(m[i]).toBeCloseTo(want, 7));
    expect(v[1]).toBeCloseTo(0.016, 8);
  });

  for (const [name, o] of kinds) {
    it(`${name}: three steps agree with the float64 formula and give the same bits with and without the kernel`, async () => {
      const p0 = values(30, 1);
      const gs = [values(30, 2), values(30, 3).map((x) => x * 1e-3), values(30, 4)];
      await setBackend('cpu');
      const fused = run(p0, gs, o);
      const want = reference(p0, gs, o);
      fused.p.forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(want[i]!))));
      await setBackend('cpu-no-adam');
      const composed = run(p0, gs, o);
      await setBackend('cpu');
      expect(Array.from(composed.p)).toEqual(Array.from(fused.p));
      expect(Array.from(composed.m)).toEqual(Array.from(fused.m));
      expect(Array.from(composed.v)).toEqual(Array.from(fused.v));
    });
  }

  it('writes the moments into their own storage through the kernel (as in-place ops) and returns a new parameter', async () => {
    await setBackend('cpu');
    const p = tensor([1, 2, 3, 4]);
    const [m, v] = [tensor([0, 0, 0, 0]), tensor([0, 0, 0, 0])];
    const [ms, vs] = [m.storage, v.storage];
    const next = adamStep(p, tensor([1, 1, 1, 1]), m, v, { lr: 1, beta1: 0.5, beta2: 0.5, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 });
    expect(m.storage).toBe(ms);
    expect(v.storage).toBe(vs);
    expect(Array.from(m.dataSync())).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(next).not.toBe(p);
    expect(Array.from(p.dataSync())).toEqual([1, 2, 3, 4]);
  });

  it('rejects bad input with errors that name adamStep', async () => {
    await setBackend('cpu');
    const o: AdamStepOptions = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 };
    const [a, b] = [tensor([1, 2, 3]), tensor([1, 2])];
    expect(() => adamStep(a, b, a, a, o)).toThrow(new ShapeError('adamStep: grad must have p\'s shape [3], got [2]'));
    expect(() => adamStep(a, tensor([1, 2, 3], { dtype: 'int32' }), a, a, o)).toThrow(DTypeError);
    expect(() => adamStep(a, a, a, a, { ...o, step: 0 })).toThrow(new ValueError('adamStep: step must be an integer ≥ 1, got 0'));
    expect(() => adamStep(a, a, a, a, { ...o, lr: Number.NaN })).toThrow(new ValueError('adamStep: lr must be a finite number, got NaN'));
    expect(() => adamStep(a, a, a, a, { ...o, beta2: 1 })).toThrow(/adamStep: betas must be in \[0, 1\)/);
    expect(() => adamStep(a, a, null as unknown as Tensor, a, o)).toThrow(/adamStep: expAvg must be a Tensor/);
  });
});

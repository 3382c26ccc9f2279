// AdamStep on wasm: the same bits as the cpu kernel (normal numbers), as the same step written out
// in wasm ops (subnormal moments flushed by both), on 1 and 2 threads, moments written in place.
import { describe, expect, it } from 'vitest';
import { adamScalars, adamStep, backendInstance, setBackend, tensor, tidy } from '@qkv/tensor-core';
import type { AdamStepOptions, Tensor } from '@qkv/tensor-core';
import type { WasmBackend } from '../src/backend.js';
import '../src/index.js';
import { setThreads } from '../src/threads.js';
import { floats } from './helpers.js';

const adamW: Omit<AdamStepOptions, 'step'> = { lr: 0.01, beta1: 0.9, beta2: 0.98, eps: 1e-9, weightDecay: 0.05, decoupled: true };
const adamL2: Omit<AdamStepOptions, 'step'> = { lr: 0.003, beta1: 0.8, beta2: 0.999, eps: 1e-8, weightDecay: 0.2, decoupled: false };

/** torch.optim.Adam's step written out in element-wise ops (Mul and Div flush subnormals on wasm). */
function byOps(p: Tensor, g: Tensor, m: Tensor, v: Tensor, o: AdamStepOptions): Tensor {
  const s = adamScalars(o);
  return tidy(() => {
    const gd = o.decoupled ? g : g.add(p.mul(s.decay));
    const pd = o.decoupled ? p.mul(s.decay) : p;
    m.assign(m.add(gd.sub(m).mul(s.oneMinusBeta1)));
    v.assign(v.mul(s.beta2).add(gd.mul(gd).mul(s.oneMinusBeta2)));
    return pd.sub(m.div(v.sqrt().div(s.sqrtBias2).add(s.eps)).mul(s.stepSize));
  });
}

/** Three steps from the same values on backend `name`, by the kernel or by `byOps`; the parameter and moments after. */
async function steps(name: string, n: number, o: Omit<AdamStepOptions, 'step'>, gradScale: number, ops = false): Promise<Float32Array[]> {
  await setBackend(name);
  let p: Tensor = tensor(floats(n, 1));
  const [m, v] = [tensor(new Float32Array(n)), tensor(new Float32Array(n))];
  const gs = [2, 3, 4].map((seed) => tensor(floats(n, seed).map((x) => x * gradScale)));
  for (let t = 0; t < 3; t++) {
    const next = (ops ? byOps : adamStep)(p, gs[t]!, m, v, { ...o, step: t + 1 });
    p.dispose();
    p = next;
  }
  const out = [p, m, v].map((x) => x.dataSync() as Float32Array);
  [p, m, v, ...gs].forEach((x) => x.dispose());
  return out;
}

describe('AdamStep on wasm', () => {
  for (const [name, o] of [['AdamW', adamW], ['Adam with L2 decay', adamL2]] as const) {
    it(`${name}: the cpu kernel's bits (odd sizes for the scalar tail) and those of the step in wasm ops`, async () => {
      for (const n of [1, 7, 1003]) {
        const cpu = await steps('cpu', n, o, 1);
        const wasm = await steps('wasm', n, o, 1);
        const composed = await steps('wasm', n, o, 1, true);
        for (let k = 0; k < 3; k++) {
          expect(Array.from(wasm[k]!)).toEqual(Array.from(cpu[k]!));
          expect(Array.from(composed[k]!)).toEqual(Array.from(wasm[k]!));
        }
      }
    });
  }

  it('flushes subnormal moments as the wasm ops do (g² below 2⁻¹²⁶), unlike cpu', async () => {
    const wasm = await steps('wasm', 101, adamW, 1e-20);
    const composed = await steps('wasm', 101, adamW, 1e-20, true);
    const cpu = await steps('cpu', 101, adamW, 1e-20);
    expect(Array.from(wasm[2]!)).toEqual(Array.from(composed[2]!));
    expect(Array.from(wasm[0]!)).toEqual(Array.from(composed[0]!));
    expect(wasm[2]!.every((x) => x === 0)).toBe(true); // v = (1 − β₂)·g² ≈ 1e-42: flushed
    expect(cpu[2]!.some((x) => x !== 0)).toBe(true); // cpu keeps subnormals
  });

  it('gives the same bits on 2 threads, writes the moments in place and leaves no heap behind', async () => {
    const n = 100_003; // above the pool's threshold, with a tail
    const one = await steps('wasm', n, adamW, 1);
    const wb = backendInstance('wasm') as WasmBackend;
    const inUse = wb.heap.inUse;
    await setThreads(2);
    try {
      const two = await steps('wasm', n, adamW, 1);
      for (let k = 0; k < 3; k++) expect(Array.from(two[k]!)).toEqual(Array.from(one[k]!));
    } finally {
      await setThreads(1);
    }
    expect(wb.heap.inUse).toBe(inUse);
    await setBackend('wasm');
    const m = tensor(new Float32Array(5));
    const storage = m.storage;
    adamStep(tensor([1, 2, 3, 4, 5]), tensor([1, 1, 1, 1, 1]), m, tensor(new Float32Array(5)), { ...adamW, step: 1 }).dispose();
    expect(m.storage).toBe(storage);
    expect(Array.from(m.dataSync())).toEqual(new Array(5).fill(Math.fround(0.1)));
  });
});

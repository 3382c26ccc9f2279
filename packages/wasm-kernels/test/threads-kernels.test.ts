// The rest of a training step on the thread pool: unary maps (GELU, ReLU, exp, …), broadcasting
// binary maps (same shape, scalar, bias rows, per-row scales: Adam's update is made of these),
// comparisons and where (ReLU's gradient), softmax / log-softmax, layer norm, sum / max / min, a GEMM's packing and
// a GEMM of too few rows to split by rows (by B's column panels) are split across threads above a size threshold (lower
// while the workers still spin after a job), compute
// bit for bit what one thread computes (each thread owns whole elements or rows) and equal cpu.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adamStep, backendInstance, layerNorm, setBackend, tensor, where, zerosLike } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import type { WasmBackend } from '../src/backend.js';
import '../src/index.js';
import type { PoolKernel } from '../src/runtime/worker-source.js';
import { setThreads } from '../src/threads.js';
import { expectSameAsCpu, floats } from './helpers.js';

/** Runs `fn` on wasm with 1 then 2 threads; returns both outputs and the pool kernels dispatched with 2. */
async function oneAndTwo(shapes: number[][], fn: (...xs: Tensor[]) => Tensor): Promise<{ one: Float32Array; two: Float32Array; split: PoolKernel[] }> {
  await setBackend('wasm');
  const xs = shapes.map((s, i) => tensor(floats(s.reduce((a, b) => a * b, 1), 60 + i), { shape: s }));
  await setThreads(1);
  const one = fn(...xs).dataSync() as Float32Array;
  await setThreads(2);
  const split: PoolKernel[] = [];
  const wb = backendInstance('wasm') as WasmBackend;
  const dispatch = wb.pool!.dispatch.bind(wb.pool!);
  wb.pool!.dispatch = (...args) => {
    split.push(args[0]);
    dispatch(...args);
  };
  try {
    const two = fn(...xs).dataSync() as Float32Array;
    return { one, two, split };
  } finally {
    await setThreads(1);
  }
}

const big = [301, 517]; // 155,617 elements: above the compute-bound thresholds, no multiple of 4 or 16
const stream = [769, 701]; // 539,069 elements: above the memory-bound maps' threshold (2¹⁹), no multiple of 4 or 16

describe('threads in element-wise, softmax and layer-norm kernels', () => {
  beforeAll(() => setBackend('wasm'));
  afterAll(() => setThreads(1));

  // a sum of 769 values of |x| ≤ 1 rounds differently from cpu's order by up to ~1e-5: tolerance scaled to it
  const sumTol = { atol: 1e-4, rtol: 1e-5 };
  const cases: [string, PoolKernel, number[][], (...xs: Tensor[]) => Tensor, { atol: number; rtol: number }?][] = [
    ['GELU (erf)', 'unaryRange', [big], (x) => x.gelu()],
    ['GELU (tanh)', 'unaryRange', [big], (x) => x.gelu('tanh')],
    ['ReLU', 'unaryRange', [stream], (x) => x.relu()],
    ['exp', 'unaryRange', [big], (x) => x.exp()],
    ['sqrt of |x|', 'unaryRange', [stream], (x) => x.abs().sqrt()],
    ['a + b, same shapes', 'binaryRange', [stream, stream], (a, b) => a.add(b)],
    ['a · scalar', 'binaryRange', [stream], (a) => a.mul(0.9)],
    ['a / b, same shapes', 'binaryRange', [stream, stream], (a, b) => a.div(b.abs().add(0.5))],
    ['a + bias [C]', 'binaryGrid', [stream, [701]], (a, b) => a.add(b)],
    ['a · per-row scale [N, 1]', 'binaryGrid', [stream, [769, 1]], (a, b) => a.mul(b)],
    ['softmax over the last dim', 'softmaxRange', [big], (x) => x.softmax(-1)],
    ['log-softmax over the last dim', 'softmaxRange', [big], (x) => x.logSoftmax(-1)],
    ['softmax over a middle dim', 'softmaxRange', [[37, 41, 103]], (x) => x.softmax(1)],
    ['layer norm', 'layerNormRange', [big], (x) => layerNorm(x, [517])],
    ['x > 0 (the ReLU gradient mask)', 'compareRange', [stream], (x) => x.gt(0).float()],
    ['a ≤ b, same shapes', 'compareRange', [stream, stream], (a, b) => a.le(b).float()],
    ['where(x > 0, dy, 0) (the ReLU gradient)', 'whereRange', [stream, stream], (x, dy) => where(x.gt(0), dy, 0)],
    // fresh moments each call: the step writes them in place
    ['one AdamW step', 'adamRange', [big, big], (p, g) => adamStep(p, g, zerosLike(p), zerosLike(p), { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true, step: 2 })],
    ['a one-row GEMM (decoding) by column panels of B', 'gemmColumns', [[1, 771], [771, 1403]], (a, b) => a.matmul(b)],
    ['a three-row GEMM with transposed B by column panels', 'gemmColumns', [[3, 520], [700, 520]], (a, b) => a.matmul(b.t())],
    ['a sum over rows (a bias gradient) by columns', 'reduceRange', [stream], (x) => x.sum(0), sumTol],
    ['a max over the last dim by rows', 'reduceRange', [stream], (x) => x.max(-1)],
    ['a min over a middle dim by columns of every outer index', 'reduceRange', [[9, 8191, 9]], (x) => x.min(1)],
    ['the packing of a large B into panels', 'packBPanels', [[12, 1024], [1024, 515]], (a, b) => a.matmul(b)],
    ['the packing of a large A into strips', 'packAStrips', [[300, 1801], [300, 72]], (a, b) => a.t().matmul(b)],
  ];
  for (const [name, kernel, shapes, fn, tol] of cases) {
    it(`splits ${name} across 2 threads, bit-identical to 1 thread and equal to cpu`, async () => {
      const { one, two, split } = await oneAndTwo(shapes, fn);
      expect(split).toContain(kernel);
      expect(Array.from(two)).toEqual(Array.from(one));
      await expectSameAsCpu(shapes, fn, tol ?? { atol: 1e-5, rtol: 1e-5 });
    });
  }

  it('keeps small jobs on the calling thread', async () => {
    const { split } = await oneAndTwo([[7, 33], [33]], (a, b) => a.add(b).gelu().softmax(-1));
    expect(split).toEqual([]);
  });

  it('uses the pool for memory-bound maps from 2¹⁷ elements while the workers still spin after a job, not once they sleep', async () => {
    const busy = (ms: number): void => {
      for (const end = performance.now() + ms; performance.now() < end; );
    };
    const wb = () => backendInstance('wasm') as WasmBackend;
    let warm: boolean[] = [];
    // exp is split (compute-bound); the add of 155 k elements follows at once, or after 2 ms of other work.
    // A test process descheduled between the two lines would find the pool cold: then the add stays
    // on the calling thread, as it must; up to three tries to see the warm case
    let sawWarm = false;
    for (let attempt = 0; attempt < 3 && !sawWarm; attempt++) {
      warm = [];
      const { split, one, two } = await oneAndTwo([big, big], (a, b) => {
        const e = a.exp();
        warm.push(wb().pool?.warm ?? false);
        return e.add(b);
      });
      expect(Array.from(two)).toEqual(Array.from(one));
      sawWarm = warm[1]!;
      expect(split).toEqual(sawWarm ? ['unaryRange', 'binaryRange'] : ['unaryRange']);
    }
    expect(sawWarm).toBe(true);
    warm = [];
    const cold = await oneAndTwo([big, big], (a, b) => {
      const e = a.exp();
      busy(2);
      warm.push(wb().pool?.warm ?? false);
      return e.add(b);
    });
    expect(warm).toEqual([false, false]);
    expect(cold.split).toEqual(['unaryRange']);
  });

  it('keeps memory-bound maps below 2¹⁹ elements on the calling thread, compute-bound ones not', async () => {
    const { split } = await oneAndTwo([big, big], (a, b) => a.add(b).relu().mul(0.5).gt(0).float().exp());
    expect(split).toEqual(['unaryRange']); // only exp
  });
});

// The browser test page: runs the conformance suite and a training loop on a chosen backend and
// leaves the results on `globalThis` for playwright to collect.
import { installDeviceCounter, deviceCounts } from './device-counter.js';
installDeviceCounter(); // before gpu.js creates any context

import { listBackends, memory, noGrad, randn, setBackend, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { conformanceCases, expectConformance } from '@qkv/tensor-core/testing';
import { backendInstance } from '@qkv/tensor-core';
import type { GpuBackend } from '../../src/index.js';
import '../../src/index.js';

/** Per case: 'ok' or the error message. */
async function conformance(backend: string): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  for (const c of conformanceCases) {
    try {
      await expectConformance(c, backend);
      results[c.name] = 'ok';
    } catch (err) {
      results[c.name] = String((err as Error).message).slice(0, 600);
    }
  }
  return results;
}

/** Live counts after each of `steps` SGD steps of a 2-layer MLP regression, sampled every 10. */
async function trainingLoop(backend: string, steps: number) {
  await setBackend(backend);
  const w1 = randn([16, 32]).mul(0.3).requiresGrad_(true);
  const w2 = randn([32, 1]).mul(0.3).requiresGrad_(true);
  const x = randn([64, 16]);
  const y = x.sum(1, true).tanh();
  const samples: { step: number; tensors: number; textures: number; buffers: number; deviceObjects: number; loss: number }[] = [];
  for (let step = 1; step <= steps; step++) {
    const loss = tidy(() => {
      const pred = x.matmul(w1).gelu().matmul(w2); // [64,16]·[16,32]·[32,1] → [64,1]
      const l = pred.sub(y).pow(2).mean();
      l.backward();
      noGrad(() => {
        for (const p of [w1, w2]) {
          p.assign(p.sub(p.grad!.mul(0.05)));
          p.grad!.dispose();
          p.grad = null;
        }
      });
      return l.detach();
    });
    const value = (await loss.data())[0]!;
    loss.dispose();
    if (step % 10 === 0) {
      const gpu = backendInstance(backend) as GpuBackend;
      samples.push({ step, tensors: memory().numTensors, textures: deviceCounts.textures, buffers: deviceCounts.buffers, deviceObjects: gpu.memory().deviceObjects, loss: value });
    }
  }
  for (const t of [w1, w2, x, y] as Tensor[]) t.dispose();
  return samples;
}

/** Reads a float32 tensor of `n` ones back, to probe readback paths and sizes. */
async function onesSum(backend: string, n: number): Promise<number> {
  await setBackend(backend);
  const t = tensor(new Float32Array(n).fill(1));
  const s = t.sum();
  const v = (await s.data())[0]!;
  t.dispose();
  s.dispose();
  return v;
}

async function conformanceOne(name: string, backend: string): Promise<string> {
  const c = conformanceCases.find((x) => x.name === name)!;
  try { await expectConformance(c, backend); return 'ok'; } catch (err) { return String((err as Error).stack); }
}

/** The error dataSync() throws on `backend` ('' if none), and what await data() gives. */
async function dataSyncVsData(backend: string): Promise<{ error: string; data: number[] }> {
  await setBackend(backend);
  const x = tensor([1, 2, 3]).mul(2);
  let error = '';
  try {
    x.dataSync();
  } catch (err) {
    error = (err as Error).message;
  }
  const data = Array.from(await x.data());
  x.dispose();
  return { error, data };
}

/** The gpu.js mode behind `backend`. */
async function modeOf(backend: string): Promise<string> {
  await setBackend(backend);
  return (backendInstance(backend) as GpuBackend).mode;
}

Object.assign(globalThis, { qkv: { dataSyncVsData, modeOf, conformanceOne, conformance, trainingLoop, onesSum, listBackends, setBackend }, qkvReady: true });

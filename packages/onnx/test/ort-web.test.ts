// The same exported files run on onnxruntime-web's WebAssembly backend (1 thread) in Node.
import { describe, expect, it } from 'vitest';
import * as ortWeb from 'onnxruntime-web';
import { GPT, VisionTransformer } from '@qkv/transformer';
import { manualSeed, noGrad, randn } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { exportOnnx } from '../src/index.js';
import { ids } from './helpers.js';

function maxDiff(onnx: ortWeb.Tensor, qkv: Tensor): number {
  expect([...onnx.dims]).toEqual([...qkv.shape]);
  const [a, b] = [onnx.data as Float32Array, qkv.dataSync() as Float32Array];
  return a.reduce((m, x, i) => (Number.isNaN(x) ? Infinity : Math.max(m, Math.abs(x - b[i]!))), 0);
}

describe('onnxruntime-web (wasm) in Node runs the exported files', () => {
  ortWeb.env.wasm.numThreads = 1;
  manualSeed(5);
  it('GPT with the KV cache: a prompt, then one cached step', async () => {
    const gpt = new GPT({ vocabSize: 30, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16 }).eval();
    const s = await ortWeb.InferenceSession.create(exportOnnx(gpt, [ids([[1, 2]])], { kvCache: true }), { executionProviders: ['wasm'] });
    const empty = () => new ortWeb.Tensor('float32', new Float32Array(0), [1, 2, 0, 8]);
    const idsOf = (r: number[]) => new ortWeb.Tensor('int64', BigInt64Array.from(r.map(BigInt)), [1, r.length]);
    const past = { 'past_key_values.0.key': empty(), 'past_key_values.0.value': empty(), 'past_key_values.1.key': empty(), 'past_key_values.1.value': empty() };
    const a = await s.run({ input_ids: idsOf([3, 4, 5, 6, 7]), ...past });
    const ref = noGrad(() => gpt.forwardWithCache(ids([[3, 4, 5, 6, 7]]), [], { needWeights: false }));
    expect(maxDiff(a.logits!, ref.logits)).toBeLessThan(1e-4);
    const next = Object.fromEntries(Object.keys(past).map((k) => [k, a[k.replace('past_key_values', 'present')]!]));
    const b = await s.run({ input_ids: idsOf([8]), ...next });
    expect(maxDiff(b.logits!, noGrad(() => gpt.forwardWithCache(ids([[8]]), ref.cache, { needWeights: false }).logits))).toBeLessThan(1e-4);
  });

  it('VisionTransformer on a batch of 2', async () => {
    const vit = new VisionTransformer({ imageSize: 8, patchSize: 4, inChannels: 1, numClasses: 3, dModel: 16, depth: 1, nhead: 2 }).eval();
    const s = await ortWeb.InferenceSession.create(exportOnnx(vit, [randn([1, 1, 8, 8])]), { executionProviders: ['wasm'] });
    const images = randn([2, 1, 8, 8]);
    const out = await s.run({ pixel_values: new ortWeb.Tensor('float32', Float32Array.from(images.dataSync() as Float32Array), [2, 1, 8, 8]) });
    expect(maxDiff(out.logits!, noGrad(() => vit.forward(images)))).toBeLessThan(1e-4);
  });
});

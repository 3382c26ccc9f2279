import { describe, expect, it } from 'vitest';
import { GPT } from '@qkv/transformer';
import type { KVCache } from '@qkv/transformer';
import { manualSeed, noGrad } from '@qkv/tensor-core';
import { exportOnnx, exportOnnxGraph } from '../src/index.js';
import { ids, maxDiff, ort, ortIds, session } from './helpers.js';

describe('GPT → ONNX', () => {
  manualSeed(1);
  const gpt = new GPT({ vocabSize: 40, blockSize: 32, nLayer: 2, nHead: 4, nEmbd: 32 }).eval();

  it('gives qkv\'s logits and attention weights within 1e-4 on lengths and batches other than the example\'s', async () => {
    const s = await session(exportOnnx(gpt, [ids([[1, 2, 3]])], { attentionOutputs: true }));
    for (const rows of [[[1, 2, 3]], [[5, 6, 7, 8, 9, 10, 11]], [[3, 1], [4, 1]]]) {
      const out = await s.run({ input_ids: ortIds(rows) });
      const ref = noGrad(() => gpt.forwardWithCache(ids(rows)));
      expect(maxDiff(out.logits!, ref.logits)).toBeLessThan(1e-4);
      expect(maxDiff(out['attentions.1']!, ref.attention[1]!)).toBeLessThan(1e-4);
    }
  });

  it('has the Hub\'s KV-cache signature, and cached steps match qkv\'s cached forward', async () => {
    const graph = exportOnnxGraph(gpt, [ids([[1]])], { kvCache: true });
    expect(graph.inputs.map((i) => i.name)).toEqual(['input_ids', 'past_key_values.0.key', 'past_key_values.0.value', 'past_key_values.1.key', 'past_key_values.1.value']);
    expect(graph.outputs.map((o) => o.name)).toEqual(['logits', 'present.0.key', 'present.0.value', 'present.1.key', 'present.1.value']);
    expect(graph.inputs[1]!.shape).toEqual(['batch', 4, 'past_sequence', 8]);
    const s = await session(exportOnnx(gpt, [ids([[1]])], { kvCache: true }));
    const empty = () => new ort.Tensor('float32', new Float32Array(0), [2, 4, 0, 8]);
    let feeds: Record<string, ort.Tensor> = { 'past_key_values.0.key': empty(), 'past_key_values.0.value': empty(), 'past_key_values.1.key': empty(), 'past_key_values.1.value': empty() };
    let cache: KVCache = [];
    for (const rows of [[[5, 6, 7], [8, 9, 10]], [[11], [12]], [[13, 14], [15, 16]]]) {
      const out = await s.run({ input_ids: ortIds(rows), ...feeds });
      const ref = noGrad(() => gpt.forwardWithCache(ids(rows), cache, { needWeights: false }));
      expect(maxDiff(out.logits!, ref.logits)).toBeLessThan(1e-4);
      expect(maxDiff(out['present.1.value']!, ref.cache[1]!.v)).toBeLessThan(1e-4);
      cache = ref.cache;
      feeds = Object.fromEntries([0, 1].flatMap((l) => ['key', 'value'].map((kv) => [`past_key_values.${l}.${kv}`, out[`present.${l}.${kv}`]!])));
    }
  });

  it('exports rotary positions, no bias and untied heads', async () => {
    const rope = new GPT({ vocabSize: 20, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16, positional: 'rotary', bias: false, tieWeights: false }).eval();
    const s = await session(exportOnnx(rope, [ids([[1, 2]])], { kvCache: true }));
    const prompt = [[1, 2, 3, 4]];
    const first = noGrad(() => rope.forwardWithCache(ids(prompt), [], { needWeights: false }));
    const empty = () => new ort.Tensor('float32', new Float32Array(0), [1, 2, 0, 8]);
    const a = await s.run({ input_ids: ortIds(prompt), 'past_key_values.0.key': empty(), 'past_key_values.0.value': empty() });
    expect(maxDiff(a.logits!, first.logits)).toBeLessThan(1e-4);
    const b = await s.run({ input_ids: ortIds([[5]]), 'past_key_values.0.key': a['present.0.key']!, 'past_key_values.0.value': a['present.0.value']! });
    expect(maxDiff(b.logits!, noGrad(() => rope.forwardWithCache(ids([[5]]), first.cache, { needWeights: false }).logits))).toBeLessThan(1e-4);
  });
});

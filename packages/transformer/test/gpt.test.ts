import { describe, expect, it } from 'vitest';
import { crossEntropy } from '@qkv/nn';
import { Generator, ShapeError, memory, noGrad, randn, tensor } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import { Block, GPT, greedyDecode, sample } from '../src/index.js';
import { loadFixture } from './fixtures.js';
import { ids, randomRows, tokenAccuracy, train } from './helpers.js';

const tiny = { vocabSize: 7, blockSize: 12, nLayer: 2, nHead: 2, nEmbd: 16 };

describe('GPT', () => {
  it('holds exactly its parameters and buffers: the untied lm_head weight is freed when tied', () => {
    const before = memory().numBytes;
    const gpt = new GPT({ vocabSize: 50, blockSize: 8, nLayer: 1, nHead: 2, nEmbd: 8 });
    const tensors = new Set([...gpt.parameters(), ...gpt.buffers()]);
    expect(memory().numBytes - before).toBe([...tensors].reduce((n, t) => n + t.size * 4, 0));
  });

  it("uses nanoGPT's parameter names, with lm_head tied to wte", () => {
    const gpt = new GPT({ ...tiny, nLayer: 1 });
    const sd = gpt.stateDict();
    expect(Object.keys(sd)).toEqual([
      'transformer.wte.weight', 'transformer.wpe.weight',
      'transformer.h.0.ln_1.weight', 'transformer.h.0.ln_1.bias',
      'transformer.h.0.attn.c_attn.weight', 'transformer.h.0.attn.c_attn.bias',
      'transformer.h.0.attn.c_proj.weight', 'transformer.h.0.attn.c_proj.bias',
      'transformer.h.0.ln_2.weight', 'transformer.h.0.ln_2.bias',
      'transformer.h.0.mlp.c_fc.weight', 'transformer.h.0.mlp.c_fc.bias',
      'transformer.h.0.mlp.c_proj.weight', 'transformer.h.0.mlp.c_proj.bias',
      'transformer.ln_f.weight', 'transformer.ln_f.bias', 'lm_head.weight',
    ]);
    expect(sd['lm_head.weight']).toBe(sd['transformer.wte.weight']);
    expect(gpt.parameters()).toHaveLength(16); // the tied weight counted once
    const other = new GPT({ ...tiny, nLayer: 1, generator: new Generator(5) });
    other.loadStateDict(sd, { strict: true });
    const x = ids([[1, 2, 3]]);
    expectClose(other.forward(x), gpt.forward(x));
  });

  for (const positional of ['learned', 'rotary'] as const) {
    for (const needWeights of [true, false]) {
      it(`gives identical logits with and without the KV cache, token by token (${positional} positions, ${needWeights ? 'with weights' : 'fused, no weights'})`, () => {
        const gpt = new GPT({ ...tiny, positional, generator: new Generator(1) }).eval();
        const seq = ids([[1, 4, 2, 6, 0, 3, 5], [2, 2, 1, 0, 6, 4, 4]]);
        noGrad(() => {
          const full = gpt.forwardWithCache(seq, [], { needWeights }); // [2, 7, V]
          expect(full.attention).toHaveLength(needWeights ? 2 : 0);
          let out = gpt.forwardWithCache(seq.narrow(1, 0, 3), [], { needWeights }); // a 3-token prompt, then one at a time
          expect(out.logits.dataSync()).toEqual(full.logits.narrow(1, 0, 3).dataSync());
          for (let t = 3; t < 7; t++) {
            out = gpt.forwardWithCache(seq.narrow(1, t, 1), out.cache, { needWeights });
            expect(out.cache[0]!.k.shape).toEqual([2, 2, t + 1, 8]);
            expect(out.logits.dataSync()).toEqual(full.logits.narrow(1, t, 1).dataSync());
          }
        });
      });
    }
  }

  it('forward (fused attention, no weights) equals forwardWithCache with weights within float rounding', () => {
    const gpt = new GPT({ ...tiny, generator: new Generator(1) }).eval();
    const seq = ids([[1, 4, 2, 6, 0, 3, 5], [2, 2, 1, 0, 6, 4, 4]]);
    noGrad(() => expectClose(gpt.forward(seq), gpt.forwardWithCache(seq).logits, { atol: 1e-5, rtol: 1e-5 }));
  });

  it('generates the same tokens from the cached and the uncached stepper, without leaking tensors', () => {
    const gpt = new GPT({ ...tiny, generator: new Generator(2) }).eval();
    const prompt = ids([[1, 2], [3, 4]]);
    const before = memory().numTensors;
    const cached = greedyDecode(gpt.stepper(), { prompt, maxNewTokens: 8 });
    const uncached = greedyDecode(gpt.stepper({ useCache: false }), { prompt, maxNewTokens: 8 });
    expect(cached.toArray()).toEqual(uncached.toArray());
    const sampled = [true, false].map((useCache) => {
      const out = sample(gpt.stepper({ useCache }), { prompt, maxNewTokens: 8, seed: 4, topP: 0.9 });
      const rows = out.toArray();
      out.dispose();
      return rows;
    });
    expect(sampled[0]).toEqual(sampled[1]);
    cached.dispose();
    uncached.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('returns causal attention weights per layer and head: rows sum to 1, nothing above the diagonal', () => {
    const gpt = new GPT({ ...tiny, generator: new Generator(3) });
    const { attention } = gpt.forwardWithCache(ids([[1, 2, 3, 4]]));
    expect(attention.map((w) => w.shape)).toEqual([[1, 2, 4, 4], [1, 2, 4, 4]]);
    const w = attention[0]!.toArray() as number[][][][];
    for (const head of w[0]!) head.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
      row.forEach((p, j) => { if (j > i) expect(p).toBe(0); });
    });
  });

  it("loads nanoGPT's state dict strictly and matches the numpy reference logits", () => {
    const { config, inputs, stateDict, outputs } = loadFixture('gpt');
    const gpt = new GPT({ vocabSize: config.vocab_size as number, blockSize: config.block_size as number, nLayer: config.n_layer as number, nHead: config.n_head as number, nEmbd: config.n_embd as number }).eval();
    gpt.loadStateDict(stateDict, { strict: true });
    expect(Object.keys(gpt.stateDict()).sort()).toEqual(Object.keys(stateDict).sort());
    expectClose(gpt.forward(inputs.idx!), outputs.logits!, { atol: 2e-5, rtol: 1e-4 });
  });

  it('passes gradCheck through a block', () => {
    const block = new Block({ ...tiny, nEmbd: 8 });
    gradCheck((x) => block.forward(x).y, [randn([1, 3, 8])]);
  });

  it('names the block size when a sequence is too long', () => {
    const gpt = new GPT(tiny);
    expect(() => gpt.forward(ids([Array.from({ length: 13 }, () => 1)]))).toThrow(ShapeError);
    expect(() => gpt.forward(ids([Array.from({ length: 13 }, () => 1)]))).toThrow(/GPT\.forward: positions 0\.\.12 exceed blockSize = 12/);
    expect(() => gpt.forward(tensor([[1, 2]]))).toThrow(/GPT\.forward: idx must be int32 token ids, got float32/);
  });

  it('overfits a copy task (x SEP x) to ≥ 99 % token accuracy and then generates the copies', () => {
    const SEP = 4;
    const data = randomRows(16, 4, 0, 4, 7).map((r) => [...r, SEP, ...r]);
    const x = ids(data.map((r) => r.slice(0, -1)));
    const y = ids(data.map((r) => r.slice(1).map((t, j) => (j < 4 ? -100 : t)))); // score the copy only
    const gpt = new GPT({ vocabSize: 5, blockSize: 9, nLayer: 1, nHead: 2, nEmbd: 32, generator: new Generator(0) });
    const accuracy = () => {
      const pred = (gpt.forward(x).argmax(-1).toArray() as number[][]);
      return tokenAccuracy(pred, y.toArray() as number[][], -100);
    };
    const steps = train(gpt, () => crossEntropy(gpt.forward(x).reshape([-1, 5]), y.reshape([-1])), () => accuracy() >= 0.99);
    expect(accuracy()).toBeGreaterThanOrEqual(0.99);
    const out = greedyDecode(gpt.eval().stepper(), { prompt: ids(data.map((r) => r.slice(0, 5))), maxNewTokens: 4 }).toArray() as number[][];
    expect(tokenAccuracy(out, data)).toBeGreaterThanOrEqual(0.99);
    expect(steps).toBeLessThan(400);
  });
});

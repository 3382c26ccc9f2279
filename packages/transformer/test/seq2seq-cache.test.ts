// The encoder–decoder's KV cache against the uncached stepper (the decoder re-run over the whole
// prefix): same next-token logits at every step, same greedy and beam outputs, no tensor kept
// between steps beyond the cache, and PyTorch's decoder layer reproduced one position at a time.
import { describe, expect, it } from 'vitest';
import { Generator, memory, noGrad, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose } from '@qkv/tensor-core/testing';
import { Seq2SeqTransformer, TransformerDecoderLayer, beamSearch, decoderStepMasks, greedyDecode } from '../src/index.js';
import type { Activation, DecodeStepper, Seq2SeqState } from '../src/index.js';
import { loadFixture } from './fixtures.js';
import { ids } from './helpers.js';

const [PAD, BOS, EOS] = [0, 1, 2];
const V = 11;
// three sources of 7, 3 and 2 tokens, padded to 7
const sources = [[5, 3, 9, 4, 7, 6, 8], [4, 4, 6, PAD, PAD, PAD, PAD], [10, 3, PAD, PAD, PAD, PAD, PAD]];
const [L, E] = [2, 16];

/** A small random model, with dropout that only eval() turns off. */
function randomModel(normFirst: boolean, seed: number): Seq2SeqTransformer {
  const config = { srcVocabSize: V, tgtVocabSize: V, dModel: E, nhead: 4, numEncoderLayers: 2, numDecoderLayers: L, dimFeedforward: 32, dropout: 0.1, normFirst };
  return new Seq2SeqTransformer({ ...config, generator: new Generator(seed) }).eval();
}

const bosColumn = () => ids(sources.map(() => [BOS]));

for (const normFirst of [false, true]) {
  describe(`Seq2SeqTransformer.stepper with the KV cache (${normFirst ? 'pre-norm' : 'post-norm'})`, () => {
    it('gives the uncached next-token logits within 1e-5 at every step, from a two-token prompt on, target padding included', () => {
      const model = randomModel(normFirst, 1);
      tidy(() => noGrad(() => {
        const src = ids(sources);
        const cached = model.stepper(src);
        const reference = model.stepper(src, { useCache: false });
        let [a, b] = [cached.init(3), reference.init(3)];
        expect(a.memory).toBeNull(); // the cache holds the memory's projections instead
        let tokens = ids([[BOS, 7], [BOS, 4], [BOS, 9]]);
        // what each row is fed after the prompt: the reference's argmax, except a PAD (a masked key from then on) and an EOS
        const forced = new Map([[2, [PAD, 5, 6]], [4, [8, EOS, PAD]]]);
        for (let step = 0; step < 8; step++) {
          const x = cached.step(tokens, a);
          const y = reference.step(tokens, b);
          expectClose(x.logits, y.logits, { atol: 1e-5, rtol: 0 });
          [a, b] = [x.state, y.state];
          const t = a.prefix!.shape[1]!;
          expect(a.cache!.map((layer) => layer.self!.key.shape)).toEqual(Array(L).fill([3, 4, t, E / 4]));
          tokens = ids((forced.get(step) ?? (y.logits.argmax(-1).toArray() as number[])).map((tok) => [tok]));
        }
      }));
    });

    it('greedy-decodes padded sources of different lengths to the same tokens with and without the cache', () => {
      const model = randomModel(normFirst, normFirst ? 1 : 2); // seeds whose random models emit varied tokens, PAD among them
      const decode = (useCache: boolean) =>
        tidy(() => greedyDecode(model.stepper(ids(sources), { useCache }), { prompt: bosColumn(), maxNewTokens: 12, eosId: EOS }).toArray() as number[][]);
      const cached = decode(true);
      expect(new Set(cached.flat()).size).toBeGreaterThan(3); // not a degenerate constant output
      expect(cached.flatMap((row) => row.slice(1))).toContain(PAD); // generated PADs are masked keys on both paths
      expect(cached).toEqual(decode(false));
    });

    it('beam-searches (beamWidth 3) to the same hypotheses with and without the cache, reordering every cached row', () => {
      const model = randomModel(normFirst, 3);
      const search = (useCache: boolean) => tidy(() => beamSearch(model.stepper(ids(sources), { useCache }), { prompt: bosColumn(), maxNewTokens: 10, eosId: EOS, beamWidth: 3 }));
      const cached = search(true);
      const reference = search(false);
      expect(cached.map((row) => row.map((h) => h.tokens))).toEqual(reference.map((row) => row.map((h) => h.tokens)));
      cached.flat().forEach((h, i) => expect(h.logProb).toBeCloseTo(reference.flat()[i]!.logProb, 4));
    });
  });
}

describe('the KV cache and memory', () => {
  /** Wraps `stepper` to record the live tensors and bytes each time a step begins. */
  function recording<S>(stepper: DecodeStepper<S>, seen: { numTensors: number; numBytes: number }[]): DecodeStepper<S> {
    return { ...stepper, step: (tokens: Tensor, state: S) => (seen.push(memory()), stepper.step(tokens, state)) };
  }

  it('keeps nothing between the steps of a 50-step greedy decode but the grown cache, and frees everything at the end', () => {
    const model = randomModel(false, 4);
    const N = sources.length;
    const before = memory();
    const seen: { numTensors: number; numBytes: number }[] = [];
    tidy(() => {
      greedyDecode(recording(model.stepper(ids(sources)), seen), { prompt: bosColumn(), maxNewTokens: 50 });
    });
    expect(seen).toHaveLength(50);
    // per step: one more key and value row per layer ([N, H, 1, D] each, f32), one more prefix column
    // (int32), and the token column the loop feeds (int32, which it holds until the end); nothing else
    const growth = 2 * L * N * E * 4 + N * 4 + N * 4;
    for (let i = 3; i < seen.length; i++) {
      expect(seen[i]!.numTensors - seen[i - 1]!.numTensors).toBe(1);
      expect(seen[i]!.numBytes - seen[i - 1]!.numBytes).toBe(growth);
    }
    expect(memory().numTensors).toBe(before.numTensors);
    expect(memory().numBytes).toBe(before.numBytes);
  });

  it('frees every selected (reordered) cache of a beam search', () => {
    const model = randomModel(true, 5);
    const before = memory().numTensors;
    tidy(() => {
      beamSearch(model.stepper(ids(sources)), { prompt: bosColumn(), maxNewTokens: 20, beamWidth: 3 });
    });
    expect(memory().numTensors).toBe(before);
  });

  it('rejects a cache of another batch size, naming both', () => {
    const model = randomModel(false, 6);
    tidy(() => noGrad(() => {
      const stepper = model.stepper(ids(sources));
      const state: Seq2SeqState = stepper.init(3);
      expect(() => stepper.step(ids([[BOS], [BOS]]), state)).toThrow('TransformerDecoder.forwardWithCache: tgt must have the cache\'s 3 rows, got tgt [2,1,16]');
    }));
  });
});

describe('TransformerDecoderLayer.forwardWithCache against the numpy reference of PyTorch', () => {
  for (const name of ['decoder_layer_post_relu', 'decoder_layer_pre_gelu']) {
    it(`${name}: fed one position at a time (sequence-first), reproduces the causal forward's output`, () => {
      const { config, inputs, stateDict, outputs } = loadFixture(name);
      const layer = new TransformerDecoderLayer(config.d_model as number, config.nhead as number, {
        dimFeedforward: config.dim_feedforward as number, normFirst: config.norm_first as boolean, activation: config.activation as Activation,
      }).eval();
      layer.loadStateDict(stateDict, { strict: true });
      const { tgt, memory: mem, memory_key_padding_mask: memoryPadding, tgt_key_padding_mask: tgtPadding } = inputs;
      const T = tgt!.shape[0]!; // [T, N, E]
      let cache = layer.cacheMemory(mem!);
      const rows: Tensor[] = [];
      for (let t = 0; t < T; t++) {
        const masks = decoderStepMasks(t, 1, tgtPadding ? tgtPadding.narrow(1, 0, t + 1) : null, memoryPadding!);
        const out = layer.forwardWithCache(tgt!.narrow(0, t, 1), cache, masks);
        rows.push(out.output);
        cache = out.cache;
      }
      expect(cache.self!.key.shape).toEqual([2, 2, T, 4]);
      expectClose(tensor(rows.map((r) => r.toArray() as number[][][]).flat()), outputs.output!, { atol: 2e-5, rtol: 1e-4 });
    });
  }
});

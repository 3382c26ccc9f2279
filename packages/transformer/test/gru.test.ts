import { describe, expect, it } from 'vitest';
import { crossEntropy } from '@qkv/nn';
import { Generator, memory, randn, tensor, tidy } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import { Seq2SeqGRU, beamSearch, greedyDecode } from '../src/index.js';
import type { RNNAttentionKind } from '../src/index.js';
import { ids, randomRows, tokenAccuracy, train } from './helpers.js';

const [PAD, BOS, EOS] = [0, 1, 2];
const small = { srcVocabSize: 8, tgtVocabSize: 8, embedDim: 8, hiddenSize: 16 };

describe('Seq2SeqGRU', () => {
  it("names parameters as PyTorch's GRU and the tutorials' attention layers", () => {
    const keys = Object.keys(new Seq2SeqGRU(small).stateDict());
    expect(keys).toContain('encoder.rnn.weight_ih_l0_reverse');
    expect(keys).toContain('decoder.attention.Wa.weight');
    expect(keys).toContain('decoder.attention.Va.weight');
    expect(keys).toContain('decoder.gru.weight_hh');
    const luong = Object.keys(new Seq2SeqGRU({ ...small, attention: 'luong-general' }).stateDict());
    expect(luong).toContain('decoder.concat.weight');
    expect(() => new Seq2SeqGRU({ ...small, attention: 'luong' as RNNAttentionKind })).toThrow(/Seq2SeqGRU: attention must be 'bahdanau', 'luong-dot' or 'luong-general', got 'luong'/);
  });

  for (const attention of ['bahdanau', 'luong-dot'] as const) {
    it(`${attention}: without teacher forcing, forward feeds back its argmax, which is greedy decoding`, () => {
      const model = new Seq2SeqGRU({ ...small, attention, generator: new Generator(1) });
      const src = ids([[3, 4, 5, 0], [6, 7, 3, 4]]);
      const free = model.forward(src, ids([[BOS, 0, 0, 0, 0], [BOS, 0, 0, 0, 0]]), { teacherForcingRatio: 0 });
      const greedy = greedyDecode(model.stepper(src), { prompt: ids([[BOS], [BOS]]), maxNewTokens: 5 }).toArray() as number[][];
      expect(free.argmax(-1).toArray()).toEqual(greedy.map((r) => r.slice(1)));
    });
  }

  it('puts zero attention on padded source positions and returns one weight row per target step', () => {
    const model = new Seq2SeqGRU({ ...small, generator: new Generator(2) });
    const { attention } = model.forwardWithAttention(ids([[3, 4, 0, 0]]), ids([[BOS, 5, 6]]));
    expect(attention.shape).toEqual([1, 3, 4]);
    for (const row of (attention.toArray() as number[][][])[0]!) {
      expect([row[2], row[3]]).toEqual([0, 0]);
      expect(row[0]! + row[1]!).toBeCloseTo(1, 5);
    }
  });

  for (const attention of ['bahdanau', 'luong-general'] as const) {
    it(`${attention}: a word's logits do not depend on its batch-mates (the encoder stops at each row's padding)`, () => {
      const model = new Seq2SeqGRU({ ...small, attention, generator: new Generator(7) });
      const tgtIn = ids([[BOS, 5, 6]]);
      const alone = model.forward(ids([[3, 4]]), tgtIn); // no padding at all
      const batched = model.forward(ids([[3, 4, 0, 0, 0], [6, 7, 3, 4, 5]]), ids([[BOS, 5, 6], [BOS, 5, 6]]));
      expectClose(batched.select(0, 0), alone.select(0, 0), { atol: 1e-6, rtol: 1e-5 });
      const enc = model.encoder.forward(ids([[3, 4, 0]])).outputs.toArray() as number[][][];
      expect(enc[0]![2]!.every((v) => v === 0)).toBe(true); // outputs at the padding are 0, as pad_packed_sequence
    });
  }

  it('gives the stepper the teacher-forced logits when fed the same prefix', () => {
    const model = new Seq2SeqGRU({ ...small, attention: 'luong-general', generator: new Generator(3) });
    const src = ids([[3, 4, 5]]);
    const tgtIn = ids([[BOS, 6, 7]]);
    const forced = model.forward(src, tgtIn);
    const stepper = model.stepper(src);
    const { logits } = stepper.step(tgtIn, stepper.init(1));
    expectClose(logits, forced.select(1, 2));
  });

  it('passes gradCheck through a Bahdanau and a Luong decoder step', () => {
    for (const attention of ['bahdanau', 'luong-general'] as const) {
      const model = new Seq2SeqGRU({ ...small, embedDim: 4, hiddenSize: 4, attention, generator: new Generator(4) });
      const keysDim = attention === 'bahdanau' ? 8 : 4;
      const mask = tensor([[false, false, true]]);
      gradCheck((h, enc) => model.decoder.step(ids([[5]]).reshape([1]), h, enc, mask).logits, [randn([1, 4]), randn([1, 3, keysDim])]);
    }
  });

  for (const attention of ['bahdanau', 'luong-dot', 'luong-general'] as const) {
    it(`${attention}: overfits sequence reversal to ≥ 99 % token accuracy; greedy and beam search reproduce it`, () => {
      const data = randomRows(16, 4, 3, 8, 12);
      const src = ids(data);
      const tgtIn = ids(data.map((r) => [BOS, ...[...r].reverse()]));
      const tgtOut = data.map((r) => [...[...r].reverse(), EOS]);
      const model = new Seq2SeqGRU({ ...small, embedDim: 16, hiddenSize: 32, attention, generator: new Generator(5) });
      const accuracy = () => tokenAccuracy(model.forward(src, tgtIn).argmax(-1).toArray() as number[][], tgtOut);
      train(model, () => crossEntropy(model.forward(src, tgtIn).reshape([-1, 8]), ids(tgtOut).reshape([-1]), { ignoreIndex: PAD }), () => accuracy() >= 0.99);
      expect(accuracy()).toBeGreaterThanOrEqual(0.99);
      const bos = ids(data.map(() => [BOS]));
      const before = memory().numTensors;
      const greedy = tidy(() => greedyDecode(model.stepper(src), { prompt: bos, maxNewTokens: 5, eosId: EOS }).toArray() as number[][]);
      expect(tokenAccuracy(greedy.map((r) => r.slice(1)), tgtOut)).toBeGreaterThanOrEqual(0.99);
      const beams = tidy(() => beamSearch(model.stepper(src), { prompt: bos, maxNewTokens: 5, eosId: EOS, beamWidth: 3 }));
      expect(tokenAccuracy(beams.map((h) => h[0]!.tokens), tgtOut)).toBeGreaterThanOrEqual(0.99);
      expect(memory().numTensors).toBe(before);
    });
  }
});

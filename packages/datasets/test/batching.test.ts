import { CharTokenizer } from '@qkv/tokenizer';
import { describe, expect, it } from 'vitest';
import {
  batchOrder,
  type ImageSet,
  imageBatches,
  languageModelBatches,
  padTexts,
  seq2seqBatches,
  textClassificationBatches,
} from '../src/index.js';

const chars = CharTokenizer.fromAlphabet('abcdefghij'); // <pad>=0 <sos>=1 <eos>=2 <unk>=3, a=4 …
const PAD = 0;
const SOS = 1;
const EOS = 2;
const id = (ch: string) => ch.charCodeAt(0) - 97 + 4;

describe('batchOrder', () => {
  it('visits every row exactly once per epoch, in batches of batchSize', () => {
    const batches = batchOrder(10, { batchSize: 4, seed: 3 });
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(batches.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('repeats for the same (seed, epoch) and changes with the epoch', () => {
    const order = (epoch: number) => batchOrder(100, { batchSize: 10, seed: 3, epoch }).flat();
    expect(order(2)).toEqual(order(2));
    expect(order(2)).not.toEqual(order(3));
  });

  it('keeps the input order without shuffle and can drop a short last batch', () => {
    expect(batchOrder(5, { batchSize: 2, shuffle: false })).toEqual([[0, 1], [2, 3], [4]]);
    expect(batchOrder(5, { batchSize: 2, shuffle: false, dropLast: true })).toEqual([[0, 1], [2, 3]]);
    expect(() => batchOrder(5, { batchSize: 0 })).toThrow(/^batchOrder: expected batchSize to be an integer ≥ 1, got 0/);
  });

  it('buckets rows of similar length when given lengths, still visiting every row once per epoch', () => {
    const n = 1000;
    const lengths = Array.from({ length: n }, (_, i) => 2 + ((i * 7919) % 19)); // 2…20, well mixed
    const padded = (batches: number[][]) => batches.reduce((s, b) => s + b.length * Math.max(...b.map((i) => lengths[i]!)), 0);
    const real = lengths.reduce((a, b) => a + b, 0);
    const plain = batchOrder(n, { batchSize: 32, seed: 1 });
    const bucketed = batchOrder(n, { batchSize: 32, seed: 1, lengths, poolBatches: 8 });
    expect(bucketed.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(bucketed.map((b) => b.length).filter((l) => l !== 32)).toHaveLength(1); // one short batch
    // random batches pad nearly every row to ~20; a pool of 8 batches sorted by length spreads 19 lengths
    // over 8 batches, so a batch spans about 3 lengths: padding falls from ~75 % of the real tokens to < 15 %
    expect(padded(plain) / real).toBeGreaterThan(1.6);
    expect(padded(bucketed) / real).toBeLessThan(1.15);
    // deterministic per (seed, epoch), different across epochs, and short batches do not all come first
    expect(batchOrder(n, { batchSize: 32, seed: 1, lengths, poolBatches: 8 })).toEqual(bucketed);
    expect(batchOrder(n, { batchSize: 32, seed: 1, lengths, poolBatches: 8, epoch: 1 })).not.toEqual(bucketed);
    const firstMax = bucketed.slice(0, 8).map((b) => Math.max(...b.map((i) => lengths[i]!)));
    expect(new Set(firstMax).size).toBeGreaterThan(3);
    expect(() => batchOrder(3, { batchSize: 2, lengths: [1, 2] })).toThrow(/^batchOrder: expected lengths to have one entry per row \(3\), got 2$/);
  });
});

describe('padTexts', () => {
  it('pads to the longest row with the pad id and marks real tokens with 1', () => {
    const { ids, mask, shape } = padTexts(chars, ['abc', 'a', '']);
    expect(shape).toEqual([3, 3]);
    expect([...ids]).toEqual([id('a'), id('b'), id('c'), id('a'), PAD, PAD, PAD, PAD, PAD]);
    expect([...mask]).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('adds <sos>/<eos> and truncates to maxLength when asked', () => {
    const { ids, shape } = padTexts(chars, ['abcdef'], { addSpecialTokens: true, maxLength: 4 });
    expect(shape).toEqual([1, 4]);
    expect([...ids]).toEqual([SOS, id('a'), id('b'), EOS]);
  });
});

describe('seq2seqBatches', () => {
  const pairs = [
    { source: 'abc', target: 'cba' },
    { source: 'a', target: 'a' },
    { source: 'hij', target: 'jih' },
    { source: 'de', target: 'ed' },
    { source: 'f', target: 'f' },
  ];

  it('yields [B, S] sources and [B, T] <sos>…<eos> targets whose masks count the real tokens', () => {
    const batches = [...seq2seqBatches(pairs, { source: chars, target: chars }, { batchSize: 2, seed: 1 })];
    expect(batches.map((b) => b.src.shape[0])).toEqual([2, 2, 1]);
    for (const { src, tgt, indices } of batches) {
      const [B, S] = src.shape;
      const T = tgt.shape[1];
      for (let b = 0; b < B; b++) {
        const pair = pairs[indices[b]!]!;
        const srcRow = [...src.ids.subarray(b * S, (b + 1) * S)];
        const tgtRow = [...tgt.ids.subarray(b * T, (b + 1) * T)];
        expect(src.mask.subarray(b * S, (b + 1) * S).reduce((n, m) => n + m, 0)).toBe(pair.source.length);
        expect(tgt.mask.subarray(b * T, (b + 1) * T).reduce((n, m) => n + m, 0)).toBe(pair.target.length + 2);
        expect(chars.decode(srcRow, { skipSpecialTokens: true })).toBe(pair.source);
        expect(tgtRow[0]).toBe(SOS);
        expect(tgtRow[pair.target.length + 1]).toBe(EOS);
        expect(chars.decode(tgtRow, { skipSpecialTokens: true })).toBe(pair.target);
      }
      expect(S).toBe(Math.max(...indices.map((i) => pairs[i]!.source.length))); // padded per batch, not globally
    }
  });
});

describe('textClassificationBatches', () => {
  it('pads and truncates texts and carries their labels', () => {
    const items = [{ text: 'abcdefghij', label: 1 }, { text: 'ab', label: 0 }];
    const [batch] = [...textClassificationBatches(items, chars, { batchSize: 2, shuffle: false, maxLength: 4 })];
    expect(batch!.input.shape).toEqual([2, 4]);
    expect([...batch!.labels]).toEqual([1, 0]);
    expect([...batch!.input.mask]).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
  });
});

describe('imageBatches', () => {
  it('copies the images of each batch with shape [B, H, W] and their labels', () => {
    const set: ImageSet = { images: Float32Array.from({ length: 3 * 4 }, (_, i) => i), labels: Int32Array.from([7, 8, 9]), shape: [3, 2, 2] };
    const batches = [...imageBatches(set, { batchSize: 2, seed: 5 })];
    for (const { input, labels, indices } of batches) {
      expect(input.shape).toEqual([indices.length, 2, 2]);
      indices.forEach((i, row) => {
        expect(labels[row]).toBe(set.labels[i]);
        expect([...input.data.subarray(row * 4, row * 4 + 4)]).toEqual([4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3]);
      });
    }
  });
});

describe('languageModelBatches', () => {
  it('cuts the stream into windows whose targets are the inputs shifted by one', () => {
    const stream = Array.from({ length: 23 }, (_, i) => i);
    const batches = [...languageModelBatches(stream, { blockSize: 5, batchSize: 3, seed: 0 })];
    expect(batches.flatMap((b) => b.starts).sort((a, b) => a - b)).toEqual([0, 5, 10, 15]); // 22 = last usable target
    for (const { input, target, starts } of batches) {
      expect(input.shape).toEqual([starts.length, 5]);
      starts.forEach((start, b) => {
        expect([...input.ids.subarray(b * 5, b * 5 + 5)]).toEqual([start, start + 1, start + 2, start + 3, start + 4]);
        expect([...target.ids.subarray(b * 5, b * 5 + 5)]).toEqual([start + 1, start + 2, start + 3, start + 4, start + 5]);
      });
    }
  });
});

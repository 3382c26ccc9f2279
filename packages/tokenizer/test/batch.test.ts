import { describe, expect, it } from 'vitest';
import { BPETokenizer, TokenizerError, WordTokenizer } from '../src/index.js';

// Ids: <pad> 0, <sos> 1, <eos> 2, <unk> 3, then a 4, b 5, c 6 (all seen twice, so that order).
const tok = WordTokenizer.fromCorpus('a a b b c c');

describe('encodeBatch', () => {
  it("pads to the longest row with <pad>; attentionMask is 1 on real tokens, 0 on padding", () => {
    const batch = tok.encodeBatch(['a b c', 'a', 'b c']);
    expect(batch.inputIds).toEqual([[4, 5, 6], [4, 0, 0], [5, 6, 0]]);
    expect(batch.attentionMask).toEqual([[1, 1, 1], [1, 0, 0], [1, 1, 0]]);
    expect(batch.lengths).toEqual([3, 1, 2]);
    // The mask is exactly "not a pad" here, what paddingMask(ids, padId) inverts.
    expect(batch.attentionMask).toEqual(batch.inputIds.map((row) => row.map((id) => Number(id !== 0))));
  });

  it("pads to maxLength with padding: 'max_length', and on the left on request", () => {
    const batch = tok.encodeBatch(['a', 'b c'], { padding: 'max_length', maxLength: 4, paddingSide: 'left' });
    expect(batch.inputIds).toEqual([[0, 0, 0, 4], [0, 0, 5, 6]]);
    expect(batch.attentionMask).toEqual([[0, 0, 0, 1], [0, 0, 1, 1]]);
  });

  it('truncates to maxLength while keeping <sos> and <eos>', () => {
    const batch = tok.encodeBatch(['a b c a b', 'c'], { addSpecialTokens: true, truncation: true, maxLength: 4 });
    expect(batch.inputIds).toEqual([[1, 4, 5, 2], [1, 6, 2, 0]]);
    expect(batch.specialTokensMask).toEqual([[1, 0, 0, 1], [1, 0, 1, 1]]);
  });

  it('returns offsets when asked, [0, 0] on padding', () => {
    const batch = tok.encodeBatch(['a b', 'c'], { returnOffsets: true, addSpecialTokens: true });
    expect(batch.offsets).toEqual([[[0, 0], [0, 1], [2, 3], [0, 0]], [[0, 0], [0, 1], [0, 0], [0, 0]]]);
  });

  it('refuses a row longer than maxLength unless truncation is on', () => {
    expect(() => tok.encodeBatch(['a b c'], { maxLength: 2 })).toThrow(
      new TokenizerError('encodeBatch: expected text 0 to have at most maxLength = 2 tokens, got 3; pass truncation: true to cut it'),
    );
  });

  it("needs maxLength for 'max_length' and a pad token (or padId) to pad", () => {
    expect(() => tok.encodeBatch(['a'], { padding: 'max_length' })).toThrow(/expected maxLength with padding: 'max_length'/);
    const noPad = BPETokenizer.train('ab ab', { vocabSize: 300, specialTokens: { eos: '<eos>' } });
    expect(() => noPad.encodeBatch(['ab', 'ab ab'])).toThrow(/expected a pad token to pad with, got none/);
    expect(noPad.encodeBatch(['ab', 'ab ab'], { padId: 0 }).inputIds[0]!.at(-1)).toBe(0);
  });
});

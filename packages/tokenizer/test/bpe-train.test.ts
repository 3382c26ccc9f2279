import { describe, expect, it } from 'vitest';
import { BPETokenizer, TokenizerError } from '../src/index.js';

// Ids of a trained tokenizer: <pad> <sos> <eos> <unk> = 0…3, then byte b = 4 + b, then merges.
const byte = (ch: string) => 4 + ch.charCodeAt(0);

describe('BPETokenizer.train', () => {
  // Worked by hand on "aaabdaaabac" (one GPT-2 piece): counts aa 4, ab 2 → merge a+a (id 260);
  // then aa+a 2 and a+b 2 tie → the smaller left id wins: a+b (261); then aa+ab 2 → aaab (262);
  // every remaining pair occurs once, below minFrequency 2.
  it('learns the merges worked out by hand, most frequent pair first, ties by smaller ids', () => {
    const tok = BPETokenizer.train('aaabdaaabac', { vocabSize: 1000 });
    expect(tok.merges()).toEqual([['a', 'a'], ['a', 'b'], ['aa', 'ab']]);
    expect(tok.vocabSize).toBe(263);
    expect(tok.encode('aaabdaaabac')).toEqual([262, byte('d'), 262, byte('a'), byte('c')]);
  });

  it('stops at vocabSize', () => {
    const tok = BPETokenizer.train('aaabdaaabac', { vocabSize: 4 + 256 + 2 });
    expect(tok.merges()).toEqual([['a', 'a'], ['a', 'b']]);
    expect(tok.vocabSize).toBe(262);
  });

  it('learns across pieces, with the leading space that GPT-2 keeps on words', () => {
    const tok = BPETokenizer.train(['low lower lowest', 'low low'], { vocabSize: 300 });
    expect(tok.tokenToId('Ġlow')).toBeDefined();
    expect(tok.encode(' low')).toEqual([tok.tokenToId('Ġlow')]);
    expect(tok.decode(tok.encode('lowest 안녕'))).toBe('lowest 안녕');
  });

  it('never spells a special token out of ordinary text', () => {
    const tok = BPETokenizer.train(Array(50).fill('<pad> <eos>'), { vocabSize: 400 });
    expect(tok.encode('<pad>')).not.toContain(tok.specialTokens.pad);
    expect(tok.decode(tok.encode('<pad>'))).toBe('<pad>');
    expect(tok.encode('a<eos>', { parseSpecialTokens: true })).toEqual([byte('a'), tok.specialTokens.eos]);
  });

  it('rejects a vocabSize too small for the specials and 256 bytes', () => {
    expect(() => BPETokenizer.train('x', { vocabSize: 100 })).toThrow(
      new TokenizerError('BPETokenizer.train: expected vocabSize to be an integer ≥ 260 (specials + 256 bytes), got 100'),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CharTokenizer, TokenizerError, WordTokenizer } from '../src/index.js';

describe('CharTokenizer', () => {
  const tok = CharTokenizer.fromCorpus('hello 안녕 😀');

  it('puts <pad> <sos> <eos> <unk> at ids 0…3, then characters by frequency (ties in code-unit order)', () => {
    expect(tok.vocab.tokens().slice(0, 6)).toEqual(['<pad>', '<sos>', '<eos>', '<unk>', ' ', 'l']);
    expect(tok.specialTokens).toMatchObject({ pad: 0, sos: 1, eos: 2, unk: 3 });
  });

  it('gives an emoji one token (one code point) and Hangul one token per syllable', () => {
    expect(tok.encodeWithOffsets('안😀').offsets).toEqual([[0, 1], [1, 3]]);
  });

  it('round-trips any string made of its characters, and maps others to <unk>', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'hello 안녕😀'), { maxLength: 30 }), (chars) => {
        const text = chars.join('');
        expect(tok.decode(tok.encode(text))).toBe(text);
      }),
      { numRuns: 1_000 },
    );
    expect(tok.encode('hex')).toEqual([tok.tokenToId('h'), tok.tokenToId('e'), 3]);
  });

  it('round-trips arbitrary strings, lone surrogates included, when built from them', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), fc.integer({ min: 0xd800, max: 0xdfff }), (s, u) => {
        const text = s + String.fromCharCode(u) + s;
        expect(CharTokenizer.fromCorpus(text).decode(CharTokenizer.fromCorpus(text).encode(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('errors on an unknown character when there is no <unk>', () => {
    const strict = CharTokenizer.fromAlphabet('ab', { specialTokens: { pad: '_' } });
    expect(() => strict.encode('abc')).toThrow(
      new TokenizerError('CharTokenizer.encode: expected characters in the vocabulary or an unk token, got "c" (U+0063)'),
    );
  });

  it('keeps the most frequent characters under minFreq and maxSize', () => {
    const small = CharTokenizer.fromCorpus(['aaab', 'bbc', 'd'], { minFreq: 2, maxSize: 1 });
    expect(small.vocab.tokens()).toEqual(['<pad>', '<sos>', '<eos>', '<unk>', 'a']);
  });
});

describe('WordTokenizer', () => {
  const tok = WordTokenizer.fromCorpus(['The cat sat.', 'the dog sat!', 'the cat hat'], { lowercase: true, minFreq: 2 });

  it('keeps words seen at least minFreq times, most frequent first', () => {
    expect(tok.vocab.tokens()).toEqual(['<pad>', '<sos>', '<eos>', '<unk>', 'the', 'cat', 'sat']);
  });

  it('maps unknown words to <unk> and gives spans in the original text', () => {
    const text = 'The DOG sat';
    const enc = tok.encodeWithOffsets(text);
    expect(enc.tokens).toEqual(['the', '<unk>', 'sat']);
    expect(enc.offsets.map(([s, e]) => text.slice(s, e))).toEqual(['The', 'DOG', 'sat']);
  });

  it('keeps inner apostrophes and splits punctuation; decoding joins with spaces', () => {
    const all = WordTokenizer.fromCorpus("we'll see, 서울!");
    expect(all.encodeWithOffsets("we'll see, 서울!").tokens).toEqual(["we'll", 'see', ',', '서울', '!']);
    expect(all.decode(all.encode("we'll see, 서울!", { addSpecialTokens: true }))).toBe("<sos> we'll see , 서울 ! <eos>");
  });
});

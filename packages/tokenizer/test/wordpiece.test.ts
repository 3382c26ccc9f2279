import { describe, expect, it } from 'vitest';
import { basicTokenize, WordPieceTokenizer } from '../src/index.js';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'un', '##aff', '##able', 'hello', 'world', ',', '!', '世', '界', 'cafe', '##s', '한국', '##어', 'Hello'];
const uncased = WordPieceTokenizer.fromTokens(VOCAB);
const tokens = (tok: WordPieceTokenizer, text: string) => tok.encodeWithOffsets(text).tokens;

describe('WordPieceTokenizer (BERT)', () => {
  it("splits 'unaffable' into un ##aff ##able, BERT's own example, with spans in the input", () => {
    const enc = uncased.encodeWithOffsets('unaffable');
    expect(enc.tokens).toEqual(['un', '##aff', '##able']);
    expect(enc.offsets).toEqual([[0, 2], [2, 5], [5, 9]]);
  });

  it('lower-cases, strips accents and splits punctuation, keeping spans on the original text', () => {
    const text = 'Héllo,  WORLD!';
    const enc = uncased.encodeWithOffsets(text);
    expect(enc.tokens).toEqual(['hello', ',', 'world', '!']);
    expect(enc.offsets.map(([s, e]) => text.slice(s, e))).toEqual(['Héllo', ',', 'WORLD', '!']);
    expect(tokens(uncased, 'Cafés')).toEqual(['cafe', '##s']);
  });

  it('puts each CJK ideograph in its own word', () => {
    expect(tokens(uncased, '世界')).toEqual(['世', '界']);
  });

  it('makes a word with any unmatched part one [UNK] covering the whole word', () => {
    const enc = uncased.encodeWithOffsets('hello unaffablez');
    expect(enc.tokens).toEqual(['hello', '[UNK]']);
    expect(enc.offsets[1]).toEqual([6, 16]);
  });

  it('keeps case and Hangul syllables when lowercase is off (multilingual cased)', () => {
    const cased = WordPieceTokenizer.fromTokens(VOCAB, { lowercase: false });
    expect(tokens(cased, 'Hello 한국어')).toEqual(['Hello', '한국', '##어']);
    // Uncased BERT strips accents with NFD, which also splits Hangul syllables into jamo.
    expect(basicTokenize('한국어')[0]!.chars.length).toBe(8);
  });

  it('drops control characters, so their neighbours join, as BERT does', () => {
    expect(tokens(uncased, 'hel\u0000lo wor\u200dld')).toEqual(['hello', 'world']);
  });

  it('wraps in [CLS] … [SEP] on request and decodes ## pieces back into words', () => {
    const ids = uncased.encode('unaffable, world!', { addSpecialTokens: true });
    expect(ids.map((id) => uncased.idToToken(id))).toEqual(['[CLS]', 'un', '##aff', '##able', ',', 'world', '!', '[SEP]']);
    expect(uncased.decode(ids)).toBe('[CLS] unaffable , world ! [SEP]');
    expect(uncased.decode(ids, { skipSpecialTokens: true })).toBe('unaffable , world !');
  });

  it('makes a word longer than maxInputCharsPerWord one [UNK]', () => {
    const tok = WordPieceTokenizer.fromTokens(VOCAB, { maxInputCharsPerWord: 5 });
    expect(tokens(tok, 'hello unaffable')).toEqual(['hello', '[UNK]']);
  });
});

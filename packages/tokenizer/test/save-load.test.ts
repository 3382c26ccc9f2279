import { describe, expect, it } from 'vitest';
import { BPETokenizer, CharTokenizer, loadTokenizer, WordPieceTokenizer, WordTokenizer, type AnyTokenizer } from '../src/index.js';

const text = "Hello, world! 안녕하세요 😀 it's   fine";
const tokenizers: [string, AnyTokenizer][] = [
  ['char', CharTokenizer.fromCorpus(text)],
  ['word', WordTokenizer.fromCorpus(text, { lowercase: true, specialTokens: { pad: '<p>', unk: '<u>', additional: ['<mask>'] } })],
  ['bpe', BPETokenizer.train([text, text], { vocabSize: 300 })],
  ['wordpiece', WordPieceTokenizer.fromTokens(['[UNK]', 'hello', ',', 'world', '!', '##s'], { lowercase: true })],
];

describe.each(tokenizers)('save / load: %s', (_type, tok) => {
  it('reads back a tokenizer that encodes and decodes the same', () => {
    const again = loadTokenizer(tok.save());
    expect(again.constructor).toBe(tok.constructor);
    expect(again.toJSON()).toEqual(tok.toJSON());
    expect(again.encode(text, { addSpecialTokens: true })).toEqual(tok.encode(text, { addSpecialTokens: true }));
    expect(again.decode(again.encode(text))).toBe(tok.decode(tok.encode(text)));
    expect(again.specialTokens.pad).toBe(tok.specialTokens.pad);
  });
});

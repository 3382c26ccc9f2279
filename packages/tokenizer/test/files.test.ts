import { describe, expect, it } from 'vitest';
import { BPETokenizer, loadTokenizer, TokenizerError, WordPieceTokenizer } from '../src/index.js';
import { BYTE_TO_CHAR } from '../src/bpe/byte-unicode.js';

/** A minimal valid byte-level model: 256 bytes plus "he" from merge "h e". */
const bytes = Object.fromEntries(BYTE_TO_CHAR.map((ch, b) => [ch, b]));
const vocab = { ...bytes, he: 256 };
const vocabJson = JSON.stringify(vocab);

const expectError = (fn: () => unknown, message: RegExp) => {
  expect(fn).toThrow(TokenizerError);
  expect(fn).toThrow(message);
};

describe('BPETokenizer.fromFiles with malformed files', () => {
  it('accepts the minimal valid pair of files', () => {
    expect(BPETokenizer.fromFiles(vocabJson, '#version: 0.2\nh e\n').encode('hehe')).toEqual([256, 256]);
  });

  it.each([
    ['{"a": 0,', /^BPETokenizer\.fromFiles: expected vocab\.json to be valid JSON, got a parse error/],
    ['[1, 2]', /expected vocab\.json to be an object of token → id, got an array/],
    ['{"a": "0"}', /expected vocab\.json ids to be integers ≥ 0, got "0" for token "a"/],
    ['{"a": 0, "b": 0}', /expected unique ids in vocab\.json, got id 0 for both "a" and "b"/],
    ['{"a": 0, "b": 2}', /expected vocab\.json ids to be 0…2 without gaps, got no token with id 1/],
    ['{"a": 0}', /expected a byte-level vocabulary with all 256 byte tokens, got none for byte 0x00/],
  ])('vocab.json %s → a clear error', (json, message) => {
    expectError(() => BPETokenizer.fromFiles(json, ''), message);
  });

  it.each([
    ['h e x\n', /expected merges\.txt line 1 to be two tokens separated by one space, got "h e x"/],
    ['#version: 0.2\nhe\n', /expected merges\.txt line 2 to be two tokens separated by one space, got "he"/],
    ['h  e\n', /line 1 to be two tokens separated by one space/],
    ['\nh e\n', /line 1 to be two tokens separated by one space, got ""/],
    ['h zz\n', /expected merges\.txt merge 1 to use vocabulary tokens, got "zz" which is not in the vocabulary/],
    ['e h\n', /expected the result of merges\.txt merge 1 \("eh"\) to be in the vocabulary, got none/],
  ])('merges.txt %j → a clear error', (txt, message) => {
    expectError(() => BPETokenizer.fromFiles(vocabJson, txt), message);
  });
});

describe('BPETokenizer.fromTokenizerJson with malformed files', () => {
  const good = {
    added_tokens: [{ id: 257, content: '<|endoftext|>', special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, use_regex: true },
    model: { type: 'BPE', vocab, merges: [['h', 'e']] },
  };
  const withModel = (model: object) => JSON.stringify({ ...good, model: { ...good.model, ...model } });

  it('reads merges as "a b" strings or [a, b] pairs, and added tokens as specials', () => {
    const tok = BPETokenizer.fromTokenizerJson(JSON.stringify(good));
    expect(tok.encode('he<|endoftext|>', { parseSpecialTokens: true })).toEqual([256, 257]);
    expect(tok.specialTokens.eos).toBe(257);
    expect(BPETokenizer.fromTokenizerJson(withModel({ merges: ['h e'] })).encode('he')).toEqual([256]);
  });

  it.each([
    ['not json', /expected tokenizer\.json to be valid JSON/],
    ['42', /expected tokenizer\.json to be an object, got a number/],
    ['{}', /expected tokenizer\.json to have a "model" object, got an undefined/],
    [withModel({ type: 'WordPiece' }), /expected model\.type "BPE", got "WordPiece" \(use WordPieceTokenizer/],
    [withModel({ merges: 'h e' }), /expected model\.merges to be an array, got a string/],
    [withModel({ merges: [['h']] }), /expected model\.merges\[0\] to be "left right" or \["left", "right"\], got \["h"\]/],
    [withModel({ vocab: null }), /expected model\.vocab to be an object of token → id, got null/],
    [withModel({ dropout: 0.1 }), /BPE dropout is not supported/],
    [withModel({ continuing_subword_prefix: '##' }), /expected model\.continuing_subword_prefix to be empty/],
    [JSON.stringify({ ...good, pre_tokenizer: { type: 'Whitespace' } }), /expected pre_tokenizer \{ type: "ByteLevel"/],
    [JSON.stringify({ ...good, normalizer: { type: 'NFC' } }), /expected normalizer null/],
    [JSON.stringify({ ...good, added_tokens: [{ id: 300, content: 'x' }] }), /expected added_tokens\[0\] to have the next id 257, got 300/],
    [JSON.stringify({ ...good, added_tokens: [{ id: 0, content: 'x' }] }), /expected added_tokens\[0\] id 0 to be free or "x"/],
    [JSON.stringify({ ...good, added_tokens: [{ content: 'x' }] }), /expected added_tokens\[0\] to be \{ id: integer, content: string \}/],
  ])('%s → a clear error', (json, message) => {
    expectError(() => BPETokenizer.fromTokenizerJson(json), message);
  });
});

describe('WordPieceTokenizer.fromVocabTxt with malformed files', () => {
  it.each([
    ['', /expected vocab\.txt to hold at least one token, got an empty file/],
    ['[UNK]\n\nhello\n', /expected a token on vocab\.txt line 2, got an empty line/],
    ['[UNK]\nhello\nhello\n', /expected unique tokens in vocab\.txt, got "hello" on lines 2 and 3/],
  ])('%j → a clear error', (txt, message) => {
    expectError(() => WordPieceTokenizer.fromVocabTxt(txt), message);
  });

  it('accepts CRLF line ends and a missing final newline', () => {
    const tok = WordPieceTokenizer.fromVocabTxt('[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\n[MASK]\r\nhi');
    expect(tok.encode('hi')).toEqual([5]);
  });
});

describe('loadTokenizer with malformed input', () => {
  it.each([
    ['{"type":"gpt"}', /loadTokenizer: expected type 'char' \| 'word' \| 'bpe' \| 'wordpiece', got "gpt"/],
    ['{"type":"bpe","vocab":[]}', /^BPETokenizer\.load: the saved tokenizer merges: expected an array, got undefined$/],
    ['{"type":"char","vocab":["a","a"]}', /^CharTokenizer\.load: the saved tokenizer vocab\[1\]: expected unique tokens \(Vocabulary: "a" is also vocab\[0\]\), got "a"$/],
  ])('%s → a clear error', (json, message) => {
    expectError(() => loadTokenizer(json), message);
  });
});

// Issue 21 for the tokenizer readers: every reader takes names such as __proto__ as ordinary tokens,
// bounds its work, rejects ids it cannot hold, and fails with a TokenizerError naming the public
// function, the file, the field, what it expected and what it got.
import { describe, expect, it } from 'vitest';
import {
  BPETokenizer,
  fromBertVocab,
  fromGpt2Files,
  fromTokenizerJson,
  loadTokenizer,
  TokenizerError,
  vocabAndMergesFromTiktoken,
  WordPieceTokenizer,
  WordTokenizer,
} from '../src/index.js';
import { BYTE_TO_CHAR } from '../src/bpe/byte-unicode.js';

const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
const bytes = BYTE_TO_CHAR.map((c) => c);

/** JSON text of an object whose keys are taken literally (an own "__proto__" key included). */
const objectJson = (entries: [string, number][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

describe('prototype names are ordinary tokens', () => {
  it('vocab.json: GPT-2 files with __proto__ and constructor as tokens', () => {
    const vocab: [string, number][] = [...bytes.map((c, i): [string, number] => [c, i]), ...PROTO_NAMES.map((n, i): [string, number] => [n, 256 + i])];
    const vocabJson = objectJson(vocab); // an own "__proto__" key, as a hostile file would have it
    const gpt2 = fromGpt2Files(vocabJson, '#version: 0.2\n', { specialTokens: PROTO_NAMES });
    expect(gpt2.vocabSize).toBe(256 + PROTO_NAMES.length);
    PROTO_NAMES.forEach((name, i) => {
      expect(gpt2.tokenToId(name), name).toBe(256 + i);
      expect(gpt2.idToToken(256 + i)).toBe(name);
      expect(gpt2.encode(`a${name}b`), name).toEqual([97, 256 + i, 98]);
    });
    const bpe = BPETokenizer.fromFiles(vocabJson, '');
    expect(bpe.tokenToId('__proto__')).toBe(256);
    expect(bpe.decode([256, 257])).toBe('__proto__constructor');
    expect(Object.getPrototypeOf({})).toBe(Object.prototype); // nothing was polluted
  });

  it('vocab.txt and tokenizer.json: WordPiece words named __proto__ and constructor', () => {
    const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', ...PROTO_NAMES.map((n) => n.toLowerCase())];
    const bert = fromBertVocab(vocab.join('\n'));
    expect(bert.encode('constructor tostring', { addSpecialTokens: false })).toEqual([5, 6]);
    expect(bert.tokenToId('__proto__')).toBe(4); // BERT splits '_' off as punctuation, but the token is there
    const json = `{"model":{"type":"WordPiece","unk_token":"[UNK]","vocab":${objectJson(vocab.map((t, i) => [t, i]))}},"pre_tokenizer":{"type":"WhitespaceSplit"}}`;
    expect(fromTokenizerJson(json).encode('tostring __proto__')).toEqual([6, 4]);
    expect(WordPieceTokenizer.fromVocabTxt(vocab.join('\n')).encode('hasownproperty constructor')).toEqual([7, 5]);
  });

  it('saved tokenizers and added tokens: __proto__ as a word and as an added token', () => {
    const words = WordTokenizer.fromCorpus(['__proto__ constructor __proto__ constructor'], { minFreq: 1 });
    const again = loadTokenizer(words.save());
    expect(again.encode('constructor __proto__')).toEqual(words.encode('constructor __proto__'));
    const json = {
      model: { type: 'WordPiece', unk_token: '[UNK]', vocab: { '[UNK]': 0, a: 1 } },
      pre_tokenizer: { type: 'WhitespaceSplit' },
      added_tokens: [{ id: 2, content: '__proto__', special: true }],
    };
    const tok = fromTokenizerJson(json);
    expect(tok.encode('a __proto__ a')).toEqual([1, 2, 1]);
    expect(tok.specialTokens.tokens.get('__proto__')).toBe(2);
  });

  it('tiktoken ranks: the rebuilt vocabulary has no prototype', () => {
    const { vocab } = vocabAndMergesFromTiktoken(`! 0 ${btoa('a')} ${btoa('b')}\n`, { constructor: 9 });
    expect(Object.getPrototypeOf(vocab)).toBeNull();
    expect(vocab.constructor).toBe(9);
  });
});

describe('bounded work and ids', () => {
  it('WordPieceTokenizer.load with maxInputCharsPerWord 1e9 is refused (HF default 100, cap 1000)', () => {
    const saved = JSON.parse(WordPieceTokenizer.fromTokens(['[UNK]', 'a', '##a']).save()) as Record<string, unknown>;
    const load = () => WordPieceTokenizer.load(JSON.stringify({ ...saved, maxInputCharsPerWord: 1e9 }));
    expect(load).toThrow(TokenizerError);
    expect(load).toThrow(/^WordPieceTokenizer\.load: the saved tokenizer maxInputCharsPerWord: expected an integer in \[1, 1000\], got 1000000000$/);
    expect(() => WordPieceTokenizer.fromTokens(['[UNK]'], { maxInputCharsPerWord: 1.5 })).toThrow(/fromTokens: expected options\.maxInputCharsPerWord to be an integer in \[1, 1000\]/);
    const json = { model: { type: 'WordPiece', unk_token: '[UNK]', max_input_chars_per_word: 1e9, vocab: { '[UNK]': 0 } } };
    expect(() => fromTokenizerJson(json)).toThrow(/model\.max_input_chars_per_word: expected an integer in \[1, 1000\], got 1000000000/);
  });

  it('WordPiece still finds the greedy longest match with candidates bounded by the longest token', () => {
    const tok = WordPieceTokenizer.fromTokens(['[UNK]', 'a', '##a', '##aaa'], { maxInputCharsPerWord: 1000 });
    expect(tok.encodeWithOffsets('a'.repeat(8)).tokens).toEqual(['a', '##aaa', '##aaa', '##a']);
    expect(tok.encode('a'.repeat(1000))).toHaveLength(1 + 333);
    expect(tok.encodeWithOffsets('a'.repeat(1001)).tokens).toEqual(['[UNK]']);
  });

  it('ids ≥ 2³², fractional or negative ids are rejected with the file and token, never dropped', () => {
    const base = bytes.map((c, i) => [c, i] as [string, number]);
    expect(() => BPETokenizer.fromFiles(objectJson([...base, ['x', 2 ** 32]]), '')).toThrow(/^BPETokenizer\.fromFiles: expected vocab\.json ids to be below 4000000, got 4294967296 for token "x"$/);
    expect(() => fromGpt2Files(objectJson([...base, ['x', 256.5]]), '')).toThrow(/^fromGpt2Files: expected vocab\.json ids to be integers ≥ 0, got 256\.5 for token "x"$/);
    const json = { model: { type: 'WordPiece', unk_token: '[UNK]', vocab: { '[UNK]': 0, x: -1 } } };
    expect(() => fromTokenizerJson(json)).toThrow(/model\.vocab\["x"\]: expected an integer id in \[0, 3999999\], got -1/);
  });

  it('malformed saved tokenizers name the field', () => {
    const bpe = JSON.parse(BPETokenizer.train(['ab ab ab'], { vocabSize: 262 }).save()) as Record<string, unknown>;
    const load = (patch: Record<string, unknown>) => () => loadTokenizer(JSON.stringify({ ...bpe, ...patch }));
    expect(load({ merges: [['a']] })).toThrow(/^BPETokenizer\.load: the saved tokenizer merges\[0\]: expected \["left", "right"\]/);
    expect(load({ vocab: [1, 2] })).toThrow(/vocab\[0\]: expected a string, got 1/);
    expect(load({ specialTokens: { pad: 'nope' } })).toThrow(/specialTokens\.pad: expected a token of vocab, got "nope"/);
    expect(load({ addPrefixSpace: 'yes' })).toThrow(/addPrefixSpace: expected true or false, got "yes"/);
    expect(load({ version: 2 })).toThrow(/version: expected 1, got 2/);
  });

  it('errors carry the file and field as properties', () => {
    try {
      fromTokenizerJson({ model: { type: 'BPE', vocab: {}, merges: 'x' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TokenizerError);
      expect((error as TokenizerError).file).toBe('tokenizer.json');
      expect((error as TokenizerError).field).toBe('model.merges');
    }
  });

  it('bad base64 in tiktoken ranks is a TokenizerError, not a DOMException', () => {
    expect(() => vocabAndMergesFromTiktoken('! 0 @@@\n')).toThrow(/vocabAndMergesFromTiktoken: expected base64 tokens on line 1/);
  });

  it('bounds patterns, replacements and added tokens (found by the fuzz: a 200 kB String pattern was a raw SyntaxError, a 200 kB Replace content a hang)', () => {
    const model = { type: 'WordPiece', unk_token: '[UNK]', vocab: { '[UNK]': 0 } };
    const long = 'a'.repeat(200_000);
    expect(() => fromTokenizerJson({ model, decoder: { type: 'Replace', pattern: { String: long }, content: ' ' } })).toThrow(/decoder\.pattern\.String: expected a pattern of at most 1000 characters, got "200000 characters"/);
    expect(() => fromTokenizerJson({ model, normalizer: { type: 'Replace', pattern: { String: ' ' }, content: long } })).toThrow(/normalizer\.content: expected at most 1000 characters/);
    expect(() => fromTokenizerJson({ model, added_tokens: [{ id: 1, content: long }] })).toThrow(/added_tokens\[0\]\.content: expected at most 10000 characters/);
  });
});

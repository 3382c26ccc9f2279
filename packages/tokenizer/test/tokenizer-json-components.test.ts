// Each tokenizer.json component on its own, against expectations computed by hand from
// `tokenizers`' documented rules (split behaviours, alignments, templates, decoders). The probe is a
// WordPiece model whose vocabulary holds exactly the expected pieces, so a wrong split shows up
// as [UNK] or as different tokens and offsets.
import { describe, expect, it } from 'vitest';
import { fromTokenizerJson } from '../src/index.js';
import { BYTE_TO_CHAR } from '../src/bpe/byte-unicode.js';

type Parts = Record<string, unknown>;

/** A WordPiece tokenizer.json over `words` (plus [UNK]) with the given components. */
const wordPiece = (words: readonly string[], parts: Parts = {}) =>
  fromTokenizerJson({
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(['[UNK]', ...new Set(words)].map((w, i) => [w, i])) },
    ...parts,
  });

/** Tokens and offsets of `text` without special tokens. */
const run = (tok: ReturnType<typeof fromTokenizerJson>, text: string) => {
  const { tokens, offsets } = tok.encodeWithDetails(text, undefined, { addSpecialTokens: false });
  return { tokens, offsets };
};

/** A byte-level BPE over the 256 byte characters plus `merges`. */
const byteLevelBpe = (merges: [string, string][], parts: Parts = {}) => {
  const vocab: Record<string, number> = Object.fromEntries(BYTE_TO_CHAR.map((c, i) => [c, i]));
  for (const [a, b] of merges) vocab[a + b] ??= Object.keys(vocab).length;
  return fromTokenizerJson({
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', vocab, merges },
    ...parts,
  });
};

describe('normalizers (hand-computed)', () => {
  it('Lowercase lower-cases and keeps each character on its own span', () => {
    expect(run(wordPiece(['hello'], { normalizer: { type: 'Lowercase' } }), 'HeLLo')).toEqual({ tokens: ['hello'], offsets: [[0, 5]] });
  });

  it('NFD splits é into e + U+0301, both on é’s span; NFKD turns ½ into 1⁄2', () => {
    expect(run(wordPiece(['e\u0301x'], { normalizer: { type: 'NFD' } }), '\u00e9x')).toEqual({ tokens: ['e\u0301x'], offsets: [[0, 2]] });
    expect(run(wordPiece(['1\u20442'], { normalizer: { type: 'NFKD' } }), '\u00bd')).toEqual({ tokens: ['1\u20442'], offsets: [[0, 1]] });
  });

  it("NFC composes e + U+0301 into é, which keeps only the e's span (tokenizers' alignment); NFKC turns ﬁ into fi", () => {
    expect(run(wordPiece(['\u00e9'], { normalizer: { type: 'NFC' } }), 'e\u0301')).toEqual({ tokens: ['\u00e9'], offsets: [[0, 1]] });
    expect(run(wordPiece(['\u00e9x'], { normalizer: { type: 'NFC' } }), 'e\u0301x')).toEqual({ tokens: ['\u00e9x'], offsets: [[0, 3]] });
    expect(run(wordPiece(['fi'], { normalizer: { type: 'NFKC' } }), '\ufb01')).toEqual({ tokens: ['fi'], offsets: [[0, 1]] });
  });

  it('Sequence [NFD, StripAccents] turns café into cafe over the whole span', () => {
    const tok = wordPiece(['cafe'], { normalizer: { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'StripAccents' }] } });
    expect(run(tok, 'caf\u00e9')).toEqual({ tokens: ['cafe'], offsets: [[0, 4]] });
  });

  it('Strip removes white space at both ends; Prepend puts its text on the first character’s span', () => {
    expect(run(wordPiece(['hi'], { normalizer: { type: 'Strip', strip_left: true, strip_right: true } }), '  hi\u3000')).toEqual({ tokens: ['hi'], offsets: [[2, 4]] });
    expect(run(wordPiece(['\u2581hi'], { normalizer: { type: 'Prepend', prepend: '\u2581' } }), 'hi')).toEqual({ tokens: ['\u2581hi'], offsets: [[0, 2]] });
  });

  it('Replace with a String and with a Regex pattern', () => {
    const split = { pre_tokenizer: { type: 'WhitespaceSplit' } };
    expect(run(wordPiece(['a', 'b'], { normalizer: { type: 'Replace', pattern: { String: '-' }, content: ' ' }, ...split }), 'a-b')).toEqual({
      tokens: ['a', 'b'],
      offsets: [[0, 1], [2, 3]],
    });
    expect(run(wordPiece(['a_b'], { normalizer: { type: 'Replace', pattern: { Regex: '\\s+' }, content: '_' } }), 'a \t b')).toEqual({ tokens: ['a_b'], offsets: [[0, 5]] });
  });

  it('BertNormalizer: clean_text drops controls and maps white space, Chinese characters get spaces, accents and case as asked', () => {
    const bert = (options: Parts) => ({ normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true, ...options }, pre_tokenizer: { type: 'BertPreTokenizer' } });
    expect(run(wordPiece(['ab', 'c'], bert({})), 'a\u0000b\tc')).toEqual({ tokens: ['ab', 'c'], offsets: [[0, 3], [4, 5]] });
    expect(run(wordPiece(['ab', '\u4e2d', 'c'], bert({})), 'ab\u4e2dc')).toEqual({ tokens: ['ab', '\u4e2d', 'c'], offsets: [[0, 2], [2, 3], [3, 4]] });
    expect(run(wordPiece(['ab\u4e2dc'], bert({ handle_chinese_chars: false })), 'ab\u4e2dc').tokens).toEqual(['ab\u4e2dc']);
    expect(run(wordPiece(['Cafe'], bert({ lowercase: false, strip_accents: true })), 'Caf\u00e9').tokens).toEqual(['Cafe']);
    expect(run(wordPiece(['caf\u00e9'], bert({ strip_accents: false })), 'CAF\u00c9').tokens).toEqual(['caf\u00e9']);
  });
});

describe('pre-tokenizers (hand-computed)', () => {
  it('Whitespace: \\w+ and runs of other non-space characters', () => {
    const words = ['Hey', 'friend', '!', 'How', 'are', 'you', '?!?'];
    expect(run(wordPiece(words, { pre_tokenizer: { type: 'Whitespace' } }), 'Hey friend!  How are you?!?')).toEqual({
      tokens: words,
      offsets: [[0, 3], [4, 10], [10, 11], [13, 16], [17, 20], [21, 24], [24, 27]],
    });
  });

  it('WhitespaceSplit: on white space only', () => {
    expect(run(wordPiece(['Hey', 'friend!', 'How'], { pre_tokenizer: { type: 'WhitespaceSplit' } }), 'Hey friend!\u2003 How')).toEqual({
      tokens: ['Hey', 'friend!', 'How'],
      offsets: [[0, 3], [4, 11], [13, 16]],
    });
  });

  it('Punctuation and Split with each delimiter behaviour on "a,,b"', () => {
    const expected: Record<string, string[]> = {
      Removed: ['a', 'b'],
      Isolated: ['a', ',', ',', 'b'],
      MergedWithPrevious: ['a,', ',', 'b'],
      MergedWithNext: ['a', ',', ',b'],
      Contiguous: ['a', ',,', 'b'],
    };
    for (const [behavior, pieces] of Object.entries(expected)) {
      const vocab = ['a', 'b', ',', ',,', 'a,', ',b'];
      expect(run(wordPiece(vocab, { pre_tokenizer: { type: 'Punctuation', behavior } }), 'a,,b').tokens, behavior).toEqual(pieces);
      const split = { type: 'Split', pattern: { String: ',' }, behavior, invert: false };
      expect(run(wordPiece(vocab, { pre_tokenizer: split }), 'a,,b').tokens, `Split ${behavior}`).toEqual(pieces);
    }
  });

  it('Split with invert keeps what the pattern does not match as the delimiters', () => {
    const split = { type: 'Split', pattern: { Regex: '\\d+' }, behavior: 'Removed', invert: true };
    expect(run(wordPiece(['12', '3'], { pre_tokenizer: split }), 'ab12cd3')).toEqual({ tokens: ['12', '3'], offsets: [[2, 4], [6, 7]] });
  });

  it("Split with an Oniguruma regex using (?i:…) and \\s, as Llama 3's pre-tokenizer does", () => {
    const split = { type: 'Split', pattern: { Regex: "(?i:'s|'t)|\\p{L}+|\\s+" }, behavior: 'Isolated', invert: false };
    expect(run(wordPiece(['It', "'S", ' ', 'OK'], { pre_tokenizer: split }), "It'S OK").tokens).toEqual(['It', "'S", ' ', 'OK']);
  });

  it('Digits: runs of digits, or each digit alone', () => {
    const vocab = ['abc', '123', 'def', '45', '1', '2', '3', '4', '5'];
    expect(run(wordPiece(vocab, { pre_tokenizer: { type: 'Digits', individual_digits: false } }), 'abc123def45').tokens).toEqual(['abc', '123', 'def', '45']);
    expect(run(wordPiece(vocab, { pre_tokenizer: { type: 'Digits', individual_digits: true } }), 'abc123def45').tokens).toEqual(['abc', '1', '2', '3', 'def', '4', '5']);
  });

  it('Metaspace: spaces become ▁, prepended per prepend_scheme, split before each ▁', () => {
    const meta = (prepend_scheme: string, split = true) => ({ pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme, split } });
    const vocab = ['\u2581Hey', '\u2581friend', 'Hey', '\u2581Hey\u2581friend', 'friend', '<sep>'];
    expect(run(wordPiece(vocab, meta('always')), 'Hey friend')).toEqual({ tokens: ['\u2581Hey', '\u2581friend'], offsets: [[0, 3], [3, 10]] });
    expect(run(wordPiece(vocab, meta('never')), 'Hey friend').tokens).toEqual(['Hey', '\u2581friend']);
    expect(run(wordPiece(vocab, meta('always', false)), 'Hey friend').tokens).toEqual(['\u2581Hey\u2581friend']);
    // 'first' prepends only to the piece that starts the text, not to the one after an added token.
    const sep = { added_tokens: [{ id: 6, content: '<sep>', special: true }] };
    expect(run(wordPiece(vocab, { ...meta('first'), ...sep }), 'Hey<sep>friend').tokens).toEqual(['\u2581Hey', '<sep>', 'friend']);
    expect(run(wordPiece(vocab, { ...meta('always'), ...sep }), 'Hey<sep>friend').tokens).toEqual(['\u2581Hey', '<sep>', '\u2581friend']);
  });

  it('ByteLevel: bytes as GPT-2 characters, optional prefix space (on the first character’s span), use_regex', () => {
    const G = BYTE_TO_CHAR[32]!;
    expect(run(byteLevelBpe([]), '\u00e9')).toEqual({ tokens: ['\u00c3', '\u00a9'], offsets: [[0, 1], [0, 1]] });
    const prefixed = byteLevelBpe([], { pre_tokenizer: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true } });
    expect(run(prefixed, 'Hi')).toEqual({ tokens: [G, 'H', 'i'], offsets: [[0, 1], [0, 1], [1, 2]] });
    // A merge across GPT-2's pieces ('a' | ' b') only applies without the regex split.
    const noRegex = { pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false } };
    expect(run(byteLevelBpe([['a', G]]), 'a b').tokens).toEqual(['a', G, 'b']);
    expect(run(byteLevelBpe([['a', G]], noRegex), 'a b').tokens).toEqual([`a${G}`, 'b']);
  });

  it('Sequence: WhitespaceSplit then Digits', () => {
    const seq = { pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Digits', individual_digits: true }] } };
    expect(run(wordPiece(['a', '1', '2'], seq), 'a12 2').tokens).toEqual(['a', '1', '2', '2']);
  });
});

describe('models (hand-computed)', () => {
  const bpe = (vocab: string[], merges: [string, string][], model: Parts = {}, parts: Parts = {}) =>
    fromTokenizerJson({ pre_tokenizer: { type: 'WhitespaceSplit' }, model: { type: 'BPE', vocab: Object.fromEntries(vocab.map((t, i) => [t, i])), merges, ...model }, ...parts });

  it('BPE with continuing_subword_prefix and end_of_word_suffix merges by rank: hello → hel ##lo</w>', () => {
    const vocab = ['h', '##e', '##l', '##o</w>', 'he', '##lo</w>', 'hel'];
    const merges: [string, string][] = [['h', '##e'], ['##l', '##o</w>'], ['he', '##l']];
    const tok = bpe(vocab, merges, { continuing_subword_prefix: '##', end_of_word_suffix: '</w>' });
    expect(run(tok, 'hello')).toEqual({ tokens: ['hel', '##lo</w>'], offsets: [[0, 3], [3, 5]] });
  });

  it('BPE unknown characters: one <unk> each, or one for a run with fuse_unk; dropped without an unk token', () => {
    const vocab = ['<unk>', 'a', 'b'];
    expect(run(bpe(vocab, [], { unk_token: '<unk>' }), 'axyb').tokens).toEqual(['a', '<unk>', '<unk>', 'b']);
    expect(run(bpe(vocab, [], { unk_token: '<unk>', fuse_unk: true }), 'axyb')).toEqual({ tokens: ['a', '<unk>', 'b'], offsets: [[0, 1], [1, 3], [3, 4]] });
    expect(run(bpe(vocab, []), 'axyb').tokens).toEqual(['a', 'b']);
  });

  it('BPE byte_fallback spells an unknown character as <0xNN> tokens on its span', () => {
    const tok = bpe(['<unk>', 'a', '<0xC3>', '<0xA9>'], [], { unk_token: '<unk>', byte_fallback: true }, { decoder: { type: 'ByteFallback' } });
    const details = run(tok, 'a\u00e9');
    expect(details).toEqual({ tokens: ['a', '<0xC3>', '<0xA9>'], offsets: [[0, 1], [1, 2], [1, 2]] });
    expect(tok.decode(tok.encode('a\u00e9'))).toBe('a\u00e9');
  });

  it('BPE ignore_merges takes a whole word found in the vocabulary', () => {
    const vocab = ['a', 'b', 'c', 'ab', 'abc'];
    expect(run(bpe(vocab, [['a', 'b']]), 'abc').tokens).toEqual(['ab', 'c']);
    expect(run(bpe(vocab, [['a', 'b']], { ignore_merges: true }), 'abc').tokens).toEqual(['abc']);
  });

  it('WordPiece: greedy longest match, ## continuations, [UNK] for a word with an unmatched part or too long', () => {
    const tok = wordPiece(['un', '##aff', '##able', 'a'], { pre_tokenizer: { type: 'WhitespaceSplit' } });
    expect(run(tok, 'unaffable unafx')).toEqual({ tokens: ['un', '##aff', '##able', '[UNK]'], offsets: [[0, 2], [2, 5], [5, 9], [10, 15]] });
    const short = fromTokenizerJson({ pre_tokenizer: { type: 'WhitespaceSplit' }, model: { type: 'WordPiece', unk_token: '[UNK]', max_input_chars_per_word: 3, vocab: { '[UNK]': 0, a: 1, '##a': 2 } } });
    expect(run(short, 'aaa aaaa').tokens).toEqual(['a', '##a', '##a', '[UNK]']);
  });
});

describe('post-processors (hand-computed)', () => {
  const vocab = ['[UNK]', '[CLS]', '[SEP]', 'a', 'b', '<x1>', '<x2>'];
  const words = (post: unknown) => wordPiece(vocab.slice(1), { pre_tokenizer: { type: 'WhitespaceSplit' }, post_processor: post });

  it('TemplateProcessing: $A/$B with type ids, specials of several ids, the string form of templates', () => {
    const tok = words({
      type: 'TemplateProcessing',
      single: ['[CLS]', '$A', '[SEP]'],
      pair: ['[CLS]', '$A', '[SEP]', '$B:1', '<x>:1'],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [1], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [2], tokens: ['[SEP]'] },
        '<x>': { id: '<x>', ids: [5, 6], tokens: ['<x1>', '<x2>'] },
      },
    });
    expect(tok.encode('a b')).toEqual([1, 3, 4, 2]);
    const pair = tok.encodeWithDetails('a', 'b b');
    expect(pair.ids).toEqual([1, 3, 2, 4, 4, 5, 6]);
    expect(pair.typeIds).toEqual([0, 0, 0, 1, 1, 1, 1]);
    expect(pair.specialTokensMask).toEqual([1, 0, 1, 0, 0, 1, 1]);
    expect(pair.offsets).toEqual([[0, 0], [0, 1], [0, 0], [0, 1], [2, 3], [0, 0], [0, 0]]);
    expect(tok.encodePair('a', 'b', { addSpecialTokens: false })).toEqual([3, 4]);
    expect(tok.encodeWithDetails('a', 'b', { addSpecialTokens: false }).typeIds).toEqual([0, 1]);
  });

  it('BertProcessing: [CLS] a [SEP] b [SEP], type ids 0 0 0 1 1', () => {
    const tok = words({ type: 'BertProcessing', sep: ['[SEP]', 2], cls: ['[CLS]', 1] });
    expect(tok.encodeWithDetails('a', 'b')).toMatchObject({ ids: [1, 3, 2, 4, 2], typeIds: [0, 0, 0, 1, 1] });
  });

  it('RobertaProcessing: <s> a </s></s> b </s>, every type id 0, offsets trimmed of the leading space', () => {
    const G = BYTE_TO_CHAR[32]!;
    const tok = byteLevelBpe([[G, 'h'], [`${G}h`, 'i']], {
      added_tokens: [],
      post_processor: { type: 'RobertaProcessing', sep: ['i', 105], cls: ['h', 104], trim_offsets: true, add_prefix_space: false },
    });
    const single = tok.encodeWithDetails('a hi');
    expect(single.tokens).toEqual(['h', 'a', `${G}hi`, 'i']);
    expect(single.offsets).toEqual([[0, 0], [0, 1], [2, 4], [0, 0]]);
    const pair = tok.encodeWithDetails('a', 'a');
    expect(pair.tokens).toEqual(['h', 'a', 'i', 'i', 'a', 'i']);
    expect(pair.typeIds).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('ByteLevel trims offsets (keeping a prefix space it added); Sequence chains it with a template', () => {
    const G = BYTE_TO_CHAR[32]!;
    const merges: [string, string][] = [[G, 'h'], [`${G}h`, 'i']];
    expect(byteLevelBpe(merges, { post_processor: { type: 'ByteLevel', trim_offsets: true, add_prefix_space: false } }).encodeWithDetails('a hi').offsets).toEqual([[0, 1], [2, 4]]);
    expect(byteLevelBpe(merges, { post_processor: { type: 'ByteLevel', trim_offsets: false } }).encodeWithDetails('a hi').offsets).toEqual([[0, 1], [1, 4]]);
    const sequence = {
      type: 'Sequence',
      processors: [
        { type: 'ByteLevel', trim_offsets: true, add_prefix_space: false },
        { type: 'TemplateProcessing', single: ['<s>', '$A'], pair: ['$A', '$B'], special_tokens: { '<s>': { id: '<s>', ids: [104], tokens: ['h'] } } },
      ],
    };
    const out = byteLevelBpe(merges, { post_processor: sequence }).encodeWithDetails('a hi');
    expect(out.ids[0]).toBe(104);
    expect(out.offsets).toEqual([[0, 0], [0, 1], [2, 4]]);
  });
});

describe('decoders (hand-computed)', () => {
  const decodeWith = (tokens: string[], decoder: unknown) => {
    const tok = wordPiece(tokens, { decoder });
    return tok.decode(tokens.map((t) => tok.tokenToId(t)!));
  };

  it('WordPiece joins ## pieces and cleans spaces before punctuation', () => {
    expect(decodeWith(['hello', ',', 'world', '##s', '!'], { type: 'WordPiece', prefix: '##', cleanup: true })).toBe('hello, worlds!');
    expect(decodeWith(['hello', ',', 'world', '##s', '!'], { type: 'WordPiece', prefix: '##', cleanup: false })).toBe('hello , worlds !');
  });

  it('Metaspace turns ▁ into spaces, dropping the first one it prepended', () => {
    expect(decodeWith(['\u2581Hey', '\u2581friend'], { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true })).toBe('Hey friend');
    expect(decodeWith(['\u2581Hey', '\u2581friend'], { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'never', split: true })).toBe(' Hey friend');
  });

  it('BPEDecoder turns the end-of-word suffix into a space (none after the last token)', () => {
    expect(decodeWith(['hel', 'lo</w>', 'there</w>'], { type: 'BPEDecoder', suffix: '</w>' })).toBe('hello there');
  });

  it('Sequence [Replace ▁ → space, ByteFallback, Fuse, Strip one leading space] (Llama-style)', () => {
    const decoder = {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '\u2581' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    };
    expect(decodeWith(['\u2581Hey', '\u2581friend', '<0xE2>', '<0x82>', '<0xAC>'], decoder)).toBe('Hey friend€');
    expect(decodeWith(['<0xFF>', 'a'], { type: 'ByteFallback' })).toBe('\ufffda');
  });

  it('no decoder joins tokens with spaces, as tokenizers does', () => {
    expect(decodeWith(['a', 'b'], null)).toBe('a b');
  });
});

describe('added tokens (hand-computed)', () => {
  const base = (added: Parts[], words: string[], normalizer: unknown = null) => {
    const vocab = ['[UNK]', ...words];
    return fromTokenizerJson({
      normalizer,
      pre_tokenizer: { type: 'WhitespaceSplit' },
      added_tokens: added.map((a, i) => ({ id: vocab.length + i, special: false, ...a })),
      model: { type: 'WordPiece', unk_token: '[UNK]', vocab: Object.fromEntries(vocab.map((w, i) => [w, i])) },
    });
  };

  it('single_word: matched only between non-word characters', () => {
    const words = ['tokeniz', 'tokenizing'];
    expect(run(base([{ content: 'ing', single_word: true }], words), 'ing tokenizing')).toEqual({ tokens: ['ing', 'tokenizing'], offsets: [[0, 3], [4, 14]] });
    expect(run(base([{ content: 'ing', single_word: false }], words), 'ing tokenizing').tokens).toEqual(['ing', 'tokeniz', 'ing']);
  });

  it('lstrip and rstrip take the white space around the token into it', () => {
    expect(run(base([{ content: '<mask>', lstrip: true }], ['a', 'b']), 'a <mask> b')).toEqual({ tokens: ['a', ' <mask>', 'b'], offsets: [[0, 1], [1, 8], [9, 10]] });
    expect(run(base([{ content: '<mask>', lstrip: true, rstrip: true }], ['a', 'b']), 'a <mask> b').offsets).toEqual([[0, 1], [1, 9], [9, 10]]);
  });

  it('normalized tokens match the normalised text; non-normalized ones the raw text', () => {
    const lower = { type: 'Lowercase' };
    // 'HELLO' normalised is 'hello', found in the lower-cased text (its token string is the text it covered).
    const normalized = base([{ content: 'HELLO', normalized: true }], ['there'], lower);
    expect(run(normalized, 'Hello there')).toEqual({ tokens: ['hello', 'there'], offsets: [[0, 5], [6, 11]] });
    expect(normalized.encode('Hello there')).toEqual([2, 1]);
    // '[X]' (id 3) is found only as written; the lower-cased '[x]' is the vocabulary word (id 1).
    const raw = base([{ content: '[X]', normalized: false }], ['[x]', 'a'], lower);
    expect(raw.encode('[X] [x] a')).toEqual([3, 1, 2]);
  });

  it('special added tokens are left out by skipSpecialTokens, others are kept', () => {
    const tok = base([{ content: '<s>', special: true }, { content: '<keep>', special: false }], ['a']);
    const ids = tok.encode('<s>a<keep>');
    expect(tok.decode(ids)).toBe('<s> a <keep>');
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe('a <keep>');
    expect([...tok.specialTokens.tokens.keys()]).toEqual(['<s>']);
    expect(tok.specialTokens.bos).toBe(2);
  });
});

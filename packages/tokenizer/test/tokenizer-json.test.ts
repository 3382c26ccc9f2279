// fromTokenizerJson against Hugging Face `tokenizers` 0.23.2: the fixture's ids, tokens and offsets
// (fixtures/hf/tokenizers.json, HF's own output) through tokenizer.json documents built exactly as HF
// serializes those tokenizers (test/helpers/hf-json.ts), and GPT-2 through fromGpt2Files and its
// tokenizer.json, cross-checked against BPETokenizer (itself pinned to js-tiktoken's r50k_base).
import { beforeAll, describe, expect, it } from 'vitest';
import { BPETokenizer, fromBertVocab, fromGpt2Files, fromTokenizerJson, TokenizerError, type PretrainedTokenizer } from '../src/index.js';
import { mixedCorpus } from './helpers/corpus.js';
import { gpt2Files } from './helpers/gpt2-files.js';
import { bertTokenizerJson, byteLevelBpeTokenizerJson, fixtureBpeTokenizerJson, hfFixture } from './helpers/hf-json.js';

describe.each(
  hfFixture.wordpiece.flatMap((wp) =>
    (['BertProcessing', 'TemplateProcessing'] as const).map((post) => [wp.lowercase ? 'uncased' : 'cased', post, wp] as const),
  ),
)('fromTokenizerJson: HF BertWordPieceTokenizer (%s, %s)', (_case, post, wp) => {
  const tok = fromTokenizerJson(JSON.stringify(bertTokenizerJson(wp.vocab, wp.lowercase, post)));

  it("encodes every sample to HF's ids, tokens and offsets", () => {
    for (const hf of wp.encodings) {
      const ours = tok.encodeWithDetails(hf.text, undefined, { addSpecialTokens: false });
      expect(ours.ids, hf.text).toEqual(hf.ids);
      expect(ours.tokens, hf.text).toEqual(hf.tokens);
      expect(ours.offsets, hf.text).toEqual(hf.offsets);
    }
  });

  it("adds [CLS] … [SEP] exactly as HF's post-processor did", () => {
    const hf = wp.with_special_tokens;
    const ours = tok.encodeWithDetails(hf.text);
    expect(ours.ids).toEqual(hf.ids);
    expect(ours.tokens).toEqual(hf.tokens);
    expect(ours.specialTokensMask).toEqual(hf.ids.map((_, i) => (i === 0 || i === hf.ids.length - 1 ? 1 : 0)));
  });

  it('gives the same encodings as fromBertVocab on the same vocabulary', () => {
    const viaVocab = fromBertVocab(wp.vocab.join('\n'), { doLowerCase: wp.lowercase });
    for (const hf of wp.encodings) expect(tok.encodeWithDetails(hf.text, 'second text')).toEqual(viaVocab.encodeWithDetails(hf.text, 'second text'));
  });
});

describe('fromTokenizerJson: HF ByteLevelBPETokenizer', () => {
  const tok = fromTokenizerJson(fixtureBpeTokenizerJson());

  it("encodes every sample to HF's ids and tokens and decodes HF's ids back to the text", () => {
    for (const hf of hfFixture.bpe.encodings) {
      const ours = tok.encodeWithDetails(hf.text);
      expect(ours.ids, hf.text).toEqual(hf.ids);
      expect(ours.tokens, hf.text).toEqual(hf.tokens);
      expect(tok.decode(hf.ids)).toBe(hf.text);
    }
  });

  it('gives the same ids and offsets as fromGpt2Files on the same vocab.json and merges.txt', () => {
    const viaFiles = fromGpt2Files(hfFixture.bpe.vocab_json, hfFixture.bpe.merges_txt);
    for (const hf of hfFixture.bpe.encodings) expect(tok.encodeWithDetails(hf.text)).toEqual(viaFiles.encodeWithDetails(hf.text));
  });

  it('treats <|endoftext|> inside text as one special token: found whole, skipped by skipSpecialTokens', () => {
    const ids = tok.encode('one<|endoftext|>two');
    expect(ids).toContain(0);
    expect(tok.decode(ids)).toBe('one<|endoftext|>two');
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe('onetwo');
    expect(tok.specialTokens.eos).toBe(0);
  });
});

describe('GPT-2: fromGpt2Files and the equivalent tokenizer.json', () => {
  let files: PretrainedTokenizer;
  let json: PretrainedTokenizer;
  let reference: BPETokenizer;
  beforeAll(() => {
    const f = gpt2Files();
    files = fromGpt2Files(f.vocabJson, f.mergesTxt);
    json = fromTokenizerJson(JSON.stringify(byteLevelBpeTokenizerJson(f.vocab, f.merges, ['<|endoftext|>'], true)));
    reference = BPETokenizer.fromFiles(f.vocabJson, f.mergesTxt, { specialTokens: { eos: '<|endoftext|>' } });
  });

  it('give the same ids as each other and as BPETokenizer on 300 kB of English, code, Hangul, emoji and whitespace runs', () => {
    const text = mixedCorpus().slice(0, 300_000);
    const ids = json.encode(text);
    expect(ids).toEqual(files.encode(text));
    expect(ids).toEqual(reference.encode(text));
    expect(json.encodeWithDetails(text).offsets).toEqual(reference.encodeWithOffsets(text).offsets);
  });

  it("give GPT-2's published ids, with <|endoftext|> inside text as 50256", () => {
    for (const tok of [files, json]) {
      expect(tok.encode('Hello world')).toEqual([15496, 995]);
      expect(tok.encode('a<|endoftext|>b')).toEqual([64, 50256, 65]);
    }
  });

  it("follow Oniguruma's \\s for U+0085 and U+FEFF, where JavaScript's \\s differs", () => {
    // Oniguruma: U+0085 is white space (so "\u0085x" splits like "\nx"), U+FEFF is not.
    for (const text of ['a\u0085\u0085b', 'x \ufeffy', '\ufeff\ufeff', 'end\u0085']) {
      expect(files.encode(text), JSON.stringify(text)).toEqual(json.encode(text));
      expect(files.decode(files.encode(text))).toBe(text);
    }
    // Pieces 'a', '\u0085', '\u0085', 'b' (a lone white space before a letter is its own piece): no token spans two of them.
    const offsets = json.encodeWithDetails('a\u0085\u0085b').offsets;
    expect(offsets[0]).toEqual([0, 1]);
    expect(offsets.at(-1)).toEqual([3, 4]);
    expect(offsets.every(([s, e]) => e - s === 1)).toBe(true);
  });

  it('round-trip Unicode and whitespace runs through decode', () => {
    for (const text of ['안녕하세요, 세계!', '👩‍👩‍👧‍👦 🇰🇷', 'e\u0301 n\u0303', '\t\t  \n\n   x', '中文：你好', '']) {
      expect(json.decode(json.encode(text))).toBe(text);
    }
  });

  it('encode a pair one text after the other, type ids 0 then 1, offsets into each text', () => {
    const details = json.encodeWithDetails('Hello', ' world');
    expect(details.ids).toEqual([15496, 995]);
    expect(details.typeIds).toEqual([0, 1]);
    expect(details.offsets).toEqual([[0, 5], [0, 6]]);
  });
});

describe('fromTokenizerJson input checks', () => {
  const good = () => fixtureBpeTokenizerJson() as Record<string, unknown>;

  it('names an unsupported component, by field', () => {
    const cases: [string, unknown, RegExp][] = [
      ['pre_tokenizer', { type: 'UnicodeScripts' }, /^fromTokenizerJson: pre_tokenizer type "UnicodeScripts" is not supported$/],
      ['normalizer', { type: 'Precompiled', precompiled_charsmap: '' }, /normalizer type "Precompiled" is not supported/],
      ['decoder', { type: 'CTC', pad_token: '<pad>', word_delimiter_token: '|', cleanup: true }, /decoder type "CTC" is not supported/],
      ['post_processor', { type: 'Whatever' }, /post_processor type "Whatever" is not supported/],
      ['pre_tokenizer', { type: 'Sequence', pretokenizers: [{ type: 'Whitespace' }, { type: 'FixedLength', length: 5 }] }, /pre_tokenizer\.pretokenizers\[1\] type "FixedLength" is not supported/],
      ['pre_tokenizer', { type: 'Whitespace', extra: 1 }, /pre_tokenizer\.extra \(an unknown option\) is not supported/],
      ['truncation', { max_length: 512, strategy: 'LongestFirst', stride: 0, direction: 'Right' }, /tokenizer\.json truncation .* is not supported/],
      ['padding', { strategy: 'BatchLongest' }, /tokenizer\.json padding .* is not supported/],
    ];
    for (const [key, value, message] of cases) expect(() => fromTokenizerJson({ ...good(), [key]: value }), key).toThrow(message);
  });

  it('refuses model types and option values it does not implement', () => {
    const model = good().model as Record<string, unknown>;
    expect(() => fromTokenizerJson({ ...good(), model: { type: 'Unigram', vocab: [] } })).toThrow(/model type "Unigram" is not supported/);
    expect(() => fromTokenizerJson({ ...good(), model: { ...model, dropout: 0.1 } })).toThrow(/model\.dropout 0\.1 \(BPE dropout; only null or 0\) is not supported/);
    expect(() => fromTokenizerJson({ ...good(), pre_tokenizer: { type: 'Split', pattern: { Regex: 'a++' }, behavior: 'Isolated', invert: false } })).toThrow(
      /possessive quantifier is not supported/,
    );
  });

  it('says which field is wrong, what was expected and what it got', () => {
    const model = good().model as Record<string, unknown>;
    const vocab = model.vocab as Record<string, number>;
    const bad = (patch: Record<string, unknown>) => () => fromTokenizerJson({ ...good(), ...patch });
    expect(bad({ model: { ...model, vocab: { ...vocab, big: 2 ** 32 } } })).toThrow(/tokenizer\.json model\.vocab\["big"\]: expected an integer id in \[0, 3999999\], got 4294967296/);
    expect(bad({ model: { ...model, vocab: { ...vocab, half: 1.5 } } })).toThrow(/model\.vocab\["half"\]: expected an integer id/);
    expect(bad({ model: { ...model, merges: [['Ġ', 'nope']] } })).toThrow(/model\.merges\[0\]: expected tokens of model\.vocab, got "nope"/);
    expect(bad({ added_tokens: [{ id: 5, content: '<|endoftext|>', special: true }] })).toThrow(/added_tokens\[0\]\.id: expected 0 \(its id in model\.vocab\), got 5/);
    expect(bad({ normalizer: { type: 'Strip', strip_left: 'yes', strip_right: true } })).toThrow(/normalizer\.strip_left: expected true or false, got "yes"/);
    expect(() => fromTokenizerJson('{"model": ')).toThrow(/^fromTokenizerJson: expected tokenizer\.json to be valid JSON/);
    expect(() => fromTokenizerJson('[]')).toThrow(TokenizerError);
  });
});

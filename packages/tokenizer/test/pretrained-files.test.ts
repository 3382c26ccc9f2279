// fromGpt2Files and fromBertVocab: the PretrainedTokenizer interface over GPT-2's and BERT's files.
// References: HF tokenizers 0.23.2's own ids/offsets (fixtures/hf/tokenizers.json), GPT-2's
// published ids (r50k_base, the encoding js-tiktoken ships) and hand-composed templates.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromBertVocab, fromGpt2Files, TokenizerError, type PretrainedTokenizer } from '../src/index.js';
import { gpt2Files } from './helpers/gpt2-files.js';

interface Fixture {
  wordpiece: {
    lowercase: boolean;
    vocab: string[];
    encodings: { text: string; ids: number[]; tokens: string[]; offsets: [number, number][] }[];
    with_special_tokens: { text: string; ids: number[]; tokens: string[] };
  }[];
  bpe: { vocab_json: string; merges_txt: string; encodings: { text: string; ids: number[]; tokens: string[] }[] };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/hf/tokenizers.json', import.meta.url), 'utf8')) as Fixture;

describe('fromBertVocab (HF BertWordPieceTokenizer vocabularies)', () => {
  for (const wp of fixture.wordpiece) {
    const name = wp.lowercase ? 'uncased' : 'cased';
    const tok = fromBertVocab(`${wp.vocab.join('\n')}\n`, { doLowerCase: wp.lowercase });

    it(`${name}: encodes every sample without specials to HF's ids, tokens and offsets`, () => {
      for (const hf of wp.encodings) {
        const ours = tok.encodeWithDetails(hf.text, undefined, { addSpecialTokens: false });
        expect(ours.ids).toEqual(hf.ids);
        expect(ours.tokens).toEqual(hf.tokens);
        expect(ours.offsets).toEqual(hf.offsets);
        expect(ours.typeIds).toEqual(hf.ids.map(() => 0));
        expect(ours.attentionMask).toEqual(hf.ids.map(() => 1));
      }
    });

    it(`${name}: adds [CLS] … [SEP] by default, exactly as HF's BertProcessing`, () => {
      const hf = wp.with_special_tokens;
      expect(tok.encode(hf.text)).toEqual(hf.ids);
      const details = tok.encodeWithDetails(hf.text);
      expect(details.tokens).toEqual(hf.tokens);
      expect(details.specialTokensMask).toEqual(hf.ids.map((_, i) => (i === 0 || i === hf.ids.length - 1 ? 1 : 0)));
      expect(details.offsets[0]).toEqual([0, 0]);
      expect(details.offsets.at(-1)).toEqual([0, 0]);
    });

    it(`${name}: a pair is [CLS] a [SEP] b [SEP] with type ids 0 then 1 (composed by hand from HF's single encodings)`, () => {
      const [a, b] = [wp.encodings[0]!, wp.encodings[1]!];
      const { cls, sep } = tok.specialTokens;
      const details = tok.encodeWithDetails(a.text, b.text);
      expect(details.ids).toEqual([cls, ...a.ids, sep, ...b.ids, sep]);
      expect(details.typeIds).toEqual([0, ...a.ids.map(() => 0), 0, ...b.ids.map(() => 1), 1]);
      expect(details.offsets).toEqual([[0, 0], ...a.offsets, [0, 0], ...b.offsets, [0, 0]]);
      expect(tok.encodePair(a.text, b.text)).toEqual(details.ids);
      expect(tok.encodePair(a.text, b.text, { addSpecialTokens: false })).toEqual([...a.ids, ...b.ids]);
    });
  }

  const uncased = fromBertVocab(`${fixture.wordpiece[0]!.vocab.join('\n')}\n`);
  it('knows its roles: [PAD] [UNK] [CLS] [SEP] [MASK] at ids 0-4 of the HF vocabulary', () => {
    const { pad, unk, cls, sep, mask, tokens } = uncased.specialTokens;
    expect([pad, unk, cls, sep, mask]).toEqual([0, 1, 2, 3, 4]);
    expect([...tokens.keys()]).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    expect(uncased.vocabSize).toBe(600);
  });

  it('decodes with the WordPiece decoder and its clean-up (hand-computed)', () => {
    const ids = uncased.encode('Héllo, WORLD! The unaffable naïve café résumé.');
    expect(uncased.decode(ids)).toBe('[CLS] hello, world! the unaffable naive cafe resume. [SEP]');
    expect(uncased.decode(ids, { skipSpecialTokens: true })).toBe('hello, world! the unaffable naive cafe resume.');
  });

  it('finds a special token written inside the text as one token, mask 0 as in tokenizers', () => {
    const details = uncased.encodeWithDetails('the [MASK] is', undefined, { addSpecialTokens: false });
    expect(details.tokens).toEqual(['the', '[MASK]', 'is']);
    expect(details.offsets).toEqual([[0, 3], [4, 10], [11, 13]]);
    expect(details.specialTokensMask).toEqual([0, 0, 0]);
  });

  it('refuses a vocabulary without [CLS] and options of the wrong type, naming fromBertVocab', () => {
    expect(() => fromBertVocab('[UNK]\n[SEP]\na\n')).toThrow(/fromBertVocab: expected vocab\.txt to hold \[CLS\]/);
    expect(() => fromBertVocab('[UNK]\n[CLS]\n[SEP]\n', { doLowerCase: 'yes' as unknown as boolean })).toThrow(TokenizerError);
  });
});

describe('fromGpt2Files', () => {
  let gpt2: PretrainedTokenizer;
  beforeAll(() => {
    const files = gpt2Files();
    gpt2 = fromGpt2Files(files.vocabJson, files.mergesTxt);
  });

  it("gives GPT-2's published ids and adds no special tokens", () => {
    expect(gpt2.encode('Hello world')).toEqual([15496, 995]);
    expect(gpt2.encode('Hello world', { addSpecialTokens: true })).toEqual([15496, 995]);
    expect(gpt2.vocabSize).toBe(50257);
  });

  it('treats <|endoftext|> inside text as the one token 50256, which is bos, eos and unk', () => {
    expect(gpt2.encode('a<|endoftext|>b')).toEqual([64, 50256, 65]);
    expect(gpt2.specialTokens.eos).toBe(50256);
    expect(gpt2.specialTokens.bos).toBe(50256);
    expect(gpt2.decode([64, 50256, 65], { skipSpecialTokens: true })).toBe('ab');
    expect(gpt2.decode([64, 50256, 65])).toBe('a<|endoftext|>b');
  });

  it('a pair is the two texts one after the other, type ids 0 then 1', () => {
    const details = gpt2.encodeWithDetails('Hello', ' world');
    expect(details.ids).toEqual([15496, 995]);
    expect(details.typeIds).toEqual([0, 1]);
    expect(details.offsets).toEqual([[0, 5], [0, 6]]);
  });

  it('round-trips Unicode through decode', () => {
    for (const text of ['안녕하세요 👩‍👩‍👧‍👦', 'e\u0301 \t\n  spaces', '']) expect(gpt2.decode(gpt2.encode(text))).toBe(text);
  });

  it('reads the HF-trained byte-level files to exactly HF ids', () => {
    const tok = fromGpt2Files(fixture.bpe.vocab_json, fixture.bpe.merges_txt);
    for (const hf of fixture.bpe.encodings) {
      expect(tok.encode(hf.text)).toEqual(hf.ids);
      expect(tok.decode(hf.ids)).toBe(hf.text);
    }
  });

  it('names fromGpt2Files in errors about its files', () => {
    expect(() => fromGpt2Files('{', '')).toThrow(/^fromGpt2Files: expected vocab\.json to be valid JSON/);
    expect(() => gpt2.decode([50257])).toThrow(/decode: expected ids to be integers in \[0, 50257\), got 50257 at position 0/);
  });
});

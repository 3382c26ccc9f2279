// Parity with Hugging Face `tokenizers` 0.23.2, the Rust library behind transformers.
// The expected values are in fixtures/hf/tokenizers.json, written by
// tooling/reference-fixtures/make_fixtures.py (`tokenizer_cases`): it trains a
// BertWordPieceTokenizer (clean_text, handle_chinese_chars, strip_accents = lowercase, '##',
// special tokens [PAD] [UNK] [CLS] [SEP] [MASK]) once with lowercase true and once with false, and a
// ByteLevelBPETokenizer (GPT-2 byte level, add_prefix_space false, '<|endoftext|>'), on the
// repository's READMEs, then encodes every text of its `SAMPLES` with add_special_tokens=False.
// WordPiece offsets are HF's code-point offsets turned into UTF-16 units by `utf16_offsets`.
// Nothing here is recomputed: every id, token and offset below is HF's own output.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BPETokenizer, WordPieceTokenizer } from '../src/index.js';

interface WordPieceEncoding {
  text: string;
  ids: number[];
  tokens: string[];
  offsets: [number, number][];
}

interface WordPieceCase {
  lowercase: boolean;
  /** token strings in id order */
  vocab: string[];
  encodings: WordPieceEncoding[];
  with_special_tokens: { text: string; ids: number[]; tokens: string[] };
}

interface BpeCase {
  vocab_json: string;
  merges_txt: string;
  encodings: { text: string; ids: number[]; tokens: string[] }[];
}

interface HfFixture {
  generator: string;
  wordpiece: WordPieceCase[];
  bpe: BpeCase;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/hf/tokenizers.json', import.meta.url), 'utf8')) as HfFixture;

// make_fixtures.py's SAMPLES, in order; each exercises one BERT / byte-level rule.
const SAMPLE_COUNT = 10;
const BERT_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** A readable test title for a sample: shortened, with invisible characters escaped. */
const label = (text: string): string => {
  const short = text.length > 48 ? `${text.slice(0, 24)}… (${text.length} chars)` : text;
  return JSON.stringify(short).replace(/[\u200b-\u200f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
};

describe('fixtures/hf/tokenizers.json', () => {
  it('comes from Hugging Face tokenizers 0.23.2 and holds both WordPiece variants and the BPE, each with the 10 samples', () => {
    expect(fixture.generator).toMatch(/^Hugging Face tokenizers 0\.23\.2 /);
    expect(fixture.wordpiece.map((w) => w.lowercase)).toEqual([true, false]);
    for (const w of fixture.wordpiece) expect(w.encodings).toHaveLength(SAMPLE_COUNT);
    expect(fixture.bpe.encodings).toHaveLength(SAMPLE_COUNT);
    expect(fixture.bpe.encodings.map((e) => e.text)).toEqual(fixture.wordpiece[0]!.encodings.map((e) => e.text));
  });
});

describe.each(fixture.wordpiece.map((w) => [w.lowercase ? 'uncased (lowercase, strip accents)' : 'cased', w] as const))(
  'WordPieceTokenizer against HF BertWordPieceTokenizer, %s',
  (_name, wp) => {
    const tok = WordPieceTokenizer.fromTokens(wp.vocab, { lowercase: wp.lowercase });

    it('takes the HF vocabulary as is: same size, same ids, BERT special tokens at 0-4 in their roles', () => {
      expect(tok.vocabSize).toBe(wp.vocab.length);
      expect(wp.vocab.slice(0, 5)).toEqual(BERT_SPECIALS);
      wp.vocab.forEach((token, id) => expect(tok.tokenToId(token)).toBe(id));
      const { pad, sos, eos, unk } = tok.specialTokens;
      expect([pad, unk, sos, eos]).toEqual([0, 1, 2, 3]);
    });

    it.each(wp.encodings.map((e) => [label(e.text), e] as const))(
      'encodes %s to exactly HF ids, tokens and UTF-16 offsets',
      (_text, hf) => {
        const ours = tok.encodeWithOffsets(hf.text);
        expect(ours.ids).toEqual(hf.ids);
        expect(ours.tokens).toEqual(hf.tokens);
        expect(ours.offsets).toEqual(hf.offsets);
        expect(tok.encode(hf.text)).toEqual(hf.ids);
      },
    );

    it("wraps the sample in [CLS] … [SEP] with addSpecialTokens exactly as HF's BertProcessing does", () => {
      const hf = wp.with_special_tokens;
      const ours = tok.encodeWithOffsets(hf.text, { addSpecialTokens: true });
      expect(hf.tokens[0]).toBe('[CLS]');
      expect(hf.tokens.at(-1)).toBe('[SEP]');
      expect(ours.ids).toEqual(hf.ids);
      expect(ours.tokens).toEqual(hf.tokens);
      expect(ours.specialTokensMask).toEqual(hf.ids.map((_, i) => (i === 0 || i === hf.ids.length - 1 ? 1 : 0)));
      expect(tok.encode(hf.text, { addSpecialTokens: true })).toEqual(hf.ids);
    });
  },
);

describe('BPETokenizer.fromFiles against HF ByteLevelBPETokenizer (GPT-2 byte level, no prefix space)', () => {
  const { bpe } = fixture;
  const tok = BPETokenizer.fromFiles(bpe.vocab_json, bpe.merges_txt, { specialTokens: { eos: '<|endoftext|>' } });

  it("takes HF's vocab.json and merges.txt as is: same size, '<|endoftext|>' is id 0 and the eos", () => {
    expect(tok.vocabSize).toBe(Object.keys(JSON.parse(bpe.vocab_json) as Record<string, number>).length);
    expect(tok.tokenToId('<|endoftext|>')).toBe(0);
    expect(tok.specialTokens.eos).toBe(0);
  });

  it.each(bpe.encodings.map((e) => [label(e.text), e] as const))('encodes %s to exactly HF ids and tokens', (_text, hf) => {
    const ours = tok.encodeWithOffsets(hf.text);
    expect(ours.ids).toEqual(hf.ids);
    expect(ours.tokens).toEqual(hf.tokens);
    expect(tok.encode(hf.text)).toEqual(hf.ids);
  });

  it.each(bpe.encodings.map((e) => [label(e.text), e] as const))("decodes HF's ids for %s back to the text", (_text, hf) => {
    expect(tok.decode(hf.ids)).toBe(hf.text);
  });
});

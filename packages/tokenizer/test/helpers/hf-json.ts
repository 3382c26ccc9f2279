// tokenizer.json documents exactly as Hugging Face `tokenizers` 0.23 serializes the tokenizers that
// made fixtures/hf/tokenizers.json (BertWordPieceTokenizer, ByteLevelBPETokenizer) and GPT-2's
// Hub file: same components, field names, defaults and added-token flags.
import { readFileSync } from 'node:fs';

export interface HfFixture {
  generator: string;
  wordpiece: {
    lowercase: boolean;
    vocab: string[];
    encodings: { text: string; ids: number[]; tokens: string[]; offsets: [number, number][] }[];
    with_special_tokens: { text: string; ids: number[]; tokens: string[] };
  }[];
  bpe: { vocab_json: string; merges_txt: string; encodings: { text: string; ids: number[]; tokens: string[] }[] };
}

export const hfFixture = JSON.parse(readFileSync(new URL('../../fixtures/hf/tokenizers.json', import.meta.url), 'utf8')) as HfFixture;

/** An `added_tokens` entry as the trainers write special tokens. */
export const addedSpecial = (id: number, content: string, normalized = false) => ({
  id,
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized,
  special: true,
});

/**
 * BertWordPieceTokenizer's tokenizer.json: BertNormalizer, BertPreTokenizer, WordPiece model and
 * decoder; `post` picks BertProcessing (what the fixture's script set) or the TemplateProcessing
 * that bert-base-uncased's Hub file carries.
 */
export function bertTokenizerJson(vocab: readonly string[], lowercase: boolean, post: 'BertProcessing' | 'TemplateProcessing') {
  const id = (t: string) => vocab.indexOf(t);
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const postProcessor =
    post === 'BertProcessing'
      ? { type: 'BertProcessing', sep: ['[SEP]', id('[SEP]')], cls: ['[CLS]', id('[CLS]')] }
      : {
          type: 'TemplateProcessing',
          single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
          pair: [
            { SpecialToken: { id: '[CLS]', type_id: 0 } },
            { Sequence: { id: 'A', type_id: 0 } },
            { SpecialToken: { id: '[SEP]', type_id: 0 } },
            { Sequence: { id: 'B', type_id: 1 } },
            { SpecialToken: { id: '[SEP]', type_id: 1 } },
          ],
          special_tokens: {
            '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
            '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
          },
        };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((s) => addedSpecial(id(s), s)),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: postProcessor,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

/**
 * ByteLevelBPETokenizer's (and GPT-2's) tokenizer.json: no normalizer, ByteLevel pre-tokenizer
 * without prefix space, ByteLevel post-processor (trim_offsets false) and decoder, BPE model with
 * merges as pairs, the special tokens as added tokens.
 */
export function byteLevelBpeTokenizerJson(vocab: Record<string, number>, merges: readonly (readonly [string, string])[], specials: readonly string[], normalized = false) {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((s) => addedSpecial(vocab[s]!, s, normalized)),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: merges.map(([a, b]) => [a, b]),
    },
  };
}

/** The fixture's byte-level BPE (vocab.json + merges.txt) as a tokenizer.json object. */
export function fixtureBpeTokenizerJson() {
  const vocab = JSON.parse(hfFixture.bpe.vocab_json) as Record<string, number>;
  const merges = hfFixture.bpe.merges_txt
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.split(' ') as [string, string]);
  return byteLevelBpeTokenizerJson(vocab, merges, ['<|endoftext|>']);
}

/**
 * Pretrained tokenizers from the classic files: GPT-2's `vocab.json` + `merges.txt` and BERT's
 * `vocab.txt`. Each is described as the tokenizer.json `transformers` would convert it to, so it
 * follows `tokenizers` exactly; GPT-2 encodes through {@link BPETokenizer} (the same ids, faster)
 * except for texts holding U+0085 or U+FEFF, where JavaScript's `\s` and Oniguruma's disagree.
 */
import { BPETokenizer } from '../bpe/bpe-tokenizer.js';
import { TokenizerError } from '../core/errors.js';
import { isObject, parseJson } from '../core/json-input.js';
import { fromDocument } from '../hf/from-tokenizer-json.js';
import { JsonReader } from '../hf/json-reader.js';
import { parseVocabTxt } from '../wordpiece/vocab-txt.js';
import { byteLevelDecoder } from './decoders.js';
import type { SequenceEncoding } from './post-process.js';
import { PipelineTokenizer } from './pipeline-tokenizer.js';
import type { PretrainedTokenizer } from './types.js';

/** Options of {@link fromGpt2Files}. */
export interface Gpt2FilesOptions {
  /**
   * Tokens of the vocabulary found whole inside text (never split) and left out by
   * `skipSpecialTokens`. Default `['<|endoftext|>']`; ones missing from the vocabulary are ignored.
   */
  specialTokens?: readonly string[];
}

/**
 * GPT-2's tokenizer (also GPT-2 medium/large/XL, DistilGPT-2) from `vocab.json` and `merges.txt`:
 * byte-level BPE, GPT-2's pre-tokenisation regex, no special tokens added, byte-level decoding.
 * `<|endoftext|>` plays bos, eos and unk, as in `transformers`' GPT2Tokenizer.
 * @example
 * const tok = fromGpt2Files(readFileSync('gpt2/vocab.json', 'utf8'), readFileSync('gpt2/merges.txt', 'utf8'));
 * tok.encode('Hello world') // [15496, 995]
 */
export function fromGpt2Files(vocabJson: string, mergesTxt: string, options: Gpt2FilesOptions = {}): PretrainedTokenizer {
  const fn = 'fromGpt2Files';
  const wanted = options.specialTokens ?? ['<|endoftext|>'];
  if (!Array.isArray(wanted) || !wanted.every((s) => typeof s === 'string' && s !== '')) {
    throw new TokenizerError(`${fn}: expected options.specialTokens to be an array of non-empty strings, got ${JSON.stringify(wanted)?.slice(0, 80)}`);
  }
  const vocab = parseJson(vocabJson, fn, 'vocab.json');
  const additional = isObject(vocab) ? [...new Set(wanted.filter((s) => Object.hasOwn(vocab, s)))] : [];
  const inner = BPETokenizer.fromParsedFiles(vocab, mergesTxt, { specialTokens: { additional } }, fn);
  const vocabMap = vocab as Record<string, number>;
  const document = {
    added_tokens: additional.map((content) => ({ id: vocabMap[content], content, normalized: true, special: true })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', vocab: vocabMap, merges: inner.merges() },
  };
  let exact: PretrainedTokenizer | undefined; // built on first need: most texts never need it
  const eot = inner.tokenToId('<|endoftext|>');
  const roles = additional.includes('<|endoftext|>') ? { bos: eot, eos: eot, unk: eot } : {};
  const tokens = inner.vocab.tokens();
  return new PipelineTokenizer({
    encodeSequence(text): SequenceEncoding {
      if (JS_AND_ONIG_SPACES_DIFFER.test(text)) {
        exact ??= fromDocument(document, {}, new JsonReader(fn, 'vocab.json'));
        const { ids, tokens: pieces, offsets } = exact.encodeWithDetails(text, undefined, { addSpecialTokens: false });
        return { ids, tokens: pieces, offsets };
      }
      const { ids, tokens: pieces, offsets } = inner.encodeWithOffsets(text, { parseSpecialTokens: true });
      return { ids, tokens: pieces, offsets };
    },
    processor: undefined,
    decoder: byteLevelDecoder,
    tokens,
    ids: new Map(tokens.map((t, i) => [t, i])),
    specialTokens: { ...roles, tokens: new Map(additional.map((s) => [s, inner.tokenToId(s)!])) },
    specialIds: new Set(additional.map((s) => inner.tokenToId(s)!)),
  });
}

/** U+0085 is white space to Oniguruma (and `tokenizers`), U+FEFF to JavaScript's `\s`. */
const JS_AND_ONIG_SPACES_DIFFER = /[\u0085\ufeff]/;

/** Options of {@link fromBertVocab}, named as in `transformers`' BertTokenizer. */
export interface BertVocabOptions {
  /** Lower-case the text (bert-base-uncased). Default true. */
  doLowerCase?: boolean;
  /** Remove accents. Default: the value of `doLowerCase`. */
  stripAccents?: boolean;
  /** Put every CJK ideograph in a word of its own. Default true. */
  tokenizeChineseChars?: boolean;
}

/**
 * BERT's tokenizer from `vocab.txt`: BERT's normaliser and pre-tokeniser, WordPiece with `##`,
 * `[CLS] a [SEP]` and `[CLS] a [SEP] b [SEP]` with type ids 0 then 1, `##`-joining decoder.
 * The vocabulary must hold `[UNK]`, `[CLS]` and `[SEP]`; `[PAD]` and `[MASK]` are used when present.
 * @example
 * const tok = fromBertVocab(readFileSync('bert-base-uncased/vocab.txt', 'utf8'));
 * tok.encodePair('Who?', 'Me.') // [101, 2040, 1029, 102, 2033, 1012, 102]
 */
export function fromBertVocab(vocabTxt: string, options: BertVocabOptions = {}): PretrainedTokenizer {
  const fn = 'fromBertVocab';
  const tokens = parseVocabTxt(vocabTxt, fn);
  const ids = new Map(tokens.map((t, i) => [t, i]));
  for (const required of ['[UNK]', '[CLS]', '[SEP]']) {
    if (!ids.has(required)) throw new TokenizerError(`${fn}: expected vocab.txt to hold ${required}, got a vocabulary without it`);
  }
  for (const key of ['doLowerCase', 'stripAccents', 'tokenizeChineseChars'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new TokenizerError(`${fn}: expected options.${key} to be a boolean, got ${JSON.stringify(options[key])}`);
    }
  }
  const lowercase = options.doLowerCase ?? true;
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].filter((s) => ids.has(s));
  const document = {
    added_tokens: specials.map((content) => ({ id: ids.get(content), content, normalized: false, special: true })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: options.tokenizeChineseChars ?? true,
      strip_accents: options.stripAccents ?? null,
      lowercase,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', cls: ['[CLS]', ids.get('[CLS]')], sep: ['[SEP]', ids.get('[SEP]')] },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: Object.fromEntries(ids) },
  };
  return fromDocument(document, {}, new JsonReader(fn, 'vocab.txt'));
}

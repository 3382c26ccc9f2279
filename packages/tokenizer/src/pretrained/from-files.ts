/**
 * Pretrained tokenizers from the classic files: GPT-2's `vocab.json` + `merges.txt` and BERT's
 * `vocab.txt`, on {@link BPETokenizer} and {@link WordPieceTokenizer}.
 */
import { BPETokenizer } from '../bpe/bpe-tokenizer.js';
import type { Tokenizer } from '../core/tokenizer.js';
import { TokenizerError } from '../core/errors.js';
import { isObject, parseJson } from '../core/json-input.js';
import { WordPieceTokenizer } from '../wordpiece/wordpiece-tokenizer.js';
import { parseVocabTxt } from '../wordpiece/vocab-txt.js';
import { byteLevelDecoder, wordPieceDecoder, type Decoder } from './decoders.js';
import { bertTemplate, CONCAT_PROCESSOR, type PostProcessor, type SequenceEncoding } from './post-process.js';
import { PipelineTokenizer } from './pipeline-tokenizer.js';
import type { PretrainedSpecialTokens, PretrainedTokenizer } from './types.js';

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
  const additional = isObject(vocab) ? wanted.filter((s) => Object.hasOwn(vocab, s)) : [];
  const inner = BPETokenizer.fromParsedFiles(vocab, mergesTxt, { specialTokens: { additional } }, fn);
  const eot = inner.tokenToId('<|endoftext|>');
  const roles = additional.includes('<|endoftext|>') ? { bos: eot, eos: eot, unk: eot } : {};
  return assemble(inner, { ...roles, tokens: new Map(additional.map((s) => [s, inner.tokenToId(s)!])) }, CONCAT_PROCESSOR, byteLevelDecoder);
}

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
  const present = new Set(tokens);
  for (const required of ['[UNK]', '[CLS]', '[SEP]']) {
    if (!present.has(required)) throw new TokenizerError(`${fn}: expected vocab.txt to hold ${required}, got a vocabulary without it`);
  }
  for (const key of ['doLowerCase', 'stripAccents', 'tokenizeChineseChars'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'boolean') {
      throw new TokenizerError(`${fn}: expected options.${key} to be a boolean, got ${JSON.stringify(options[key])}`);
    }
  }
  const role = (s: string) => (present.has(s) ? s : null);
  const lowercase = options.doLowerCase ?? true;
  const inner = WordPieceTokenizer.fromTokens(tokens, {
    lowercase,
    stripAccents: options.stripAccents ?? lowercase,
    tokenizeChineseChars: options.tokenizeChineseChars ?? true,
    specialTokens: { pad: role('[PAD]'), sos: '[CLS]', eos: '[SEP]', unk: '[UNK]', additional: present.has('[MASK]') ? ['[MASK]'] : [] },
  });
  const id = (s: string) => inner.tokenToId(s);
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].filter((s) => present.has(s));
  const roles: PretrainedSpecialTokens = {
    tokens: new Map(specials.map((s) => [s, id(s)!])),
    pad: id('[PAD]'),
    unk: id('[UNK]'),
    cls: id('[CLS]'),
    sep: id('[SEP]'),
    mask: id('[MASK]'),
  };
  return assemble(inner, roles, bertTemplate(['[CLS]', roles.cls!], ['[SEP]', roles.sep!]), wordPieceDecoder('##', true));
}

/** A {@link PipelineTokenizer} over one of this package's tokenizers, special tokens found in text. */
function assemble(
  inner: Tokenizer,
  specialTokens: PretrainedSpecialTokens,
  processor: PostProcessor,
  decoder: Decoder,
): PretrainedTokenizer {
  const tokens = inner.vocab.tokens();
  return new PipelineTokenizer({
    encodeSequence(text): SequenceEncoding {
      const { ids, tokens: pieces, offsets } = inner.encodeWithOffsets(text, { parseSpecialTokens: true });
      return { ids, tokens: pieces, offsets };
    },
    processor,
    decoder,
    tokens,
    ids: new Map(tokens.map((t, i) => [t, i])),
    specialTokens,
    specialIds: new Set(specialTokens.tokens.values()),
  });
}

// Core: shapes, errors, vocabulary, special tokens, the shared Tokenizer base.
export { TokenizerError } from './core/errors.js';
export type { BatchEncoding, BatchOptions, DecodeOptions, EncodeOptions, Encoding } from './core/types.js';
export type { Corpus } from './core/corpus.js';
export { Vocabulary, countsToTokens, type CountsToTokensOptions } from './core/vocabulary.js';
export { DEFAULT_SPECIAL_TOKENS, SpecialTokens, type SpecialRole, type SpecialTokensConfig } from './core/special-tokens.js';
export { Tokenizer } from './core/tokenizer.js';
// Tokenizers.
export { CharTokenizer, type CharTokenizerOptions, type CharTokenizerJSON } from './simple/char-tokenizer.js';
export { WordTokenizer, type WordTokenizerOptions, type WordTokenizerJSON } from './simple/word-tokenizer.js';
export { BPETokenizer, type BPEOptions, type BPETrainOptions, type BPETokenizerJSON } from './bpe/bpe-tokenizer.js';
export {
  WordPieceTokenizer,
  BERT_SPECIAL_TOKENS,
  type WordPieceOptions,
  type WordPieceTokenizerJSON,
} from './wordpiece/wordpiece-tokenizer.js';
export { basicTokenize, type BasicTokenizerOptions, type BasicWord } from './wordpiece/basic-tokenizer.js';
export { loadTokenizer, type AnyTokenizer } from './load.js';
// Byte-level building blocks (for pictures and custom pipelines).
export { gpt2Split, GPT2_PATTERN } from './bpe/gpt2-split.js';
export { BYTE_TO_CHAR, bytesToToken, tokenToBytes } from './bpe/byte-unicode.js';
export { vocabAndMergesFromTiktoken, type VocabAndMerges } from './bpe/tiktoken.js';
// Pretrained models' tokenizers (GPT-2, BERT, tokenizer.json).
export type {
  PretrainedTokenizer,
  PretrainedEncoding,
  PretrainedEncodeOptions,
  PretrainedDecodeOptions,
  PretrainedSpecialTokens,
} from './pretrained/types.js';
export { fromGpt2Files, fromBertVocab, type Gpt2FilesOptions, type BertVocabOptions } from './pretrained/from-files.js';
export { fromTokenizerJson, type TokenizerJsonOptions, type SpecialRole as PretrainedSpecialRole } from './hf/from-tokenizer-json.js';

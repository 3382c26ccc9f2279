export { TokenizerError } from './core/errors.js';
export type { BatchEncoding, BatchOptions, DecodeOptions, EncodeOptions, Encoding } from './core/types.js';
export { Vocabulary, countsToTokens, type CountsToTokensOptions } from './core/vocabulary.js';
export { DEFAULT_SPECIAL_TOKENS, SpecialTokens, type SpecialRole, type SpecialTokensConfig } from './core/special-tokens.js';
export { Tokenizer } from './core/tokenizer.js';
export { BPETokenizer, type BPEOptions, type BPETrainOptions, type BPETokenizerJSON } from './bpe/bpe-tokenizer.js';
export { gpt2Split, GPT2_PATTERN } from './bpe/gpt2-split.js';
export { BYTE_TO_CHAR, bytesToToken, tokenToBytes } from './bpe/byte-unicode.js';

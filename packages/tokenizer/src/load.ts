import { BPETokenizer } from './bpe/bpe-tokenizer.js';
import { TokenizerError } from './core/errors.js';
import { isObject, parseJson } from './core/json-input.js';
import { CharTokenizer, type CharTokenizerJSON } from './simple/char-tokenizer.js';
import { WordTokenizer, type WordTokenizerJSON } from './simple/word-tokenizer.js';
import { WordPieceTokenizer, type WordPieceTokenizerJSON } from './wordpiece/wordpiece-tokenizer.js';
import type { BPETokenizerJSON } from './bpe/bpe-tokenizer.js';

/** Any tokenizer this package can save. */
export type AnyTokenizer = CharTokenizer | WordTokenizer | BPETokenizer | WordPieceTokenizer;

/**
 * Reads any tokenizer written by `save()`, dispatching on its `type`.
 * @example const tok = loadTokenizer(readFileSync('tokenizer.qkv.json', 'utf8'))
 */
export function loadTokenizer(json: string | object): AnyTokenizer {
  const data = parseJson(json, 'loadTokenizer', 'the saved tokenizer');
  const type = isObject(data) ? data.type : undefined;
  switch (type) {
    case 'char':
      return CharTokenizer.load(data as CharTokenizerJSON);
    case 'word':
      return WordTokenizer.load(data as WordTokenizerJSON);
    case 'bpe':
      return BPETokenizer.load(data as BPETokenizerJSON);
    case 'wordpiece':
      return WordPieceTokenizer.load(data as WordPieceTokenizerJSON);
    default:
      throw new TokenizerError(`loadTokenizer: expected type 'char' | 'word' | 'bpe' | 'wordpiece', got ${JSON.stringify(type)}`);
  }
}

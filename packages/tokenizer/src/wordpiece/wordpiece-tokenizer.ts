import { describe, TokenizerError } from '../core/errors.js';
import { readSaved } from '../core/saved-file.js';
import { MAX_INPUT_CHARS_PER_WORD_LIMIT } from '../hf/models.js';
import { SpecialTokens, type SpecialTokensConfig } from '../core/special-tokens.js';
import { Tokenizer } from '../core/tokenizer.js';
import type { Encoding } from '../core/types.js';
import { Vocabulary } from '../core/vocabulary.js';
import { basicTokenize, type BasicTokenizerOptions, type BasicWord } from './basic-tokenizer.js';
import { parseVocabTxt } from './vocab-txt.js';

/** BERT's roles: `[PAD]`, `[CLS]` as sos, `[SEP]` as eos, `[UNK]`, plus `[MASK]`. */
export const BERT_SPECIAL_TOKENS = {
  pad: '[PAD]',
  sos: '[CLS]',
  eos: '[SEP]',
  unk: '[UNK]',
  additional: ['[MASK]'],
} as const satisfies SpecialTokensConfig;

/** Options for a {@link WordPieceTokenizer}. */
export interface WordPieceOptions extends BasicTokenizerOptions {
  /** Default {@link BERT_SPECIAL_TOKENS}; missing ones are appended to the vocabulary. */
  specialTokens?: SpecialTokensConfig;
  /** Prefix of a word-internal piece. Default `'##'`. */
  continuingSubwordPrefix?: string;
  /** Longer words (in code points) become `[UNK]`. Default 100. */
  maxInputCharsPerWord?: number;
}

/** The saved form of a {@link WordPieceTokenizer}. */
export interface WordPieceTokenizerJSON {
  type: 'wordpiece';
  version: 1;
  vocab: string[];
  specialTokens: SpecialTokensConfig;
  lowercase: boolean;
  stripAccents: boolean;
  /** Absent in files written before it existed: true. */
  tokenizeChineseChars?: boolean;
  continuingSubwordPrefix: string;
  maxInputCharsPerWord: number;
}

/**
 * BERT's tokenizer: the basic tokenizer, then greedy longest-match-first WordPiece with `##`
 * continuations; a word with any unmatched part becomes one `[UNK]`.
 */
export class WordPieceTokenizer extends Tokenizer {
  protected override readonly joiner = ' ';
  readonly #options: Required<Omit<WordPieceOptions, 'specialTokens'>>;
  /** Code points of the longest vocabulary token: no longer candidate can match. */
  readonly #longest: number;

  private constructor(vocab: Vocabulary, options: WordPieceOptions, fn: string) {
    super(vocab, new SpecialTokens(options.specialTokens ?? BERT_SPECIAL_TOKENS, vocab));
    const flag = (name: 'lowercase' | 'stripAccents' | 'tokenizeChineseChars', fallback: boolean) => {
      const value = options[name];
      if (value !== undefined && typeof value !== 'boolean') throw new TokenizerError(`${fn}: expected options.${name} to be a boolean, got ${describe(value)}`);
      return value ?? fallback;
    };
    const lowercase = flag('lowercase', true);
    const prefix = options.continuingSubwordPrefix ?? '##';
    if (typeof prefix !== 'string' || prefix === '') throw new TokenizerError(`${fn}: expected options.continuingSubwordPrefix to be a non-empty string, got ${describe(prefix)}`);
    const maxChars = options.maxInputCharsPerWord ?? 100;
    if (!Number.isInteger(maxChars) || maxChars < 1 || maxChars > MAX_INPUT_CHARS_PER_WORD_LIMIT) {
      throw new TokenizerError(
        `${fn}: expected options.maxInputCharsPerWord to be an integer in [1, ${MAX_INPUT_CHARS_PER_WORD_LIMIT}] (Hugging Face's default is 100), got ${describe(maxChars)}`,
      );
    }
    this.#options = {
      lowercase,
      stripAccents: flag('stripAccents', lowercase),
      tokenizeChineseChars: flag('tokenizeChineseChars', true),
      continuingSubwordPrefix: prefix,
      maxInputCharsPerWord: maxChars,
    };
    let longest = 0;
    for (const token of vocab.tokens()) longest = Math.max(longest, [...token].length);
    this.#longest = longest;
    if (this.specialTokens.unk === undefined) {
      throw new TokenizerError(`${fn}: expected an unk token (WordPiece needs one for unmatched words), got none`);
    }
  }

  /**
   * From the text of BERT's `vocab.txt`. bert-base-uncased: defaults; cased models: `{ lowercase: false }`.
   * @example WordPieceTokenizer.fromVocabTxt(readFileSync('vocab.txt', 'utf8')).encode('unaffable') // ids of un ##aff ##able
   */
  static fromVocabTxt(vocabTxt: string, options: WordPieceOptions = {}): WordPieceTokenizer {
    return new WordPieceTokenizer(new Vocabulary(parseVocabTxt(vocabTxt, 'WordPieceTokenizer.fromVocabTxt')), options, 'WordPieceTokenizer.fromVocabTxt');
  }

  /**
   * From tokens in id order. @example WordPieceTokenizer.fromTokens(['[UNK]', 'un', '##aff', '##able'])
   */
  static fromTokens(tokens: readonly string[], options: WordPieceOptions = {}): WordPieceTokenizer {
    return new WordPieceTokenizer(new Vocabulary(tokens), options, 'WordPieceTokenizer.fromTokens');
  }

  /**
   * Reads what {@link WordPieceTokenizer.save} wrote. @example WordPieceTokenizer.load(tok.save())
   */
  static load(json: string | WordPieceTokenizerJSON): WordPieceTokenizer {
    const fn = 'WordPieceTokenizer.load';
    const saved = readSaved(json, fn, 'wordpiece');
    const { r, data } = saved;
    r.onlyKeys(data, '(the document)', ['type', 'version', 'vocab', 'specialTokens', 'lowercase', 'stripAccents', 'tokenizeChineseChars', 'continuingSubwordPrefix', 'maxInputCharsPerWord']);
    const lowercase = r.boolean(r.get(data, 'lowercase'), 'lowercase', true);
    const options: WordPieceOptions = {
      specialTokens: saved.specialTokens,
      lowercase,
      stripAccents: r.boolean(r.get(data, 'stripAccents'), 'stripAccents', lowercase),
      tokenizeChineseChars: r.boolean(r.get(data, 'tokenizeChineseChars'), 'tokenizeChineseChars', true),
      continuingSubwordPrefix: r.string(r.get(data, 'continuingSubwordPrefix') ?? '##', 'continuingSubwordPrefix', { nonEmpty: true }),
      maxInputCharsPerWord: r.integer(r.get(data, 'maxInputCharsPerWord'), 'maxInputCharsPerWord', 1, MAX_INPUT_CHARS_PER_WORD_LIMIT, 100),
    };
    return new WordPieceTokenizer(new Vocabulary(saved.vocab), options, fn);
  }

  override toJSON(): WordPieceTokenizerJSON {
    return { type: 'wordpiece', version: 1, vocab: this.vocab.tokens(), specialTokens: this.specialTokens.config, ...this.#options };
  }

  protected override encodeIdsInto(text: string, out: number[]): void {
    for (const word of basicTokenize(text, this.#options)) this.#pieces(word, (id) => out.push(id));
  }

  protected override encodeSpansInto(text: string, start: number, out: Encoding): void {
    for (const word of basicTokenize(text, this.#options)) {
      this.#pieces(word, (id, s, e) => {
        out.ids.push(id);
        out.tokens.push(this.vocab.token(id)!);
        out.offsets.push([start + s, start + e]);
        out.specialTokensMask.push(0);
      });
    }
  }

  protected override decodeRun(ids: readonly number[]): string {
    const prefix = this.#options.continuingSubwordPrefix;
    return ids.map((id) => this.vocab.token(id)!).join(' ').replaceAll(` ${prefix}`, '');
  }

  /** Greedy longest-match-first over the C code points of one word; emits input spans. */
  #pieces(word: BasicWord, emit: (id: number, start: number, end: number) => void): void {
    const { chars, starts, ends } = word;
    const unk = this.specialTokens.unk!;
    if (chars.length > this.#options.maxInputCharsPerWord) return emit(unk, starts[0]!, ends.at(-1)!);
    const found: [number, number, number][] = [];
    for (let begin = 0; begin < chars.length; ) {
      let end = Math.min(chars.length, begin + this.#longest);
      let id: number | undefined;
      for (; end > begin; end--) {
        const piece = chars.slice(begin, end).join('');
        id = this.vocab.id(begin > 0 ? this.#options.continuingSubwordPrefix + piece : piece);
        if (id !== undefined) break;
      }
      if (id === undefined) return emit(unk, starts[0]!, ends.at(-1)!);
      found.push([id, starts[begin]!, ends[end - 1]!]);
      begin = end;
    }
    for (const [id, s, e] of found) emit(id, s, e);
  }
}

import { TokenizerError } from '../core/errors.js';
import { isObject, parseJson } from '../core/json-input.js';
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

  private constructor(vocab: Vocabulary, options: WordPieceOptions) {
    super(vocab, new SpecialTokens(options.specialTokens ?? BERT_SPECIAL_TOKENS, vocab));
    const lowercase = options.lowercase ?? true;
    this.#options = {
      lowercase,
      stripAccents: options.stripAccents ?? lowercase,
      tokenizeChineseChars: options.tokenizeChineseChars ?? true,
      continuingSubwordPrefix: options.continuingSubwordPrefix ?? '##',
      maxInputCharsPerWord: options.maxInputCharsPerWord ?? 100,
    };
    if (this.specialTokens.unk === undefined) {
      throw new TokenizerError('WordPieceTokenizer: expected an unk token (WordPiece needs one for unmatched words), got none');
    }
  }

  /**
   * From the text of BERT's `vocab.txt`. bert-base-uncased: defaults; cased models: `{ lowercase: false }`.
   * @example WordPieceTokenizer.fromVocabTxt(readFileSync('vocab.txt', 'utf8')).encode('unaffable') // ids of un ##aff ##able
   */
  static fromVocabTxt(vocabTxt: string, options: WordPieceOptions = {}): WordPieceTokenizer {
    return new WordPieceTokenizer(new Vocabulary(parseVocabTxt(vocabTxt, 'WordPieceTokenizer.fromVocabTxt')), options);
  }

  /**
   * From tokens in id order. @example WordPieceTokenizer.fromTokens(['[UNK]', 'un', '##aff', '##able'])
   */
  static fromTokens(tokens: readonly string[], options: WordPieceOptions = {}): WordPieceTokenizer {
    return new WordPieceTokenizer(new Vocabulary(tokens), options);
  }

  /**
   * Reads what {@link WordPieceTokenizer.save} wrote. @example WordPieceTokenizer.load(tok.save())
   */
  static load(json: string | WordPieceTokenizerJSON): WordPieceTokenizer {
    const data = parseJson(json, 'WordPieceTokenizer.load', 'the saved tokenizer');
    if (!isObject(data) || data.type !== 'wordpiece' || !Array.isArray(data.vocab)) {
      throw new TokenizerError(`WordPieceTokenizer.load: expected { type: 'wordpiece', vocab: string[] }, got ${JSON.stringify(data).slice(0, 80)}`);
    }
    const { vocab, type: _type, version: _version, ...options } = data as unknown as WordPieceTokenizerJSON;
    return new WordPieceTokenizer(new Vocabulary(vocab), options);
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
      let end = chars.length;
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

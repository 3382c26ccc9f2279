import type { Corpus } from '../core/corpus.js';
import { corpusTexts } from '../core/corpus.js';
import { TokenizerError } from '../core/errors.js';
import { readSaved } from '../core/saved-file.js';
import { DEFAULT_SPECIAL_TOKENS, SpecialTokens, type SpecialTokensConfig } from '../core/special-tokens.js';
import { Tokenizer } from '../core/tokenizer.js';
import type { Encoding } from '../core/types.js';
import { countsToTokens, Vocabulary } from '../core/vocabulary.js';

/** Words (letters, marks, digits, `_`, inner apostrophes) or any single other non-space character. */
const WORD = /[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}\p{M}\p{N}_]+)*|\S/gu;

/** Options for {@link WordTokenizer.fromCorpus}. */
export interface WordTokenizerOptions {
  /** Drop words seen fewer times. Default 1. */
  minFreq?: number;
  /** At most this many words, most frequent first (specials not counted). Default unlimited. */
  maxSize?: number;
  /** Lower-case text before splitting (for building and for encoding). Default false. */
  lowercase?: boolean;
  /** Default `<pad> <sos> <eos> <unk>` at ids 0…3. */
  specialTokens?: SpecialTokensConfig;
}

/** The saved form of a {@link WordTokenizer}. */
export interface WordTokenizerJSON {
  type: 'word';
  version: 1;
  vocab: string[];
  lowercase: boolean;
  specialTokens: SpecialTokensConfig;
}

/**
 * Splits on words and single punctuation marks; unknown words become `<unk>`. Decoding joins
 * tokens with single spaces, so it is lossy for spacing (`"Hi, you"` decodes to `"Hi , you"`).
 */
export class WordTokenizer extends Tokenizer {
  protected override readonly joiner = ' ';
  readonly #lowercase: boolean;

  private constructor(vocab: Vocabulary, specialTokens: SpecialTokens, lowercase: boolean) {
    super(vocab, specialTokens);
    this.#lowercase = lowercase;
  }

  /**
   * Vocabulary from a corpus: most frequent first, ties in code-unit order.
   * @example WordTokenizer.fromCorpus(['the cat', 'the dog'], { minFreq: 2 }).encode('the cat') // [4, 3]: 'cat' is <unk>
   */
  static fromCorpus(corpus: Corpus, options: WordTokenizerOptions = {}): WordTokenizer {
    const lowercase = options.lowercase ?? false;
    const counts = new Map<string, number>();
    for (const text of corpusTexts(corpus)) {
      for (const [match] of text.matchAll(WORD)) {
        const word = lowercase ? match.toLowerCase() : match;
        counts.set(word, (counts.get(word) ?? 0) + 1);
      }
    }
    const vocab = new Vocabulary();
    const specials = new SpecialTokens(options.specialTokens ?? DEFAULT_SPECIAL_TOKENS, vocab);
    for (const word of countsToTokens(counts, options)) vocab.add(word);
    return new WordTokenizer(vocab, specials, lowercase);
  }

  /**
   * Reads what {@link WordTokenizer.save} wrote.
   * @example WordTokenizer.load(tok.save())
   */
  static load(json: string | WordTokenizerJSON): WordTokenizer {
    const saved = readSaved(json, 'WordTokenizer.load', 'word');
    saved.r.onlyKeys(saved.data, '(the document)', ['type', 'version', 'vocab', 'lowercase', 'specialTokens']);
    const lowercase = saved.r.boolean(saved.r.get(saved.data, 'lowercase'), 'lowercase', false);
    const vocab = new Vocabulary(saved.vocab);
    return new WordTokenizer(vocab, new SpecialTokens(saved.specialTokens, vocab), lowercase);
  }

  override toJSON(): WordTokenizerJSON {
    return { type: 'word', version: 1, vocab: this.vocab.tokens(), lowercase: this.#lowercase, specialTokens: this.specialTokens.config };
  }

  protected override encodeIdsInto(text: string, out: number[]): void {
    this.#each(text, (id) => out.push(id));
  }

  protected override encodeSpansInto(text: string, start: number, out: Encoding): void {
    this.#each(text, (id, s, e) => {
      out.ids.push(id);
      out.tokens.push(this.vocab.token(id)!);
      out.offsets.push([start + s, start + e]);
      out.specialTokensMask.push(0);
    });
  }

  protected override decodeRun(ids: readonly number[]): string {
    return ids.map((id) => this.vocab.token(id)!).join(' ');
  }

  #each(text: string, emit: (id: number, start: number, end: number) => void): void {
    // Lower-casing can change lengths (İ → i̇), so words are found in the original text.
    for (const match of text.matchAll(WORD)) {
      const word = this.#lowercase ? match[0].toLowerCase() : match[0];
      const id = this.vocab.id(word) ?? this.specialTokens.unk;
      if (id === undefined) throw new TokenizerError(`WordTokenizer.encode: expected known words or an unk token, got ${JSON.stringify(word)}`);
      emit(id, match.index, match.index + match[0].length);
    }
  }
}

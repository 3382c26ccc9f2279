import type { Corpus } from '../core/corpus.js';
import { corpusTexts } from '../core/corpus.js';
import { TokenizerError } from '../core/errors.js';
import { readSaved } from '../core/saved-file.js';
import { DEFAULT_SPECIAL_TOKENS, isSpecialString, SpecialTokens, type SpecialTokensConfig } from '../core/special-tokens.js';
import { Tokenizer } from '../core/tokenizer.js';
import type { Encoding } from '../core/types.js';
import { countsToTokens, Vocabulary } from '../core/vocabulary.js';

/** Options for building a {@link CharTokenizer}. */
export interface CharTokenizerOptions {
  /** Drop characters seen fewer times (from a corpus). Default 1. */
  minFreq?: number;
  /** At most this many characters, most frequent first (specials not counted). Default unlimited. */
  maxSize?: number;
  /** Default `<pad> <sos> <eos> <unk>` at ids 0…3. */
  specialTokens?: SpecialTokensConfig;
}

/** The saved form of a {@link CharTokenizer}. */
export interface CharTokenizerJSON {
  type: 'char';
  version: 1;
  vocab: string[];
  specialTokens: SpecialTokensConfig;
}

/**
 * One token per Unicode code point (an emoji is one token; a lone surrogate is its own code
 * point). Characters outside the vocabulary become `<unk>`, or an error if there is none.
 */
export class CharTokenizer extends Tokenizer {
  private constructor(vocab: Vocabulary, specialTokens: SpecialTokens) {
    super(vocab, specialTokens);
  }

  /**
   * Vocabulary from the characters of a corpus, most frequent first.
   * @example CharTokenizer.fromCorpus('hello 안녕').encode('hell') // [5, 6, 7, 7] after 4 specials
   */
  static fromCorpus(corpus: Corpus, options: CharTokenizerOptions = {}): CharTokenizer {
    const counts = new Map<string, number>();
    for (const text of corpusTexts(corpus)) for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    return CharTokenizer.fromAlphabet(countsToTokens(counts, options), options);
  }

  /**
   * Vocabulary from a given alphabet, in order after the special tokens.
   * @example CharTokenizer.fromAlphabet('abc', { specialTokens: { pad: '_' } }).vocabSize // 4
   */
  static fromAlphabet(alphabet: string | Iterable<string>, options: CharTokenizerOptions = {}): CharTokenizer {
    const vocab = new Vocabulary();
    const specials = new SpecialTokens(options.specialTokens ?? DEFAULT_SPECIAL_TOKENS, vocab);
    for (const ch of typeof alphabet === 'string' ? [...alphabet] : alphabet) {
      if ([...ch].length !== 1) throw new TokenizerError(`CharTokenizer.fromAlphabet: expected single characters, got ${JSON.stringify(ch)}`);
      vocab.add(ch);
    }
    return new CharTokenizer(vocab, specials);
  }

  /**
   * Reads what {@link CharTokenizer.save} wrote.
   * @example CharTokenizer.load(tok.save())
   */
  static load(json: string | CharTokenizerJSON): CharTokenizer {
    const saved = readSaved(json, 'CharTokenizer.load', 'char');
    saved.r.onlyKeys(saved.data, '(the document)', ['type', 'version', 'vocab', 'specialTokens']);
    for (const [i, token] of saved.vocab.entries()) {
      if ([...token].length !== 1 && !isSpecialString(saved.specialTokens, token)) {
        throw saved.r.error(`vocab[${i}]`, 'one character (or a special token)', token);
      }
    }
    const vocab = new Vocabulary(saved.vocab);
    return new CharTokenizer(vocab, new SpecialTokens(saved.specialTokens, vocab));
  }

  override toJSON(): CharTokenizerJSON {
    return { type: 'char', version: 1, vocab: this.vocab.tokens(), specialTokens: this.specialTokens.config };
  }

  protected override encodeIdsInto(text: string, out: number[]): void {
    for (const ch of text) out.push(this.#id(ch));
  }

  protected override encodeSpansInto(text: string, start: number, out: Encoding): void {
    let at = start;
    for (const ch of text) {
      const id = this.#id(ch);
      out.ids.push(id);
      out.tokens.push(this.vocab.token(id)!);
      out.offsets.push([at, at + ch.length]);
      out.specialTokensMask.push(0);
      at += ch.length;
    }
  }

  protected override decodeRun(ids: readonly number[]): string {
    return ids.map((id) => this.vocab.token(id)!).join('');
  }

  #id(ch: string): number {
    const id = this.vocab.id(ch) ?? this.specialTokens.unk;
    if (id === undefined) {
      const cp = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      throw new TokenizerError(`CharTokenizer.encode: expected characters in the vocabulary or an unk token, got ${JSON.stringify(ch)} (U+${cp})`);
    }
    return id;
  }
}

import { TokenizerError } from '../core/errors.js';
import { parseJson, tokensFromIdMap } from '../core/json-input.js';
import { readSaved, readSavedMerges } from '../core/saved-file.js';
import { DEFAULT_SPECIAL_TOKENS, SpecialTokens, type SpecialTokensConfig } from '../core/special-tokens.js';
import { Tokenizer } from '../core/tokenizer.js';
import type { Encoding } from '../core/types.js';
import { Vocabulary } from '../core/vocabulary.js';
import { ByteLevelBPE } from './byte-level-bpe.js';
import { BYTE_TO_CHAR } from './byte-unicode.js';
import { mergesToIds, parseMergesTxt } from './merges-file.js';
import { readTokenizerJson } from './tokenizer-json.js';
import { learnMerges } from './train.js';

/** Options when loading or building a byte-level BPE tokenizer. */
export interface BPEOptions {
  /** Roles of special tokens; absent tokens are appended to the vocabulary. Default: none (GPT-2 has only `<|endoftext|>`). */
  specialTokens?: SpecialTokensConfig;
  /** Put a space before text that does not start with one (RoBERTa-style). Default false. */
  addPrefixSpace?: boolean;
}

/** Options for {@link BPETokenizer.train}. */
export interface BPETrainOptions {
  /** Target vocabulary size: special tokens + 256 bytes + merges. */
  vocabSize: number;
  /** Stop when the best pair occurs fewer times than this. Default 2. */
  minFrequency?: number;
  /** Default `<pad> <sos> <eos> <unk>` at ids 0…3. */
  specialTokens?: SpecialTokensConfig;
}

/** The saved form of a {@link BPETokenizer}. */
export interface BPETokenizerJSON {
  type: 'bpe';
  version: 1;
  vocab: string[];
  merges: [string, string][];
  specialTokens: SpecialTokensConfig;
  addPrefixSpace: boolean;
}

/**
 * Byte-level BPE exactly like GPT-2: GPT-2's pre-tokenisation regex, UTF-8 bytes, ranked merges.
 * Every string encodes (no `<unk>` needed) and decodes back; a lone surrogate encodes as U+FFFD.
 */
export class BPETokenizer extends Tokenizer {
  readonly #bpe: ByteLevelBPE;
  readonly #merges: [number, number][];
  readonly #addPrefixSpace: boolean;

  private constructor(vocab: Vocabulary, merges: [number, number][], options: BPEOptions, fn: string) {
    super(vocab, new SpecialTokens(options.specialTokens ?? {}, vocab));
    this.#merges = merges;
    this.#addPrefixSpace = options.addPrefixSpace ?? false;
    this.#bpe = new ByteLevelBPE(vocab, merges, fn);
  }

  /**
   * From a token → id map and merges in rank order (`'Ġ t'` strings or `['Ġ', 't']` pairs).
   * @example BPETokenizer.fromVocabAndMerges(vocab, ['Ġ t', 'h e'])
   */
  static fromVocabAndMerges(
    vocab: Record<string, number>,
    merges: readonly (string | readonly [string, string])[],
    options: BPEOptions = {},
  ): BPETokenizer {
    const fn = 'BPETokenizer.fromVocabAndMerges';
    const table = new Vocabulary(tokensFromIdMap(vocab, fn, 'vocab'));
    const pairs = merges.map((m, i) => {
      const pair = typeof m === 'string' ? m.split(' ') : m;
      if (pair.length !== 2) throw new TokenizerError(`${fn}: expected merge ${i} to be two tokens, got ${JSON.stringify(m)}`);
      return pair as readonly [string, string];
    });
    return new BPETokenizer(table, mergesToIds(pairs, table, fn, (i) => `merge ${i}`), options, fn);
  }

  /**
   * From the text of GPT-2-style `vocab.json` (a.k.a. `encoder.json`) and `merges.txt`.
   * @example BPETokenizer.fromFiles(readFileSync('vocab.json', 'utf8'), readFileSync('merges.txt', 'utf8'), { specialTokens: { eos: '<|endoftext|>' } })
   */
  static fromFiles(vocabJson: string, mergesTxt: string, options: BPEOptions = {}): BPETokenizer {
    return BPETokenizer.fromParsedFiles(parseJson(vocabJson, 'BPETokenizer.fromFiles', 'vocab.json'), mergesTxt, options, 'BPETokenizer.fromFiles');
  }

  /**
   * {@link BPETokenizer.fromFiles} with `vocab.json` already parsed; errors name `fn`.
   * @internal for `fromGpt2Files`
   */
  static fromParsedFiles(vocabObject: unknown, mergesTxt: string, options: BPEOptions, fn: string): BPETokenizer {
    const vocab = new Vocabulary(tokensFromIdMap(vocabObject, fn, 'vocab.json'));
    const merges = mergesToIds(parseMergesTxt(mergesTxt, fn), vocab, fn, (i) => `merges.txt merge ${i + 1}`);
    return new BPETokenizer(vocab, merges, options, fn);
  }

  /**
   * From a Hugging Face `tokenizer.json` whose model is byte-level BPE (GPT-2, RoBERTa, …).
   * Special tokens come from `added_tokens`; roles are guessed from common names unless given.
   * @example BPETokenizer.fromTokenizerJson(readFileSync('tokenizer.json', 'utf8'))
   */
  static fromTokenizerJson(json: string | object, options: BPEOptions = {}): BPETokenizer {
    const fn = 'BPETokenizer.fromTokenizerJson';
    const parsed = readTokenizerJson(parseJson(json, fn, 'tokenizer.json'), fn);
    const vocab = new Vocabulary(parsed.tokens);
    const merges = mergesToIds(parsed.merges, vocab, fn, (i) => `model.merges[${i}]`);
    return new BPETokenizer(
      vocab,
      merges,
      { specialTokens: options.specialTokens ?? parsed.specialTokens, addPrefixSpace: options.addPrefixSpace ?? parsed.addPrefixSpace },
      fn,
    );
  }

  /**
   * Learns a byte-level BPE from text. Ids: special tokens, then the 256 bytes, then merges.
   * @example BPETokenizer.train(['low lower lowest'], { vocabSize: 300 }).encode('lowest')
   */
  static train(corpus: string | Iterable<string>, options: BPETrainOptions): BPETokenizer {
    const specials = options.specialTokens ?? DEFAULT_SPECIAL_TOKENS;
    const vocab = new Vocabulary();
    const special = new SpecialTokens(specials, vocab);
    const reserved = new Set(vocab.tokens().map((_, id) => id));
    const byteIds = BYTE_TO_CHAR.map((ch) => vocab.add(ch));
    if (!Number.isInteger(options.vocabSize) || options.vocabSize < vocab.size) {
      throw new TokenizerError(`BPETokenizer.train: expected vocabSize to be an integer ≥ ${vocab.size} (specials + 256 bytes), got ${options.vocabSize}`);
    }
    const texts = typeof corpus === 'string' ? [corpus] : corpus;
    const merges = learnMerges(texts, vocab, byteIds, options.vocabSize, options.minFrequency ?? 2, reserved);
    return new BPETokenizer(vocab, merges, { specialTokens: special.config }, 'BPETokenizer.train');
  }

  /**
   * Reads what {@link BPETokenizer.save} wrote.
   * @example BPETokenizer.load(tok.save()).encode('hi') // same ids as tok.encode('hi')
   */
  static load(json: string | BPETokenizerJSON): BPETokenizer {
    const fn = 'BPETokenizer.load';
    const saved = readSaved(json, fn, 'bpe');
    saved.r.onlyKeys(saved.data, '(the document)', ['type', 'version', 'vocab', 'merges', 'specialTokens', 'addPrefixSpace']);
    const addPrefixSpace = saved.r.boolean(saved.r.get(saved.data, 'addPrefixSpace'), 'addPrefixSpace', false);
    const vocab = new Vocabulary(saved.vocab);
    const merges = mergesToIds(readSavedMerges(saved), vocab, fn, (i) => `merges[${i}]`);
    return new BPETokenizer(vocab, merges, { specialTokens: saved.specialTokens, addPrefixSpace }, fn);
  }

  /** The bytes N ids stand for (no UTF-8 decoding, so nothing is replaced). */
  decodeBytes(ids: readonly number[]): Uint8Array {
    return this.#bpe.decodeBytes(ids);
  }

  /** The merges in rank order, as token pairs. */
  merges(): [string, string][] {
    return this.#merges.map(([l, r]) => [this.vocab.token(l)!, this.vocab.token(r)!]);
  }

  override toJSON(): BPETokenizerJSON {
    return {
      type: 'bpe',
      version: 1,
      vocab: this.vocab.tokens(),
      merges: this.merges(),
      specialTokens: this.specialTokens.config,
      addPrefixSpace: this.#addPrefixSpace,
    };
  }

  protected override encodeIdsInto(text: string, out: number[]): void {
    this.#bpe.encodeInto(this.#needsPrefix(text) ? ` ${text}` : text, out);
  }

  protected override encodeSpansInto(text: string, start: number, out: Encoding): void {
    const shift = this.#needsPrefix(text) ? 1 : 0; // the added space maps onto the first character
    this.#bpe.encodeSpans(shift ? ` ${text}` : text, (id, s, e) => {
      out.ids.push(id);
      out.tokens.push(this.vocab.token(id)!);
      out.offsets.push([start + Math.max(0, s - shift), start + Math.max(0, e - shift)]);
      out.specialTokensMask.push(0);
    });
  }

  protected override decodeRun(ids: readonly number[]): string {
    return this.#bpe.decode(ids);
  }

  #needsPrefix(text: string): boolean {
    return this.#addPrefixSpace && text.length > 0 && text[0] !== ' ';
  }
}

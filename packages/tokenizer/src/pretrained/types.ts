/**
 * The tokenizer of a pretrained model (GPT-2, BERT, RoBERTa, …) as Hugging Face `tokenizers`
 * runs it: text → normalise → pre-tokenise → model → post-process (`[CLS] a [SEP] b [SEP]`), and
 * ids → tokens → decoder. Legend: N tokens of the encoded text (or pair), specials included.
 */

/** Options of {@link PretrainedTokenizer.encode} and friends. */
export interface PretrainedEncodeOptions {
  /** Add the model's special tokens (`[CLS]` … `[SEP]` for BERT; nothing for GPT-2). Default true. */
  addSpecialTokens?: boolean;
}

/** Options of {@link PretrainedTokenizer.decode}. */
export interface PretrainedDecodeOptions {
  /** Leave special tokens (`[CLS]`, `<|endoftext|>`, …) out of the text. Default false. */
  skipSpecialTokens?: boolean;
}

/** One encoded text or pair, field for field what `tokenizers`' `Encoding` holds. */
export interface PretrainedEncoding {
  /** [N] token ids. */
  ids: number[];
  /** [N] token strings as the vocabulary spells them (`Ġthe`, `##ing`). */
  tokens: string[];
  /** [N] 0 for the first text and its specials, 1 for the second (as the post-processor says). */
  typeIds: number[];
  /** [N] all 1: there is no padding in one encoding. */
  attentionMask: number[];
  /**
   * [N] `[start, end)` UTF-16 spans into the text the token came from (the second text for tokens
   * of the pair's second sequence); tokens added by the post-processor get `[0, 0]`.
   */
  offsets: [number, number][];
  /**
   * [N] 1 for tokens added by the post-processor, else 0. As in `tokenizers`, a special token
   * written inside the text is found as one token but counts as text here (0).
   */
  specialTokensMask: number[];
}

/**
 * Ids of the roles a model gives its special tokens; a role the model lacks is undefined.
 * `tokens` lists every special token (string → id).
 */
export interface PretrainedSpecialTokens {
  readonly tokens: ReadonlyMap<string, number>;
  readonly pad?: number;
  readonly unk?: number;
  readonly bos?: number;
  readonly eos?: number;
  readonly cls?: number;
  readonly sep?: number;
  readonly mask?: number;
}

/**
 * A pretrained model's tokenizer. Built by `fromGpt2Files`, `fromBertVocab` or `fromTokenizerJson`.
 * @example
 * const tok = fromGpt2Files(vocabJson, mergesTxt);
 * tok.decode(tok.encode('The attention mechanism')) // 'The attention mechanism'
 */
export interface PretrainedTokenizer {
  /** Number of ids: the model's vocabulary plus added tokens. */
  readonly vocabSize: number;
  /** The special tokens and their roles. */
  readonly specialTokens: PretrainedSpecialTokens;
  /**
   * Text → N ids, with the model's special tokens unless `addSpecialTokens: false`.
   * @example bert.encode('hello') // [101, 7592, 102] for bert-base-uncased
   */
  encode(text: string, options?: PretrainedEncodeOptions): number[];
  /**
   * A text and an optional second text → N ids (`[CLS] a [SEP] b [SEP]` for BERT).
   * @example bert.encodePair('a question', 'its context')
   */
  encodePair(a: string, b?: string, options?: PretrainedEncodeOptions): number[];
  /**
   * Text (and optional pair) → ids, tokens, type ids, attention mask, offsets, special-token mask.
   * @example bert.encodeWithDetails('a', 'b').typeIds // [0, 0, 0, 1, 1]
   */
  encodeWithDetails(text: string, pair?: string, options?: PretrainedEncodeOptions): PretrainedEncoding;
  /**
   * N ids → text through the model's decoder (byte-level for GPT-2, `##`-joining for BERT).
   * @example gpt2.decode([15496, 995]) // 'Hello world'
   */
  decode(ids: readonly number[], options?: PretrainedDecodeOptions): string;
  /** The id of a token string, or undefined. */
  tokenToId(token: string): number | undefined;
  /** The token string of an id, or undefined. */
  idToToken(id: number): string | undefined;
}

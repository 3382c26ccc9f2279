import { checkInteger, datasetError } from '../core/errors.js';
import { perplexity } from './perplexity.js';

/** Summed negative log-likelihood of some tokens and its perplexity. */
export interface LanguageModelScore {
  /** Σ −ln p(token | previous) over the scored tokens. */
  nll: number;
  /** Tokens scored. */
  tokens: number;
  /** exp(nll / tokens) */
  perplexity: number;
}

/**
 * The baseline for a character (or token) language model: p(b | a) = (count(a b) + k) / (count(a) + k·V),
 * add-k smoothed over a vocabulary of V ids. A model that beats it has learnt more than pairs.
 */
export class BigramLanguageModel {
  /** V */
  readonly vocabSize: number;
  /** The smoothing constant. */
  readonly k: number;
  /** [V·V] counts of (previous, next) pairs, row = previous. */
  readonly #pairs: Float64Array;
  /** [V] counts of each id as a previous token. */
  readonly #contexts: Float64Array;

  private constructor(vocabSize: number, k: number) {
    this.vocabSize = vocabSize;
    this.k = k;
    this.#pairs = new Float64Array(vocabSize * vocabSize);
    this.#contexts = new Float64Array(vocabSize);
  }

  /**
   * Counts the adjacent pairs of each sequence (pairs never cross sequences).
   * @param sequences token-id sequences, ids in [0, V)
   * @param options `vocabSize` V; `k` smoothing (default 1, Laplace)
   * @example BigramLanguageModel.fit([[0, 1, 1, 0]], { vocabSize: 2, k: 1 }).probability(1, 0) // (1 + 1) / (2 + 2)
   */
  static fit(sequences: Iterable<ArrayLike<number>>, options: { vocabSize: number; k?: number }): BigramLanguageModel {
    checkInteger('BigramLanguageModel.fit', 'vocabSize', options.vocabSize, 1, 65536);
    const k = options.k ?? 1;
    if (!(k > 0) || !Number.isFinite(k)) throw datasetError('BigramLanguageModel.fit', 'a smoothing constant k > 0', k);
    const model = new BigramLanguageModel(options.vocabSize, k);
    for (const seq of sequences) {
      model.#check(seq, 'BigramLanguageModel.fit');
      for (let t = 1; t < seq.length; t++) {
        model.#pairs[seq[t - 1]! * model.vocabSize + seq[t]!]! += 1;
        model.#contexts[seq[t - 1]!]! += 1;
      }
    }
    return model;
  }

  /** p(next | previous), smoothed. @example model.probability(3, 7) */
  probability(previous: number, next: number): number {
    return (this.#pairs[previous * this.vocabSize + next]! + this.k) / (this.#contexts[previous]! + this.k * this.vocabSize);
  }

  /**
   * Scores every token after the first of each sequence given its predecessor (the first token is
   * context only, as in a language model's next-token loss).
   * @example model.evaluate([testIds]).perplexity
   */
  evaluate(sequences: Iterable<ArrayLike<number>>): LanguageModelScore {
    let nll = 0;
    let tokens = 0;
    for (const seq of sequences) {
      this.#check(seq, 'BigramLanguageModel.evaluate');
      for (let t = 1; t < seq.length; t++) {
        nll -= Math.log(this.probability(seq[t - 1]!, seq[t]!));
        tokens++;
      }
    }
    return { nll, tokens, perplexity: perplexity(nll, tokens) };
  }

  #check(seq: ArrayLike<number>, fn: string): void {
    for (let t = 0; t < seq.length; t++) {
      const id = seq[t]!;
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw datasetError(fn, `ids in [0, ${this.vocabSize}) (position ${t})`, id);
    }
  }
}

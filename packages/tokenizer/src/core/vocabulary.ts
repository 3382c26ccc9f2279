import { TokenizerError } from './errors.js';

/** A bidirectional token ↔ id table with ids 0…size-1 and no duplicates. */
export class Vocabulary {
  readonly #tokens: string[] = [];
  readonly #ids = new Map<string, number>();

  /**
   * @param tokens token strings in id order; a repeated token is an error.
   * @example new Vocabulary(['<pad>', 'a', 'b']).id('a') // 1
   */
  constructor(tokens: Iterable<string> = []) {
    for (const token of tokens) {
      if (this.#ids.has(token)) {
        throw new TokenizerError(
          `Vocabulary: expected unique tokens, got ${JSON.stringify(token)} twice (ids ${this.#ids.get(token)} and ${this.#tokens.length})`,
        );
      }
      this.add(token);
    }
  }

  /** Number of tokens. */
  get size(): number {
    return this.#tokens.length;
  }

  /** The id of `token`, or undefined. */
  id(token: string): number | undefined {
    return this.#ids.get(token);
  }

  /** The token with `id`, or undefined. */
  token(id: number): string | undefined {
    return this.#tokens[id];
  }

  /** Whether `token` is present. */
  has(token: string): boolean {
    return this.#ids.has(token);
  }

  /** Adds `token` if absent and returns its id. */
  add(token: string): number {
    const existing = this.#ids.get(token);
    if (existing !== undefined) return existing;
    const id = this.#tokens.length;
    this.#tokens.push(token);
    this.#ids.set(token, id);
    return id;
  }

  /** All tokens in id order (a copy). */
  tokens(): string[] {
    return [...this.#tokens];
  }
}

/** Options for building a vocabulary from counts. */
export interface CountsToTokensOptions {
  /** Drop tokens seen fewer than this many times. Default 1. */
  minFreq?: number;
  /** Keep at most this many tokens (before special tokens are added). Default unlimited. */
  maxSize?: number;
}

/**
 * Orders counted tokens for a vocabulary: most frequent first, ties by code-unit order, so the
 * result does not depend on the order of the corpus.
 * @example countsToTokens(new Map([['b', 2], ['a', 2], ['c', 1]]), { minFreq: 2 }) // ['a', 'b']
 */
export function countsToTokens(counts: ReadonlyMap<string, number>, options: CountsToTokensOptions = {}): string[] {
  const minFreq = options.minFreq ?? 1;
  const maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
  if (!Number.isInteger(minFreq) || minFreq < 1) {
    throw new TokenizerError(`countsToTokens: expected minFreq to be an integer ≥ 1, got ${minFreq}`);
  }
  if (!(maxSize >= 0)) throw new TokenizerError(`countsToTokens: expected maxSize ≥ 0, got ${maxSize}`);
  const kept = [...counts].filter(([, count]) => count >= minFreq);
  kept.sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0));
  return kept.slice(0, maxSize).map(([token]) => token);
}

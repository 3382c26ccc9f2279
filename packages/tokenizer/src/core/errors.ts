/** The error every tokenizer throws: the message starts with the function that failed. */
export class TokenizerError extends Error {
  override readonly name = 'TokenizerError';
}

/**
 * Builds a {@link TokenizerError} whose message reads `fn: expected …, got …`.
 * @example throw tokenizerError('WordTokenizer.fromCorpus', 'minFreq ≥ 1', minFreq)
 */
export function tokenizerError(fn: string, expected: string, got: unknown): TokenizerError {
  return new TokenizerError(`${fn}: expected ${expected}, got ${describe(got)}`);
}

/** A short, printable description of an unexpected value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return 'an object';
}

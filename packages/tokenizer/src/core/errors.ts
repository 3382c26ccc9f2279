/**
 * The error every tokenizer throws: the message starts with the public function that failed;
 * errors about a file also carry the file's name and the field (`model.vocab`, `merges.txt line 3`).
 */
export class TokenizerError extends Error {
  override readonly name = 'TokenizerError';
  /** The file being read (`tokenizer.json`, `vocab.txt`, …), when the error is about one. */
  readonly file: string | undefined;
  /** The field or line of that file, e.g. `pre_tokenizer.pretokenizers[1].behavior`. */
  readonly field: string | undefined;

  constructor(message: string, file?: string, field?: string) {
    super(message);
    this.file = file;
    this.field = field;
  }
}

/**
 * Builds a {@link TokenizerError} whose message reads `fn: expected …, got …`.
 * @example throw tokenizerError('WordTokenizer.fromCorpus', 'minFreq ≥ 1', minFreq)
 */
export function tokenizerError(fn: string, expected: string, got: unknown): TokenizerError {
  return new TokenizerError(`${fn}: expected ${expected}, got ${describe(got)}`);
}

/**
 * An error about one field of a file: `fn: file field: expected …, got …`.
 * @example fieldError('fromTokenizerJson', 'tokenizer.json', 'model.vocab', 'an object', [])
 *   // fromTokenizerJson: tokenizer.json model.vocab: expected an object, got an array of length 0
 */
export function fieldError(fn: string, file: string, field: string, expected: string, got: unknown): TokenizerError {
  return new TokenizerError(`${fn}: ${file} ${field}: expected ${expected}, got ${describe(got)}`, file, field);
}

/** A short, printable description of an unexpected value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return 'an object';
}

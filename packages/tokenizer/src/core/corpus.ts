/** A corpus argument: one string or any iterable of strings (lines, documents). */
export type Corpus = string | Iterable<string>;

/** Iterates the texts of a corpus. @example [...corpusTexts('ab')] // ['ab'] */
export function corpusTexts(corpus: Corpus): Iterable<string> {
  return typeof corpus === 'string' ? [corpus] : corpus;
}

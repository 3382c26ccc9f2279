import { checkText, datasetError } from '../core/errors.js';

/** Longest file accepted (the corpus's longest text is about 60 kB; cats.txt about 10 kB). */
export const BROWN_LIMITS = Object.freeze({ fileLength: 10_000_000 });

/** One text of the Brown corpus as tagged sentences. */
export interface BrownDocument {
  /** File id, e.g. `"ca01"`. */
  id: string;
  /** Genre from `cats.txt`, e.g. `"news"`. */
  category: string;
  /** [S][N] words of each sentence, as printed (`"Atlanta's"`, `"``"`). */
  sentences: string[][];
  /** [S][N] the part-of-speech tag of each word (`"np$"`). */
  tags: string[][];
}

/**
 * `cats.txt` (`ca01 news` per line) → file id → category.
 * @example parseBrownCategories('ca01 news\nca02 news').get('ca02') // 'news'
 */
export function parseBrownCategories(text: string): Map<string, string> {
  const fn = 'parseBrownCategories';
  checkText(fn, 'cats.txt', text, BROWN_LIMITS.fileLength);
  const categories = new Map<string, string>();
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const match = /^(c[a-r]\d\d)\s+(\S+)$/.exec(line.trim());
    if (match === null) throw datasetError(fn, `line ${i + 1} to be "<file id> <category>" like "ca01 news"`, line);
    if (categories.has(match[1]!)) throw datasetError(fn, `each file id once (line ${i + 1})`, match[1]);
    categories.set(match[1]!, match[2]!);
  }
  return categories;
}

/**
 * One file in NLTK's tagged format (a sentence per line, tokens `word/tag`) → sentences and tags.
 * @example parseBrownFile('\tThe/at jury/nn ./.\n', 'ca01', 'news').sentences // [['The', 'jury', '.']]
 */
export function parseBrownFile(text: string, id: string, category: string): BrownDocument {
  checkText('parseBrownFile', 'id', id, 64);
  checkText('parseBrownFile', 'category', category, 64);
  checkText('parseBrownFile', `the text of ${id}`, text, BROWN_LIMITS.fileLength);
  const doc: BrownDocument = { id, category, sentences: [], tags: [] };
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const tokens = line.trim().split(/\s+/).filter((t) => t !== '');
    if (tokens.length === 0) continue;
    const words: string[] = [];
    const tags: string[] = [];
    for (const token of tokens) {
      const slash = token.lastIndexOf('/');
      if (slash <= 0 || slash === token.length - 1) throw datasetError('parseBrownFile', `tokens "word/tag" in ${id} line ${i + 1}`, token);
      words.push(token.slice(0, slash));
      tags.push(token.slice(slash + 1));
    }
    doc.sentences.push(words);
    doc.tags.push(tags);
  }
  if (doc.sentences.length === 0) throw datasetError('parseBrownFile', `at least one sentence in ${id}`, 'an empty file');
  return doc;
}

/**
 * Documents → plain text for a character language model: one sentence per line, words joined by
 * single spaces, the corpus's `` and '' quote marks turned into ".
 * @example brownText([doc]) // 'The jury said "no evidence" .\n…'
 */
export function brownText(documents: readonly BrownDocument[], options: { lowercase?: boolean } = {}): string {
  const lines: string[] = [];
  for (const doc of documents) {
    for (const words of doc.sentences) {
      const line = words.map((w) => (w === '``' || w === "''" ? '"' : w)).join(' ');
      lines.push(options.lowercase ? line.toLowerCase() : line);
    }
  }
  return lines.join('\n');
}

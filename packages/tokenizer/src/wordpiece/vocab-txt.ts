import { TokenizerError } from '../core/errors.js';
import { MAX_TOKENS } from '../core/json-input.js';

/**
 * Parses BERT's `vocab.txt`: one token per line, id = line number − 1, CRLF accepted.
 * @example parseVocabTxt('[PAD]\n[UNK]\nhello\n') // ['[PAD]', '[UNK]', 'hello']
 */
export function parseVocabTxt(text: string, fn: string): string[] {
  if (typeof text !== 'string') throw new TokenizerError(`${fn}: expected vocab.txt as a string, got ${typeof text}`);
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines.at(-1) === '') lines.pop();
  if (lines.length > MAX_TOKENS) throw new TokenizerError(`${fn}: expected vocab.txt to hold at most ${MAX_TOKENS} tokens, got ${lines.length} lines`);
  if (lines.length === 0) throw new TokenizerError(`${fn}: expected vocab.txt to hold at least one token, got an empty file`);
  const seen = new Map<string, number>();
  lines.forEach((token, i) => {
    if (token === '') throw new TokenizerError(`${fn}: expected a token on vocab.txt line ${i + 1}, got an empty line`);
    const first = seen.get(token);
    if (first !== undefined) {
      throw new TokenizerError(`${fn}: expected unique tokens in vocab.txt, got ${JSON.stringify(token)} on lines ${first + 1} and ${i + 1}`);
    }
    seen.set(token, i);
  });
  return lines;
}

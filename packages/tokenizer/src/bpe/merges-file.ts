import { TokenizerError } from '../core/errors.js';
import { MAX_TOKENS } from '../core/json-input.js';
import type { Vocabulary } from '../core/vocabulary.js';

/**
 * Parses GPT-2's `merges.txt`: an optional `#version` line, then one `left right` pair per line.
 * @example parseMergesTxt('#version: 0.2\nĠ t\nh e\n') // [['Ġ','t'], ['h','e']]
 */
export function parseMergesTxt(text: string, fn: string): [string, string][] {
  if (typeof text !== 'string') throw new TokenizerError(`${fn}: expected merges.txt as a string, got ${typeof text}`);
  const merges: [string, string][] = [];
  const lines = text.split('\n');
  if (lines.length > MAX_TOKENS + 2) throw new TokenizerError(`${fn}: expected merges.txt to hold at most ${MAX_TOKENS} merges, got ${lines.length} lines`);
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (index === 0 && line.startsWith('#version')) return;
    if (line === '' && index === lines.length - 1) return; // the final newline
    const parts = line.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new TokenizerError(`${fn}: expected merges.txt line ${index + 1} to be two tokens separated by one space, got ${JSON.stringify(line)}`);
    }
    merges.push([parts[0]!, parts[1]!]);
  });
  return merges;
}

/**
 * Token-string merges → id pairs, checking that both sides exist in the vocabulary.
 * @param where names a merge for errors, e.g. (i) => `merges.txt line ${i + 1}`
 */
export function mergesToIds(
  merges: readonly (readonly [string, string])[],
  vocab: Vocabulary,
  fn: string,
  where: (index: number) => string,
): [number, number][] {
  return merges.map(([left, right], index) => {
    const l = vocab.id(left);
    const r = vocab.id(right);
    if (l === undefined || r === undefined) {
      const missing = l === undefined ? left : right;
      throw new TokenizerError(`${fn}: expected ${where(index)} to use vocabulary tokens, got ${JSON.stringify(missing)} which is not in the vocabulary`);
    }
    if (!vocab.has(left + right)) {
      throw new TokenizerError(`${fn}: expected the result of ${where(index)} (${JSON.stringify(left + right)}) to be in the vocabulary, got none`);
    }
    return [l, r];
  });
}

import type { TextPair } from '../core/types.js';
import type { CmudictEntry } from './parse.js';
import { stripStress } from './phonemes.js';


/** Options for {@link g2pPairs}. */
export interface G2PPairsOptions {
  /** Keep stress digits in the targets. Default true. */
  stress?: boolean;
  /** One pair per pronunciation (default, the usual G2P training set) or only the first. */
  pronunciations?: 'all' | 'first';
}

/**
 * Entries → training pairs `{ source: 'read', target: 'R EH1 D' }` (phonemes joined by spaces).
 * @example g2pPairs([{ word: 'read', pronunciations: [['R','EH1','D'], ['R','IY1','D']] }], { stress: false })
 * // [{ source: 'read', target: 'R EH D' }, { source: 'read', target: 'R IY D' }]
 */
export function g2pPairs(entries: readonly CmudictEntry[], options: G2PPairsOptions = {}): TextPair[] {
  const stress = options.stress ?? true;
  const pairs: TextPair[] = [];
  for (const { word, pronunciations } of entries) {
    const chosen = options.pronunciations === 'first' ? pronunciations.slice(0, 1) : pronunciations;
    for (const pron of chosen) pairs.push({ source: word, target: (stress ? pron : stripStress(pron)).join(' ') });
  }
  return pairs;
}

/**
 * The references for G2P metrics: per entry, every pronunciation (stress stripped when asked).
 * @example g2pReferences(test, { stress: false }) // [W][P][N]
 */
export function g2pReferences(entries: readonly CmudictEntry[], options: { stress?: boolean } = {}): string[][][] {
  const stress = options.stress ?? true;
  return entries.map((e) => e.pronunciations.map((p) => (stress ? [...p] : stripStress(p))));
}

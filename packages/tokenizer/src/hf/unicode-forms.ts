/**
 * Unicode normalisation forms with `tokenizers`' change tags, so offsets survive NFD/NFC/NFKD/NFKC
 * exactly as in `tokenizers` (its `unicode-normalization-alignments`): each input code point is
 * decomposed (first piece tag 0, the rest +1), marks are put in canonical order (tags travel with
 * them), and for NFC/NFKC a composed character's tag is the sum of its pieces' tags minus the
 * number of pieces it absorbed. JavaScript's `String.prototype.normalize` gives the characters;
 * the tags are found by matching each output character to the earliest unmatched identical piece,
 * which is where the stable canonical ordering and the composition algorithm put it.
 */
import type { Change, NormalizedString } from './normalized-string.js';

/** A normalisation form. */
export type Form = 'NFC' | 'NFD' | 'NFKC' | 'NFKD';

const decompositionCache = new Map<string, string[]>();

/** The full decomposition of one code point (canonical or compatibility), cached. */
function decompose(char: string, compatible: boolean): string[] {
  const key = compatible ? `k${char}` : `c${char}`;
  let pieces = decompositionCache.get(key);
  if (pieces === undefined) {
    pieces = [...char.normalize(compatible ? 'NFKD' : 'NFD')];
    if (decompositionCache.size > 50_000) decompositionCache.clear();
    decompositionCache.set(key, pieces);
  }
  return pieces;
}

/** Output code points of `target`, each given the tag of the earliest unmatched equal item of `items`. */
function matchTags(items: readonly Change[], target: readonly string[], sizes?: (char: string) => string[]): Change[] {
  const queues = new Map<string, number[]>();
  items.forEach(([char], i) => {
    const queue = queues.get(char);
    if (queue === undefined) queues.set(char, [i]);
    else queue.push(i);
  });
  const heads = new Map<string, number>();
  const take = (char: string): number => {
    const queue = queues.get(char);
    const head = heads.get(char) ?? 0;
    if (queue === undefined || head >= queue.length) return 0; // cannot happen for forms of the same text
    heads.set(char, head + 1);
    return items[queue[head]!]![1];
  };
  return target.map((char): Change => {
    const pieces = sizes === undefined ? [char] : sizes(char);
    let tag = 0;
    for (const piece of pieces) tag += take(piece);
    return [char, tag - (pieces.length - 1)];
  });
}

/**
 * Applies `form` to `normalized` in place, with `tokenizers`' alignments.
 * @example normalize(NormalizedString.from('é'), 'NFD') // chars ['e', '\u0301'], both spans [0, 1]
 */
export function normalizeForm(normalized: NormalizedString, form: Form): void {
  const text = normalized.text;
  const result = text.normalize(form);
  // Already normal: every code point is its own decomposition (or composes back to itself), tags all 0.
  if (result === text) return;
  const compatible = form === 'NFKC' || form === 'NFKD';
  const pieces: Change[] = [];
  for (const char of normalized.chars) {
    decompose(char, compatible).forEach((piece, i) => pieces.push([piece, i === 0 ? 0 : 1]));
  }
  const decomposed = matchTags(pieces, [...text.normalize(compatible ? 'NFKD' : 'NFD')]);
  const changes = form === 'NFD' || form === 'NFKD' ? decomposed : matchTags(decomposed, [...result], (c) => decompose(c, false));
  normalized.transform(changes);
}

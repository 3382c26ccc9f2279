import { TokenizerError } from '../core/errors.js';
import type { Vocabulary } from '../core/vocabulary.js';
import { nextPieceEnd } from './gpt2-split.js';
import { PAIR_STRIDE } from './merge.js';
import { encodeUtf8 } from './utf8.js';

/** A candidate merge in the heap; stale when `count` no longer matches the live count. */
interface Candidate {
  count: number;
  left: number;
  right: number;
}

/**
 * Learns byte-level BPE merges: count GPT-2 pieces, then repeatedly merge the most frequent
 * adjacent pair (ties: smaller left id, then smaller right id) until the vocabulary has
 * `vocabSize` tokens or no pair occurs `minFrequency` times. Pair counts are updated only in the
 * words that contain the merged pair, so each merge costs the size of those words.
 * @param vocab holds the special and the 256 byte tokens; merged tokens are appended to it
 * @param byteIds [256] id of each byte token
 * @param reserved ids a merge may never produce (the special tokens)
 * @returns the merges as id pairs in rank order
 */
export function learnMerges(
  corpus: Iterable<string>,
  vocab: Vocabulary,
  byteIds: ArrayLike<number>,
  vocabSize: number,
  minFrequency: number,
  reserved: ReadonlySet<number>,
): [number, number][] {
  if (!Number.isInteger(minFrequency) || minFrequency < 1) {
    throw new TokenizerError(`BPETokenizer.train: expected minFrequency to be an integer ≥ 1, got ${minFrequency}`);
  }
  const { words, freqs } = countWords(corpus, byteIds);
  const counts = new Map<number, number>();
  const where = new Map<number, Set<number>>();
  const heap = new CandidateHeap();
  words.forEach((word, w) => addPairs(word, freqs[w]!, w, counts, where, undefined));
  for (const [key, count] of counts) heap.push({ count, left: Math.floor(key / PAIR_STRIDE), right: key % PAIR_STRIDE });

  const merges: [number, number][] = [];
  while (vocab.size < vocabSize && heap.size > 0) {
    const best = heap.pop();
    const key = best.left * PAIR_STRIDE + best.right;
    if (counts.get(key) !== best.count || best.count === 0) continue; // stale
    if (best.count < minFrequency) break;
    const merged = vocab.token(best.left)! + vocab.token(best.right)!;
    const existing = vocab.id(merged);
    if (existing !== undefined && reserved.has(existing)) {
      counts.set(key, 0); // never spell a special token out of ordinary text
      continue;
    }
    const id = vocab.add(merged);
    merges.push([best.left, best.right]);
    const changed = new Set<number>();
    for (const w of where.get(key) ?? []) {
      const word = words[w]!;
      if (!containsPair(word, best.left, best.right)) continue;
      addPairs(word, -freqs[w]!, w, counts, where, changed);
      words[w] = replacePair(word, best.left, best.right, id);
      addPairs(words[w], freqs[w]!, w, counts, where, changed);
    }
    for (const k of changed) {
      heap.push({ count: counts.get(k)!, left: Math.floor(k / PAIR_STRIDE), right: k % PAIR_STRIDE });
    }
  }
  return merges;
}

/** Unique GPT-2 pieces of the corpus as byte-id arrays, with their frequencies. */
function countWords(corpus: Iterable<string>, byteIds: ArrayLike<number>): { words: number[][]; freqs: number[] } {
  const pieceCounts = new Map<string, number>();
  for (const text of corpus) {
    for (let i = 0; i < text.length; ) {
      const end = nextPieceEnd(text, i);
      const piece = text.slice(i, end);
      pieceCounts.set(piece, (pieceCounts.get(piece) ?? 0) + 1);
      i = end;
    }
  }
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [piece, count] of pieceCounts) {
    const ids: number[] = [];
    encodeUtf8(piece, 0, piece.length, ids, byteIds);
    words.push(ids);
    freqs.push(count);
  }
  return { words, freqs };
}

/** Adds `freq` (may be negative) to the count of every adjacent pair of `word`. */
function addPairs(
  word: readonly number[],
  freq: number,
  w: number,
  counts: Map<number, number>,
  where: Map<number, Set<number>>,
  changed: Set<number> | undefined,
): void {
  for (let i = 0; i + 1 < word.length; i++) {
    const key = word[i]! * PAIR_STRIDE + word[i + 1]!;
    counts.set(key, (counts.get(key) ?? 0) + freq);
    changed?.add(key);
    if (freq > 0) {
      let set = where.get(key);
      if (set === undefined) where.set(key, (set = new Set()));
      set.add(w);
    }
  }
}

function containsPair(word: readonly number[], left: number, right: number): boolean {
  for (let i = 0; i + 1 < word.length; i++) if (word[i] === left && word[i + 1] === right) return true;
  return false;
}

/** Left-to-right, non-overlapping replacement of (left, right) by `id`. */
function replacePair(word: readonly number[], left: number, right: number, id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < word.length; i++) {
    if (i + 1 < word.length && word[i] === left && word[i + 1] === right) {
      out.push(id);
      i++;
    } else out.push(word[i]!);
  }
  return out;
}

/** Max-heap on count, then min left id, then min right id. */
class CandidateHeap {
  readonly #items: Candidate[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(c: Candidate): void {
    const a = this.#items;
    a.push(c);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): Candidate {
    const a = this.#items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        let best = i;
        for (const child of [2 * i + 1, 2 * i + 2]) if (child < a.length && before(a[child]!, a[best]!)) best = child;
        if (best === i) break;
        [a[i], a[best]] = [a[best]!, a[i]!];
        i = best;
      }
    }
    return top;
  }
}

function before(a: Candidate, b: Candidate): boolean {
  return a.count !== b.count ? a.count > b.count : a.left !== b.left ? a.left < b.left : a.right < b.right;
}

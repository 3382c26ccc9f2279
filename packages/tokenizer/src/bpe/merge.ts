/**
 * The BPE merge loop: repeatedly merge the adjacent pair with the lowest rank (leftmost on ties)
 * until no pair is in the table. Small words use a direct scan; long ones a heap over a linked
 * list, O(n log n), so a 1 MB run of one character costs no quadratic work.
 */

/** Pair keys are `left * PAIR_STRIDE + right`; ids must be below it (2^21 ≈ 2M). */
export const PAIR_STRIDE = 2 ** 21;
const POS_STRIDE = 2 ** 31;
const SMALL = 24;

/** Ranked merges: `ranks` maps a pair key to its rank r, `merged[r]` is the id it becomes. */
export interface MergeTable {
  readonly ranks: ReadonlyMap<number, number>;
  readonly merged: ArrayLike<number>;
}

/**
 * Applies the merges to N ids (modified in place) and returns the merged ids.
 * @example mergeIds([h, e, l, l, o], table) // e.g. [hello]
 */
export function mergeIds(ids: number[], table: MergeTable, lengths?: number[]): number[] {
  if (ids.length < 2) return ids;
  return ids.length <= SMALL ? mergeByScan(ids, table, lengths) : mergeByHeap(ids, table, lengths);
}

/**
 * O(n²) reference-style loop; the fastest for the short words that are almost all of them.
 * `lengths` (optional, [n]) is merged alongside: a merged symbol's length is the sum of its parts.
 */
export function mergeByScan(ids: number[], { ranks, merged }: MergeTable, lengths?: number[]): number[] {
  while (ids.length > 1) {
    let best = Number.POSITIVE_INFINITY;
    let at = -1;
    for (let i = 0; i + 1 < ids.length; i++) {
      const rank = ranks.get(ids[i]! * PAIR_STRIDE + ids[i + 1]!);
      if (rank !== undefined && rank < best) {
        best = rank;
        at = i;
      }
    }
    if (at < 0) break;
    ids[at] = merged[best]!;
    ids.splice(at + 1, 1);
    if (lengths) lengths.splice(at, 2, lengths[at]! + lengths[at + 1]!);
  }
  return ids;
}

/** O(n log n): a min-heap of (rank, position) over a doubly linked list, stale entries skipped. */
export function mergeByHeap(input: number[], { ranks, merged }: MergeTable, lengths?: number[]): number[] {
  const n = input.length;
  if (n < 2) return [...input];
  const lens = lengths ? Float64Array.from(lengths) : undefined;
  const ids = Int32Array.from(input);
  const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
  const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
  const heap = new MinHeap(3 * n);
  const pushPair = (left: number) => {
    const right = next[left]!;
    const rank = ranks.get(ids[left]! * PAIR_STRIDE + ids[right]!);
    if (rank !== undefined) heap.push(rank * POS_STRIDE + left);
  };
  for (let i = 0; i + 1 < n; i++) pushPair(i);
  while (heap.size > 0) {
    const key = heap.pop();
    const rank = Math.floor(key / POS_STRIDE);
    const left = key - rank * POS_STRIDE;
    const right = next[left]!;
    if (ids[left]! < 0 || right < 0) continue;
    if (ranks.get(ids[left]! * PAIR_STRIDE + ids[right]!) !== rank) continue; // stale entry
    ids[left] = merged[rank]!;
    ids[right] = -1;
    if (lens) lens[left] = lens[left]! + lens[right]!;
    next[left] = next[right]!;
    if (next[right]! >= 0) prev[next[right]!] = left;
    if (prev[left]! >= 0) pushPair(prev[left]!);
    if (next[left] >= 0) pushPair(left);
  }
  const out: number[] = [];
  if (lengths) lengths.length = 0;
  for (let i = 0; i >= 0; i = next[i]!) {
    out.push(ids[i]!);
    if (lengths) lengths.push(lens![i]!);
  }
  return out;
}

/** A binary min-heap of numbers in a fixed Float64Array. */
class MinHeap {
  readonly #items: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.#items = new Float64Array(capacity);
  }

  push(value: number): void {
    const a = this.#items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= value) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = value;
  }

  pop(): number {
    const a = this.#items;
    const top = a[0]!;
    const last = a[--this.size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && a[child + 1]! < a[child]!) child++;
      if (a[child]! >= last) break;
      a[i] = a[child]!;
      i = child;
    }
    a[i] = last;
    return top;
  }
}

/**
 * Levenshtein distance: the fewest insertions, deletions and substitutions (each cost 1) that turn
 * `a` into `b`. Works on strings (per UTF-16 unit) and on arrays (e.g. phonemes), compared with `===`.
 * O(|a|·|b|) time, O(|b|) memory.
 * @example editDistance('kitten', 'sitting') // 3
 * @example editDistance(['HH', 'AH0', 'L', 'OW1'], ['HH', 'EH1', 'L', 'OW1']) // 1
 */
export function editDistance<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitute = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitute, previous[j]! + 1, current[j - 1]! + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

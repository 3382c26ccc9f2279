/**
 * Which of `count` labels to draw along an axis where each takes `cellSize` px, so that drawn
 * labels are at least `minSpacing` px apart (and at most `maxLabels` of them): every
 * `stride`-th index from 0. Long inputs (512 tokens) thus keep readable, evenly spaced labels.
 * @example thinLabels(512, 1.25, 13) // [0, 11, 22, …] — stride ⌈13 / 1.25⌉ = 11
 */
export function thinLabels(count: number, cellSize: number, minSpacing: number, maxLabels = Infinity): number[] {
  if (count <= 0) return [];
  const bySpacing = Math.ceil(minSpacing / Math.max(cellSize, 1e-9) - 1e-9);
  const byCount = Math.ceil(count / Math.max(1, maxLabels));
  const stride = Math.max(1, bySpacing, byCount);
  const indices: number[] = [];
  for (let i = 0; i < count; i += stride) indices.push(i);
  return indices;
}

// Row iteration for broadcasting kernels: dims that every operand walks alike are merged first, so
// rows are as long as they can be and the module is called as few times as possible.
import { broadcastStrides, forEachRow } from '@qkv/tensor-core';

/**
 * Merges adjacent dims that every operand walks contiguously (or broadcasts along both) and drops
 * dims of size 1, so rows are as long as they can be: [128,16,512] against a scalar is one row.
 */
export function mergeDims(shape: readonly number[], strides: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const merged: number[] = [];
  const out = strides.map((): number[] => []);
  shape.forEach((n, d) => {
    if (n === 1) return;
    const last = merged.length - 1;
    if (last >= 0 && strides.every((s, k) => out[k]![last] === s[d]! * n)) {
      merged[last]! *= n;
      strides.forEach((s, k) => (out[k]![last] = s[d]!));
    } else {
      merged.push(n);
      strides.forEach((s, k) => out[k]!.push(s[d]!));
    }
  });
  return { shape: merged, strides: out };
}

/** Calls `row(offsets, outOffset, length, increments)` per merged row of `shape` broadcast from `inputs`. */
export function broadcastRows(shape: readonly number[], inputs: readonly (readonly number[])[], row: (o: readonly number[], base: number, len: number, inc: readonly number[]) => void): void {
  const m = mergeDims(shape, inputs.map((s) => broadcastStrides(s, shape)));
  forEachRow(m.shape, m.strides, row);
}

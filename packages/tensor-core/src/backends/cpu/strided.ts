// Walking an output shape while tracking offsets into broadcast inputs; exported for backend packages.
import { sizeOf, stridesOf } from '../../shape.js';

/** Strides of `inShape` aligned to `outShape`, 0 along broadcast dims. */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const s = stridesOf(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_, i) => (i < lead || inShape[i - lead] === 1 ? 0 : s[i - lead]!));
}

/**
 * Calls `row(offsets, outOffset, length, innerStrides)` once per innermost row of `outShape`,
 * with each input's element offset at the row start. Rows are the last dim (length ≥ 1).
 */
export function forEachRow(
  outShape: readonly number[],
  inStrides: readonly (readonly number[])[],
  row: (offsets: readonly number[], outOffset: number, length: number, inner: readonly number[]) => void,
): void {
  const nd = outShape.length;
  const len = nd === 0 ? 1 : outShape[nd - 1]!;
  const inner = inStrides.map((s) => (nd === 0 ? 0 : s[nd - 1]!));
  const total = outShape.reduce((a, b) => a * b, 1);
  if (total === 0) return;
  const rows = total / len;
  const idx = new Array<number>(Math.max(nd - 1, 0)).fill(0);
  const offsets = inStrides.map(() => 0);
  for (let r = 0; r < rows; r++) {
    row(offsets, r * len, len, inner);
    // increment the multi-index over the outer dims, updating offsets incrementally
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      for (let k = 0; k < offsets.length; k++) offsets[k]! += inStrides[k]![d]!;
      if (idx[d]! < outShape[d]!) break;
      for (let k = 0; k < offsets.length; k++) offsets[k]! -= inStrides[k]![d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
}

/** Splits a shape around `dim` into (outer, size, inner) for dim-wise loops. */
export function around(shape: readonly number[], dim: number): [number, number, number] {
  return [sizeOf(shape.slice(0, dim)), shape[dim] ?? 1, sizeOf(shape.slice(dim + 1))];
}

/**
 * The element offset of each flattened (row-major) index of the leading `batch` dims, given their
 * strides (0 along broadcast dims): where each batch entry of a broadcast operand starts.
 * @example batchOffsets([2, 3], [0, 5]) // [0, 5, 10, 0, 5, 10]
 */
export function batchOffsets(batch: readonly number[], strides: readonly number[]): number[] {
  let offsets = [0];
  batch.forEach((size, d) => {
    offsets = offsets.flatMap((o) => Array.from({ length: size }, (_, i) => o + i * (strides[d] ?? 0)));
  });
  return offsets;
}

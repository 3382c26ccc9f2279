import type { Matrix } from './matrix.js';

/** How cells merged into one are combined: the mean shows totals, the max keeps sharp peaks. */
export type PoolReduce = 'mean' | 'max';

/**
 * Shrinks a matrix to at most `maxRows × maxCols` by pooling contiguous blocks of cells
 * (bin i covers rows ⌊i·rows/outRows⌋ … ⌊(i+1)·rows/outRows⌋ − 1). Non-finite cells are ignored;
 * a block with no finite cell stays NaN. A matrix that already fits is returned as it is.
 */
export function poolMatrix(m: Matrix, maxRows: number, maxCols: number, reduce: PoolReduce = 'mean'): Matrix {
  const outRows = Math.min(m.rows, Math.max(1, Math.floor(maxRows)));
  const outCols = Math.min(m.cols, Math.max(1, Math.floor(maxCols)));
  if (outRows === m.rows && outCols === m.cols) return m;
  const out = new Float64Array(outRows * outCols);
  for (let bi = 0; bi < outRows; bi++) {
    const r0 = Math.floor((bi * m.rows) / outRows);
    const r1 = Math.floor(((bi + 1) * m.rows) / outRows);
    for (let bj = 0; bj < outCols; bj++) {
      const c0 = Math.floor((bj * m.cols) / outCols);
      const c1 = Math.floor(((bj + 1) * m.cols) / outCols);
      let acc = reduce === 'max' ? -Infinity : 0;
      let count = 0;
      for (let i = r0; i < r1; i++) {
        for (let j = c0; j < c1; j++) {
          const v = m.data[i * m.cols + j]!;
          if (!Number.isFinite(v)) continue;
          acc = reduce === 'max' ? Math.max(acc, v) : acc + v;
          count++;
        }
      }
      out[bi * outCols + bj] = count === 0 ? NaN : reduce === 'max' ? acc : acc / count;
    }
  }
  return { rows: outRows, cols: outCols, data: out, isBool: false };
}

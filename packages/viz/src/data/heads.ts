import { toDense, type ArrayInput, type Matrix } from './matrix.js';

/** Attention of every layer and head: `matrices[l][h]` is head h of layer l, [T, S]. */
export interface LayerHeads {
  layers: number;
  heads: number;
  matrices: Matrix[][];
}

/**
 * Reads [L, H, T, S] (or [H, T, S] as one layer, or [T, S] as one head) into per-head matrices.
 * L layers · H heads · T queries · S keys.
 */
export function toLayerHeads(input: ArrayInput, fn: string): LayerHeads {
  const dense = toDense(input, fn);
  const shape = dense.shape.length > 4 && dense.shape[0] === 1 ? dense.shape.slice(1) : dense.shape;
  if (shape.length < 2 || shape.length > 4) {
    throw new RangeError(`${fn}: expected [L, H, T, S], [H, T, S] or [T, S], got shape [${dense.shape.join(', ')}]`);
  }
  const [L, H, T, S] = [...Array<number>(4 - shape.length).fill(1), ...shape] as [number, number, number, number];
  const matrices: Matrix[][] = [];
  for (let l = 0; l < L; l++) {
    const row: Matrix[] = [];
    for (let h = 0; h < H; h++) {
      const offset = (l * H + h) * T * S;
      row.push({ rows: T, cols: S, data: dense.data.subarray(offset, offset + T * S), isBool: false });
    }
    matrices.push(row);
  }
  return { layers: L, heads: H, matrices };
}

/** Mean or max over heads, cell by cell: [H, T, S] → [T, S]. */
export function aggregateHeads(heads: readonly Matrix[], reduce: 'mean' | 'max'): Matrix {
  const first = heads[0]!;
  const out = new Float64Array(first.rows * first.cols).fill(reduce === 'max' ? -Infinity : 0);
  for (const m of heads) {
    for (let k = 0; k < out.length; k++) {
      out[k] = reduce === 'max' ? Math.max(out[k]!, m.data[k]!) : out[k]! + m.data[k]! / heads.length;
    }
  }
  return { rows: first.rows, cols: first.cols, data: out, isBool: false };
}

// Indexing: gather/scatter, index_select/index_add, embedding lookup, one-hot, triangles.
import { runKernel } from '../engine.js';
import { DTypeError, IndexError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { normalizeDim, trailingDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { arange, zerosLike } from './creation.js';
import { where } from './binary.js';
import { assertTensor } from './util.js';

/** Checks every index lies in [0, size) when the values can be read synchronously. */
function checkIndexRange(op: string, index: Tensor, size: number, dim: number): void {
  if (index.dtype !== 'int32') throw new DTypeError(`${op}: index must be int32, got ${index.dtype}`);
  if (index.storage.backend.asyncOnly) return; // GPU kernels clamp; cannot read back synchronously
  const values = index.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v >= size) throw new IndexError(`${op}: index ${v} is out of range for dim ${dim} of size ${size}`);
  }
}

/**
 * out[i][j][k] = x[i][index[i][j][k]][k] for dim = 1 (`torch.gather`). `index` has x's rank and
 * is no larger than x in the other dims; the output has index's shape.
 * @example gather(logProbs, -1, targets.unsqueeze(-1)) // pick each target's log-probability
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  assertTensor('gather', 'input', x);
  assertTensor('gather', 'index', index);
  const d = normalizeDim('gather', dim, x.ndim);
  if (index.ndim !== x.ndim) throw new ShapeError(`gather: index must have the input's rank ${x.ndim}, got shape ${fmtShape(index.shape)}`);
  index.shape.forEach((s, i) => {
    if (i !== d && s > x.shape[i]!) throw new ShapeError(`gather: index ${fmtShape(index.shape)} is larger than input ${fmtShape(x.shape)} at dim ${i}`);
  });
  checkIndexRange('gather', index, x.shape[d]!, d);
  return runKernel('Gather', [x, index], { dim: d });
}

/**
 * Adds `src` into a copy of `x` at `index` along `dim` (`Tensor.scatter_add`): for dim = 1,
 * out[i][index[i][j]] += src[i][j].
 */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  assertTensor('scatterAdd', 'input', x);
  const d = normalizeDim('scatterAdd', dim, x.ndim);
  if (index.ndim !== x.ndim || src.ndim !== x.ndim) throw new ShapeError(`scatterAdd: index and src must have the input's rank ${x.ndim}`);
  if (index.shape.some((s, i) => s > src.shape[i]! || (i !== d && s > x.shape[i]!))) {
    throw new ShapeError(`scatterAdd: index ${fmtShape(index.shape)} must fit in src ${fmtShape(src.shape)} and input ${fmtShape(x.shape)}`);
  }
  if (src.dtype !== x.dtype) throw new DTypeError(`scatterAdd: src must have the input's dtype ${x.dtype}, got ${src.dtype}`);
  checkIndexRange('scatterAdd', index, x.shape[d]!, d);
  return runKernel('ScatterAdd', [x, index, src], { dim: d });
}

/**
 * Rows (or slices) of `x` at the positions in the 1-d int32 `index` along `dim` (`torch.index_select`).
 * @example indexSelect(table, 0, tensor([3, 1], { dtype: 'int32' }))
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  return selectIndices('indexSelect', x, dim, index);
}

/** `indexSelect` whose errors name `op`, the public function the user called (`embedding`). */
function selectIndices(op: string, x: Tensor, dim: number, index: Tensor): Tensor {
  assertTensor(op, 'input', x);
  assertTensor(op, 'index', index);
  const d = normalizeDim(op, dim, x.ndim);
  if (index.ndim > 1) throw new ShapeError(`${op}: index must be 1-d, got ${fmtShape(index.shape)}`);
  checkIndexRange(op, index, x.shape[d]!, d);
  return runKernel('IndexSelect', [x, index.ndim === 0 ? index.reshape([1]) : index], { dim: d });
}

/** Adds the slices of `src` into a copy of `x` at `index` along `dim` (`Tensor.index_add`). */
export function indexAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  assertTensor('indexAdd', 'input', x);
  const d = normalizeDim('indexAdd', dim, x.ndim);
  if (index.ndim !== 1) throw new ShapeError(`indexAdd: index must be 1-d, got ${fmtShape(index.shape)}`);
  const expected = x.shape.map((s, i) => (i === d ? index.shape[0]! : s));
  if (src.ndim !== x.ndim || src.shape.some((s, i) => s !== expected[i])) {
    throw new ShapeError(`indexAdd: src must have shape ${fmtShape(expected)}, got ${fmtShape(src.shape)}`);
  }
  checkIndexRange('indexAdd', index, x.shape[d]!, d);
  return runKernel('IndexAdd', [x, index, src], { dim: d });
}

/**
 * Looks up rows of `weight` [V, E] for int32 `ids` of any shape → [...ids.shape, E] (`F.embedding`).
 * @example embedding(ids, tokenTable) // [B, T] → [B, T, E]
 */
export function embedding(ids: Tensor, weight: Tensor): Tensor {
  assertTensor('embedding', 'ids', ids);
  assertTensor('embedding', 'weight', weight);
  if (ids.dtype !== 'int32') throw new DTypeError(`embedding: ids must be int32, got ${ids.dtype}`);
  if (weight.ndim !== 2) throw new ShapeError(`embedding: weight must be [numEmbeddings, embeddingDim], got ${fmtShape(weight.shape)}`);
  return selectIndices('embedding', weight, 0, ids.reshape([-1])).reshape([...ids.shape, weight.shape[1]!]);
}

/**
 * One-hot encoding of int32 `ids` → int32 [...ids.shape, numClasses] (`F.one_hot`).
 * @example oneHot(tensor([0, 2], { dtype: 'int32' }), 3) // [[1,0,0],[0,0,1]]
 */
export function oneHot(ids: Tensor, numClasses: number): Tensor {
  assertTensor('oneHot', 'ids', ids);
  if (!Number.isInteger(numClasses) || numClasses <= 0) throw new ValueError(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  checkIndexRange('oneHot', ids, numClasses, -1);
  return ids.unsqueeze(-1).eq(arange(numClasses)).to('int32');
}

function triangle(op: 'tril' | 'triu', x: Tensor, diagonal: number): Tensor {
  assertTensor(op, 'input', x);
  if (x.ndim < 2) throw new ShapeError(`${op}: input must have at least 2 dims, got ${fmtShape(x.shape)}`);
  if (!Number.isInteger(diagonal)) throw new ValueError(`${op}: diagonal must be an integer, got ${diagonal}`);
  const [r, c] = trailingDims(x, 2, op, 'rows, columns');
  // keep[i][j] = j − i ≤ diagonal (tril) or j − i ≥ diagonal (triu)
  const offset = arange(c).unsqueeze(0).sub(arange(r).unsqueeze(1));
  const keepMask = op === 'tril' ? offset.le(diagonal) : offset.ge(diagonal);
  return where(keepMask, x, zerosLike(x)); // zeros of x's dtype, so bool stays bool
}

/** Lower triangle (j − i ≤ diagonal), zeros elsewhere, over the last two dims. @example tril(ones([3, 3])) */
export function tril(x: Tensor, diagonal = 0): Tensor {
  return triangle('tril', x, diagonal);
}

/** Upper triangle (j − i ≥ diagonal), zeros elsewhere. @example triu(full([T, T], -Infinity), 1) */
export function triu(x: Tensor, diagonal = 0): Tensor {
  return triangle('triu', x, diagonal);
}

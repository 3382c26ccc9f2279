/**
 * Inputs the views accept, and their conversion to a dense row-major matrix.
 *
 * Anything with a `shape` and either `data` or `dataSync()` works, so a `@qkv/tensor-core`
 * Tensor, a TensorFlow.js tensor or a plain object are all fine; so are nested arrays.
 */

/** Plain numbers with a shape, row-major: `{ shape: [T, S], data: Float32Array(T * S) }`. */
export interface ShapedData {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number | boolean>;
}

/** Anything tensor-like that can read its values synchronously. */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly dtype?: string;
  dataSync(): ArrayLike<number | boolean>;
}

/** Nested arrays: `number[][]` for a matrix, `number[][][]` for heads, and so on. */
export type NestedArray = readonly (number | boolean | NestedArray)[];

/** Every input a view accepts. */
export type ArrayInput = ShapedData | TensorLike | NestedArray;

/** A dense array with its shape; `data.length === product(shape)`. */
export interface Dense {
  readonly shape: readonly number[];
  readonly data: Float64Array;
  /** True when the source held booleans (a bool tensor or `true`/`false` values). */
  readonly isBool: boolean;
}

/** A dense row-major matrix [rows, cols]: `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  readonly isBool: boolean;
}

function nestedShape(value: NestedArray): number[] {
  const shape: number[] = [];
  let level: unknown = value;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

function flattenNested(value: NestedArray, fn: string): { shape: number[]; values: (number | boolean)[] } {
  const shape = nestedShape(value);
  const values: (number | boolean)[] = [];
  const walk = (node: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number' && typeof node !== 'boolean') {
        throw new TypeError(`${fn}: expected a number or boolean at ${path}, got ${typeof node}`);
      }
      values.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      const got = Array.isArray(node) ? `length ${node.length}` : typeof node;
      throw new RangeError(`${fn}: ragged nested array, expected length ${shape[depth]} at ${path}, got ${got}`);
    }
    node.forEach((child, i) => walk(child, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, 'input');
  return { shape, values };
}

/** Converts any accepted input into a dense Float64Array with its shape (booleans become 0/1). */
export function toDense(input: ArrayInput, fn: string): Dense {
  let shape: readonly number[];
  let raw: ArrayLike<number | boolean>;
  let isBool = false;
  if (Array.isArray(input)) {
    const flat = flattenNested(input as NestedArray, fn);
    shape = flat.shape;
    raw = flat.values;
  } else if (typeof input === 'object' && input !== null && 'shape' in input) {
    shape = input.shape;
    if ('dataSync' in input && typeof input.dataSync === 'function') {
      raw = input.dataSync();
      isBool = input.dtype === 'bool';
    } else if ('data' in input && input.data !== undefined && typeof input.data !== 'function') {
      raw = input.data;
    } else {
      throw new TypeError(`${fn}: expected { shape, data } or an object with dataSync(), got an object with neither`);
    }
  } else {
    throw new TypeError(`${fn}: expected { shape, data }, a tensor or nested arrays, got ${typeof input}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (raw.length !== size) {
    throw new RangeError(`${fn}: shape [${shape.join(', ')}] needs ${size} values, got ${raw.length}`);
  }
  const data = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const v = raw[i]!;
    if (typeof v === 'boolean') isBool = true;
    data[i] = Number(v);
  }
  return { shape: [...shape], data, isBool };
}

/**
 * A [rows, cols] matrix from any input. Leading dimensions of size 1 are dropped, so a
 * [1, 1, T, S] batch of one works; anything else of rank ≠ 2 is an error naming `fn`.
 */
export function toMatrix(input: ArrayInput, fn: string): Matrix {
  const dense = toDense(input, fn);
  const shape = squeezeLeading(dense.shape, 2);
  if (shape.length !== 2) {
    throw new RangeError(`${fn}: expected a matrix [rows, cols], got shape [${dense.shape.join(', ')}]`);
  }
  return { rows: shape[0]!, cols: shape[1]!, data: dense.data, isBool: dense.isBool };
}

/** Drops leading 1s until the shape has `rank` dimensions (or no leading 1 is left). */
export function squeezeLeading(shape: readonly number[], rank: number): number[] {
  const out = [...shape];
  while (out.length > rank && out[0] === 1) out.shift();
  return out;
}

/** Reads a 1-D input (a vector, or any shape with a single non-1 dimension). */
export function toVector(input: ArrayInput | ArrayLike<number>, fn: string): Float64Array {
  if (!Array.isArray(input) && !('shape' in (input as object))) {
    return Float64Array.from(input as ArrayLike<number>, Number);
  }
  if (Array.isArray(input) && input.every((v) => typeof v === 'number')) {
    return Float64Array.from(input);
  }
  const dense = toDense(input as ArrayInput, fn);
  const nonUnit = dense.shape.filter((d) => d !== 1);
  if (nonUnit.length > 1) {
    throw new RangeError(`${fn}: expected a vector, got shape [${dense.shape.join(', ')}]`);
  }
  return dense.data;
}

/** The finite minimum and maximum of `data` (NaN and ±∞ are skipped); [0, 0] if none is finite. */
export function finiteExtent(data: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo === Infinity ? [0, 0] : [lo, hi];
}

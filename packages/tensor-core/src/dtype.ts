// Data types, their storage arrays and PyTorch's promotion rules.
import { DTypeError, ValueError } from './errors.js';

/** Element type of a tensor. `bool` is stored as one byte per element (0 or 1). */
export type DType = 'float32' | 'int32' | 'bool';

/** Every dtype, for checks of untyped input. */
export const dtypes = ['float32', 'int32', 'bool'] as const satisfies readonly DType[];

/** The typed array that stores each dtype. */
export interface DataTypeMap {
  float32: Float32Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/** Any storage array. */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

/** Bytes per element of each dtype. */
export const bytesPerElement: Record<DType, number> = { float32: 4, int32: 4, bool: 1 };

/** A new zero-filled array of `size` elements of `dtype`. */
export function allocArray(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
    default:
      return dtype satisfies never;
  }
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Copies `values` into a new array of `dtype`: `!= 0` for bool; for int32 truncation toward zero
 * (`1.7 → 1`, as `torch.tensor([1.7], dtype=torch.int32)`) and, as PyTorch, an error for a value
 * that int32 cannot hold (NaN, ±∞, beyond ±2³¹) instead of a silent wrap.
 * @param op the public function named in the error (`tensor`, `full`, `arange`)
 */
export function toTypedArray(values: ArrayLike<number | boolean>, dtype: DType, op = 'tensor'): TypedArray {
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  } else if (dtype === 'int32') {
    for (let i = 0; i < values.length; i++) {
      const v = Math.trunc(Number(values[i]));
      if (!(v >= INT32_MIN && v <= INT32_MAX)) {
        throw new ValueError(`${op}: value ${String(values[i])} cannot be converted to int32 without overflow (int32 holds ${INT32_MIN} to ${INT32_MAX})`);
      }
      out[i] = v;
    }
  } else {
    for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  }
  return out;
}

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };

/** The dtype two operands promote to, as in PyTorch: bool < int32 < float32. */
export function promoteTypes(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}

/** The dtype a JavaScript number takes beside a tensor of `other` (PyTorch's "Python scalar" rule). */
export function scalarDType(value: number | boolean, other: DType): DType {
  if (typeof value === 'boolean') return other;
  if (other === 'float32') return 'float32';
  return Number.isInteger(value) ? (other === 'bool' ? 'int32' : other) : 'float32';
}

/** Throws unless `dtype` is one of `allowed`. */
export function assertDType(op: string, what: string, dtype: DType, allowed: readonly DType[]): void {
  if (!allowed.includes(dtype)) {
    throw new DTypeError(`${op}: ${what} must be ${allowed.join(' or ')}, got ${dtype}`);
  }
}

/** Infers the dtype of nested JavaScript values: booleans → bool, otherwise float32. */
export function inferDType(sample: unknown): DType {
  return typeof sample === 'boolean' ? 'bool' : 'float32';
}

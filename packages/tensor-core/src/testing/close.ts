// Numeric comparison with a readable failure message.
import { ShapeError, fmtShape } from '../errors.js';
import { shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Tolerances: |actual − expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  /** Absolute tolerance; default 1e-5. */
  atol?: number;
  /** Relative tolerance; default 1e-4. */
  rtol?: number;
}

/** Values to compare: a tensor (shape checked), a flat or nested array, or a number. */
export type Comparable = Tensor | ArrayLike<number> | number | Comparable[] | boolean;

function flat(v: Comparable): { values: number[]; shape: number[] | null } {
  if (v instanceof Tensor) return { values: Array.from(v.dataSync(), Number), shape: v.shape };
  if (typeof v === 'number' || typeof v === 'boolean') return { values: [Number(v)], shape: null };
  const out: number[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    // a loop, not push(...x): spreading a large typed array overflows the stack (Web Workers first)
    else if (ArrayBuffer.isView(x)) for (const n of x as unknown as ArrayLike<number> & Iterable<number>) out.push(Number(n));
    else out.push(Number(x));
  };
  walk(v);
  return { values: out, shape: null };
}

/**
 * Throws unless `actual` and `expected` agree element-wise within tolerance (NaN matches NaN,
 * ±∞ must match exactly). Shapes must agree when both are tensors. `label`, when given, starts the
 * failure message, to say which of many compared values failed.
 * @example expectClose(softmax(x, -1), [0.09003, 0.24473, 0.66524], { atol: 1e-5 })
 * @example expectClose(w.grad!, expected, { atol: 2e-5 }, 'grad of linear1.weight')
 */
export function expectClose(actual: Comparable, expected: Comparable, tol: Tolerance = {}, label?: string): void {
  const { atol = 1e-5, rtol = 1e-4 } = tol;
  const op = label === undefined ? 'expectClose' : `${label}: expectClose`;
  const a = flat(actual);
  const e = flat(expected);
  if (a.shape && e.shape && !shapesEqual(a.shape, e.shape)) {
    throw new ShapeError(`${op}: shapes differ, got ${fmtShape(a.shape)}, expected ${fmtShape(e.shape)}`);
  }
  if (a.values.length !== e.values.length) {
    throw new ShapeError(`${op}: got ${a.values.length} values, expected ${e.values.length}`);
  }
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i]!;
    const y = e.values[i]!;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (!Number.isFinite(y) || !Number.isFinite(x)) {
      if (x !== y) {
        worst = i;
        break;
      }
      continue;
    }
    const excess = Math.abs(x - y) - (atol + rtol * Math.abs(y));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess)) [worst, worstExcess] = [i, excess];
  }
  if (worst >= 0) {
    const bad = a.values.filter((x, i) => !(Math.abs(x - e.values[i]!) <= atol + rtol * Math.abs(e.values[i]!)) && !(Number.isNaN(x) && Number.isNaN(e.values[i]!)) && x !== e.values[i]).length;
    throw new Error(
      `${op}: ${bad} of ${a.values.length} values differ (atol ${atol}, rtol ${rtol}); worst at flat index ${worst}: got ${a.values[worst]}, expected ${e.values[worst]}`,
    );
  }
}

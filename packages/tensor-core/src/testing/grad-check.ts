// Finite-difference gradient checking: the independent reference for every gradient.
import { noGrad, tidy } from '../engine.js';
import { ValueError } from '../errors.js';
import { Generator } from '../ops/random.js';
import { tensor } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';

/** Options of `gradCheck`. */
export interface GradCheckOptions {
  /** Central-difference step; default 1e-3 (float32 arithmetic). */
  eps?: number;
  /** Absolute tolerance; default 2e-3. */
  atol?: number;
  /** Relative tolerance; default 2e-2. */
  rtol?: number;
  /** Seed of the random output weights; default 0. */
  seed?: number;
  /** Which inputs to check (default: every float32 input). */
  wrt?: number[];
}

/** Σ yᵢ·wᵢ in float64, from the values read back. */
function weightedSum(y: Tensor, w: Float64Array): number {
  const v = y.dataSync();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * w[i]!;
  return s;
}

/**
 * Checks autograd against central finite differences of L = Σ f(x)·w for a random fixed w, for
 * every element of every checked input. Throws with the worst mismatch; returns the largest
 * absolute error seen.
 * @example gradCheck((a, b) => a.matmul(b), [randn([3, 4]), randn([4, 2])])
 */
export function gradCheck(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradCheckOptions = {}): number {
  const { eps = 1e-3, atol = 2e-3, rtol = 2e-2, seed = 0 } = options;
  const wrt = options.wrt ?? inputs.map((x, i) => (x.dtype === 'float32' ? i : -1)).filter((i) => i >= 0);
  return tidy(() => {
    const values = inputs.map((x) => x.dataSync());
    const make = (i: number, vals: ArrayLike<number>) => tensor(vals, { shape: inputs[i]!.shape, dtype: inputs[i]!.dtype });
    // analytic
    const leaves = inputs.map((x, i) => {
      const t = make(i, values[i]!);
      if (wrt.includes(i)) t.requiresGrad_(true);
      return t;
    });
    const y = f(...leaves);
    const g = new Generator(seed);
    const w = new Float64Array(y.size).map(() => g.normal());
    if (!y.requiresGrad) throw new ValueError('gradCheck: f(inputs) does not depend on any checked input');
    y.backward(tensor(Float32Array.from(w), { shape: y.shape }));
    let maxErr = 0;
    for (const i of wrt) {
      const analytic = leaves[i]!.grad ? leaves[i]!.grad.dataSync() : new Float32Array(inputs[i]!.size);
      const base = Float32Array.from(values[i]!);
      for (let j = 0; j < base.length; j++) {
        const numeric = noGrad(() =>
          tidy(() => {
            const orig = base[j]!;
            base[j] = orig + eps;
            const plus = weightedSum(f(...inputs.map((_, k) => (k === i ? make(i, base) : make(k, values[k]!)))), w);
            base[j] = orig - eps;
            const minus = weightedSum(f(...inputs.map((_, k) => (k === i ? make(i, base) : make(k, values[k]!)))), w);
            base[j] = orig;
            return (plus - minus) / (2 * eps);
          }),
        );
        const a = analytic[j]!;
        const err = Math.abs(a - numeric);
        maxErr = Math.max(maxErr, err);
        if (!(err <= atol + rtol * Math.abs(numeric))) {
          throw new Error(`gradCheck: input ${i}, element ${j}: autograd ${a}, finite difference ${numeric} (|diff| ${err.toExponential(2)})`);
        }
      }
    }
    return maxErr;
  });
}

// The backend conformance suite: every kernel, through the public ops, on odd sizes, forward and
// gradients, compared with the cpu reference. Backend packages run it from their own tests.
import { getBackend, setBackend, tidy } from '../engine.js';
import type { DType, TypedArray } from '../dtype.js';
import { Generator } from '../ops/random.js';
import { tensor } from '../ops/creation.js';
import { conformanceCases } from './cases.js';
import type { ConformanceCase, InputSpec } from './cases.js';
import { expectClose } from './close.js';

export { conformanceCases };
export type { ConformanceCase, InputSpec };

function makeValues(spec: InputSpec, g: Generator): { values: TypedArray; dtype: DType } {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  switch (spec.kind ?? 'float') {
    case 'float':
      return { values: Float32Array.from({ length: n }, () => g.normal()), dtype: 'float32' };
    case 'positive':
      return { values: Float32Array.from({ length: n }, () => 0.5 + 1.5 * g.next()), dtype: 'float32' };
    case 'distinct': {
      // a shuffled ramp: no ties, so max/argmax gradients are well defined
      const v = Float32Array.from({ length: n }, (_, i) => (i - n / 2) / Math.max(1, n / 4));
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(g.next() * (i + 1));
        [v[i], v[j]] = [v[j]!, v[i]!];
      }
      return { values: v, dtype: 'float32' };
    }
    case 'int':
      return { values: Int32Array.from({ length: n }, () => Math.floor(g.next() * (spec.high ?? 2))), dtype: 'int32' };
    case 'bool':
      return { values: Uint8Array.from({ length: n }, () => (g.next() < 0.5 ? 1 : 0)), dtype: 'bool' };
  }
}

/** What one backend computed for a case: the output and each float input's gradient. */
export interface CaseResult {
  output: { shape: number[]; values: number[] };
  grads: (number[] | null)[];
}

/** Runs one case on the active backend (async readback, so WebGPU works too). */
export async function evaluateCase(c: ConformanceCase, seed = 0): Promise<CaseResult> {
  const g = new Generator(seed);
  const data = c.inputs.map((spec) => makeValues(spec, g));
  const weights = new Generator(seed + 1);
  const { y, grads, leaves } = tidy(() => {
    const leaves = data.map(({ values, dtype }, i) => {
      const t = tensor(values, { shape: c.inputs[i]!.shape, dtype });
      if (c.grad && dtype === 'float32' && !c.inputs[i]!.noGrad) t.requiresGrad_(true);
      return t;
    });
    const y = c.fn(...leaves);
    if (c.grad && y.requiresGrad) {
      const w = Float32Array.from({ length: y.size }, () => weights.normal());
      y.backward(tensor(w, { shape: y.shape }));
    }
    return { y, leaves, grads: leaves.map((l) => l.grad) };
  });
  const output = { shape: [...y.shape], values: Array.from(await y.data(), Number) };
  const gradValues = await Promise.all(grads.map(async (gr) => (gr ? Array.from(await gr.data(), Number) : null)));
  y.dispose();
  for (const l of leaves) l.dispose();
  return { output, grads: gradValues };
}

/**
 * Runs `c` on `cpu` and on `backendName` and throws if outputs or gradients differ beyond the
 * case's tolerance. Restores the previously active backend.
 * @example for (const c of conformanceCases) it(c.name, () => expectConformance(c, 'wasm'))
 */
export async function expectConformance(c: ConformanceCase, backendName: string): Promise<void> {
  const previous = getBackend();
  try {
    await setBackend('cpu');
    const ref = await evaluateCase(c);
    await setBackend(backendName);
    const got = await evaluateCase(c);
    const tol = { atol: c.atol ?? 1e-4, rtol: c.rtol ?? 1e-3 };
    if (got.output.shape.join() !== ref.output.shape.join()) {
      throw new Error(`${c.name}: shape [${got.output.shape.join(',')}] on ${backendName}, [${ref.output.shape.join(',')}] on cpu`);
    }
    try {
      expectClose(got.output.values, ref.output.values, tol);
      ref.grads.forEach((rg, i) => {
        const gg = got.grads[i];
        if (rg === null && gg === null) return;
        if (!rg || !gg) throw new Error(`input ${i} has a gradient on only one backend`);
        expectClose(gg, rg, tol);
      });
    } catch (err) {
      throw new Error(`${c.name} on ${backendName}: ${(err as Error).message}`, { cause: err });
    }
  } finally {
    await setBackend(previous);
  }
}

// One Adam/AdamW update of a parameter as one kernel (AdamStep) where the backend has it: a single
// pass over p, grad and the two moments instead of about a dozen element-wise ops, each with its
// own output. Elsewhere the same float32 arithmetic is composed of ops.
import { activeBackend, getKernel, noGrad, runKernel, tidy } from '../engine.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { AdamStepAttrs } from '../kernel-attrs.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertTensor } from './util.js';

/** Options of `adamStep`: `torch.optim.Adam`'s hyper-parameters and the 1-based step count. */
export type AdamStepOptions = AdamStepAttrs;

/**
 * The float32 scalars of one Adam step, in the order the arithmetic uses them (each rounded to
 * float32, as a scalar operand of an element-wise op is): `decay` = 1 − lr·weightDecay (decoupled)
 * or weightDecay (added to the gradient), 1 − β₁, β₂, 1 − β₂, √(1 − β₂ᵗ), eps, and the step size
 * lr / (1 − β₁ᵗ). Backend packages read them so that their kernels round as the cpu one does.
 * @example adamScalars({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 }).stepSize // 0.01
 */
export function adamScalars(o: AdamStepAttrs): { decay: number; oneMinusBeta1: number; beta2: number; oneMinusBeta2: number; sqrtBias2: number; eps: number; stepSize: number } {
  const f = Math.fround;
  return {
    decay: f(o.decoupled ? 1 - o.lr * o.weightDecay : o.weightDecay),
    oneMinusBeta1: f(1 - o.beta1),
    beta2: f(o.beta2),
    oneMinusBeta2: f(1 - o.beta2),
    sqrtBias2: f(Math.sqrt(1 - o.beta2 ** o.step)),
    eps: f(o.eps),
    stepSize: f(o.lr / (1 - o.beta1 ** o.step)),
  };
}

function checkOptions(o: AdamStepOptions): void {
  if (typeof o !== 'object' || o === null) throw new ValueError(`adamStep: options must be an object, got ${String(o)}`);
  for (const k of ['lr', 'beta1', 'beta2', 'eps', 'weightDecay'] as const) {
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) throw new ValueError(`adamStep: ${k} must be a finite number, got ${String(o[k])}`);
  }
  if (!(o.beta1 >= 0 && o.beta1 < 1 && o.beta2 >= 0 && o.beta2 < 1)) throw new ValueError(`adamStep: betas must be in [0, 1), got [${o.beta1}, ${o.beta2}]`);
  if (typeof o.decoupled !== 'boolean') throw new ValueError(`adamStep: decoupled must be a boolean, got ${String(o.decoupled)}`);
  if (!Number.isInteger(o.step) || o.step < 1) throw new ValueError(`adamStep: step must be an integer ≥ 1, got ${String(o.step)}`);
}

/**
 * One step of Adam (`torch.optim.Adam`) or, with `decoupled`, AdamW for one float32 parameter:
 * p ← p·(1 − lr·wd) (decoupled) or g ← g + wd·p; m ← m + (g − m)·(1 − β₁); v ← v·β₂ + g²·(1 − β₂);
 * p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps). The new moments are written into
 * `expAvg` (m) and `expAvgSq` (v); the new parameter is returned, for `p.assign(…)`. On a backend
 * with the `AdamStep` kernel (cpu, wasm) this is one pass that writes the moments' storage in place,
 * as torch's in-place ops do; elsewhere it is composed of element-wise ops with the same float32
 * roundings and the moments are `assign`ed. Runs outside autograd.
 * p, grad, expAvg, expAvgSq: float32, one shape [...] → [...].
 * @example p.assign(adamStep(p, p.grad!, m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 }))
 */
export function adamStep(p: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, options: AdamStepOptions): Tensor {
  const names = ['p', 'grad', 'expAvg', 'expAvgSq'] as const;
  [p, grad, expAvg, expAvgSq].forEach((t, i) => {
    assertTensor('adamStep', names[i]!, t);
    if (t.dtype !== 'float32') throw new DTypeError(`adamStep: ${names[i]} must be float32, got ${t.dtype}`);
    if (!shapesEqual(t.shape, p.shape)) throw new ShapeError(`adamStep: ${names[i]} must have p's shape ${fmtShape(p.shape)}, got ${fmtShape(t.shape)}`);
  });
  checkOptions(options);
  const attrs: AdamStepAttrs = { lr: options.lr, beta1: options.beta1, beta2: options.beta2, eps: options.eps, weightDecay: options.weightDecay, decoupled: options.decoupled, step: options.step };
  return noGrad(() => {
    const backend = activeBackend();
    // the kernel writes the moments in place: only where all four live on the backend that runs it
    if (getKernel('AdamStep', backend.name) && [p, grad, expAvg, expAvgSq].every((t) => t.storage.backend === backend)) {
      return runKernel('AdamStep', [p, grad, expAvg, expAvgSq], attrs);
    }
    return composed(p, grad, expAvg, expAvgSq, attrs);
  });
}

/** adamStep with element-wise ops; each line in its own tidy so a large parameter needs few copies. */
function composed(p: Tensor, grad: Tensor, m: Tensor, v: Tensor, o: AdamStepAttrs): Tensor {
  const s = adamScalars(o);
  let g = grad;
  let p1 = p;
  if (o.weightDecay !== 0) {
    if (o.decoupled) p1 = p.mul(s.decay);
    else g = tidy(() => grad.add(p.mul(s.decay)));
  }
  m.assign(tidy(() => m.add(g.sub(m).mul(s.oneMinusBeta1))));
  v.assign(tidy(() => v.mul(s.beta2).add(g.mul(g).mul(s.oneMinusBeta2))));
  const denom = tidy(() => v.sqrt().div(s.sqrtBias2).add(s.eps));
  const next = tidy(() => p1.sub(m.div(denom).mul(s.stepSize)));
  for (const t of [denom, ...(g === grad ? [] : [g]), ...(p1 === p ? [] : [p1])]) t.dispose();
  return next;
}

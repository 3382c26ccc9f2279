// AdamStep on the cpu: the reference for every fused optimizer step. Each operation is rounded to
// float32 as the element-wise ops that Adam is composed of round it, so the two paths agree bit for bit.
import type { KernelFunc } from '../../backend.js';
import { adamScalars } from '../../ops/optim.js';
import { f32, out } from './backend.js';

/**
 * The new parameter of one Adam/AdamW step (see `adamStep`), writing the new moments into m and v.
 * p, g, m, v: float32 [n…] → p′ [n…].
 */
export const adamStepKernel: KernelFunc<'AdamStep'> = ({ inputs: [p, g, m, v], attrs }) => {
  const [pv, gv, mv, vv] = [f32(p!), f32(g!), f32(m!), f32(v!)];
  const s = adamScalars(attrs);
  const f = Math.fround;
  const decay = attrs.weightDecay !== 0;
  const dst = new Float32Array(pv.length);
  for (let i = 0; i < pv.length; i++) {
    let gi = gv[i]!;
    let pi = pv[i]!;
    if (decay) {
      if (attrs.decoupled) pi = f(pi * s.decay);
      else gi = f(gi + f(pv[i]! * s.decay));
    }
    const mi = f(mv[i]! + f(f(gi - mv[i]!) * s.oneMinusBeta1));
    const vi = f(f(vv[i]! * s.beta2) + f(f(gi * gi) * s.oneMinusBeta2));
    mv[i] = mi;
    vv[i] = vi;
    const denom = f(f(f(Math.sqrt(vi)) / s.sqrtBias2) + s.eps);
    dst[i] = f(pi - f(f(mi / denom) * s.stepSize));
  }
  return out(dst, [...p!.shape], 'float32');
};

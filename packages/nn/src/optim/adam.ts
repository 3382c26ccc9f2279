// Adam and AdamW, with PyTorch's update order and bias correction.
import type { Tensor } from '@qkv/tensor-core';
import { adamStep, tidy, ValueError } from '@qkv/tensor-core';
import { Optimizer, buf, num } from './optimizer.js';
import type { ParamGroup, ParamState, ParamsInput } from './optimizer.js';

/** Hyper-parameters of Adam and AdamW (PyTorch's names in camelCase, PyTorch's defaults). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** β₁, β₂: decay of the first and second moments (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to √v̂ (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (Adam, default 0) or decoupled decay (AdamW, default 0.01). */
  weightDecay: number;
  /** Use the maximum of past second moments (default false). */
  amsgrad: boolean;
}

function checkOptions(name: string, o: Partial<AdamOptions>): void {
  if (o.lr !== undefined && !(o.lr >= 0)) throw new ValueError(`${name}: lr must be ≥ 0, got ${o.lr}`);
  if (o.eps !== undefined && !(o.eps >= 0)) throw new ValueError(`${name}: eps must be ≥ 0, got ${o.eps}`);
  if (o.betas && !o.betas.every((b) => b >= 0 && b < 1)) throw new ValueError(`${name}: betas must be in [0, 1), got [${o.betas.join(', ')}]`);
  if (o.weightDecay !== undefined && !(o.weightDecay >= 0)) throw new ValueError(`${name}: weightDecay must be ≥ 0, got ${o.weightDecay}`);
}

/**
 * Adam (`torch.optim.Adam`). Per step t, with g the gradient (+ weightDecay·p):
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + eps).
 * @example const opt = new Adam(model.parameters(), { lr: 3e-4 }); loss.backward(); opt.step(); opt.zeroGrad();
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}, name = 'Adam', decoupledDefault = 0) {
    checkOptions(name, options);
    super(name, params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: decoupledDefault, amsgrad: false, ...options });
    for (const g of this.paramGroups) checkOptions(name, g);
  }

  /** Whether weight decay is decoupled (AdamW) or added to the gradient (Adam). */
  protected get decoupled(): boolean {
    return false;
  }

  protected initialState(p: Tensor, group: ParamGroup<AdamOptions>): ParamState {
    const s: ParamState = { step: 0, exp_avg: this.zerosState(p), exp_avg_sq: this.zerosState(p) };
    if (group.amsgrad) s.max_exp_avg_sq = this.zerosState(p);
    return s;
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<AdamOptions>, state: ParamState): void {
    const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad } = group;
    const step = num(state, 'step') + 1;
    state.step = step;
    const expAvg = buf(state, 'exp_avg');
    const expAvgSq = buf(state, 'exp_avg_sq');
    if (!amsgrad) {
      // one fused pass where the backend has AdamStep (cpu, wasm); the same ops as below elsewhere
      p.assign(adamStep(p, grad, expAvg, expAvgSq, { lr, beta1, beta2, eps, weightDecay, decoupled: this.decoupled, step }));
      return;
    }
    // each line in its own tidy: its temporaries are freed before the next line makes more
    const set = (target: Tensor, value: () => Tensor) => target.assign(tidy(value));
    let g = grad;
    if (weightDecay !== 0) {
      if (this.decoupled) set(p, () => p.mul(1 - lr * weightDecay));
      else g = tidy(() => g.add(p.mul(weightDecay)));
    }
    set(expAvg, () => expAvg.add(g.sub(expAvg).mul(1 - beta1))); // lerp(m, g, 1 − β₁)
    set(expAvgSq, () => expAvgSq.mul(beta2).add(g.mul(g).mul(1 - beta2)));
    const maxSq = buf(state, 'max_exp_avg_sq');
    set(maxSq, () => maxSq.maximum(expAvgSq));
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    const stepSize = lr / biasCorrection1;
    const denom = tidy(() => maxSq.sqrt().div(Math.sqrt(biasCorrection2)).add(eps));
    set(p, () => p.sub(expAvg.div(denom).mul(stepSize)));
  }
}

/**
 * AdamW (`torch.optim.AdamW`): Adam with decoupled weight decay, p ← p·(1 − lr·weightDecay)
 * before the Adam step; default weightDecay 0.01. Use `weightDecayGroups` to exempt biases and norms.
 * @example new AdamW(weightDecayGroups(model, 0.1), { lr: 6e-4, betas: [0.9, 0.95] })
 */
export class AdamW extends Adam {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, options, 'AdamW', 0.01);
  }

  protected override get decoupled(): boolean {
    return true;
  }
}

// Stochastic gradient descent with momentum, dampening, Nesterov and weight decay (`torch.optim.SGD`).
import type { Tensor } from '@qkv/tensor-core';
import { ValueError } from '@qkv/tensor-core';
import { Optimizer, buf } from './optimizer.js';
import type { ParamGroup, ParamState, ParamsInput } from './optimizer.js';

/** Hyper-parameters of SGD (PyTorch's defaults, lr required). */
export interface SGDOptions {
  lr: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
}

/**
 * SGD. With d = g + weightDecay·p: b ← d on the first step, then b ← μb + (1 − dampening)d;
 * d ← d + μb (Nesterov) or b; p ← p − lr·d.
 * @example const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true })
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    super('SGD', params, { momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, ...options });
    for (const g of this.paramGroups) {
      if (!(g.lr >= 0)) throw new ValueError(`SGD: lr must be ≥ 0, got ${g.lr}`);
      if (!(g.momentum >= 0)) throw new ValueError(`SGD: momentum must be ≥ 0, got ${g.momentum}`);
      if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
        throw new ValueError(`SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum ${g.momentum}, dampening ${g.dampening}`);
      }
    }
  }

  protected initialState(): ParamState {
    return {};
  }

  protected updateParam(p: Tensor, grad: Tensor, group: ParamGroup<SGDOptions>, state: ParamState): void {
    const { lr, momentum, dampening, weightDecay, nesterov } = group;
    let d = weightDecay !== 0 ? grad.add(p.mul(weightDecay)) : grad;
    if (momentum !== 0) {
      if (state.momentum_buffer === undefined) {
        state.momentum_buffer = this.zerosState(p);
        buf(state, 'momentum_buffer').assign(d);
      } else {
        const b = buf(state, 'momentum_buffer');
        b.assign(b.mul(momentum).add(d.mul(1 - dampening)));
      }
      const b = buf(state, 'momentum_buffer');
      d = nesterov ? d.add(b.mul(momentum)) : b;
    }
    p.assign(p.sub(d.mul(lr)));
  }
}

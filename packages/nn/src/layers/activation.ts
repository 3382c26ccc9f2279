// Activation modules: the element-wise functions as layers, for Sequential.
import type { Tensor } from '@qkv/tensor-core';
import { Module } from '../module.js';

/** max(x, 0). @example new Sequential(new Linear(4, 8), new ReLU()) */
export class ReLU extends Module {
  override forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/** GELU, exact (erf) by default or the tanh approximation, as `nn.GELU(approximate)`. */
export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
  }
  override forward(x: Tensor): Tensor {
    return x.gelu(this.approximate);
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** tanh(x). */
export class Tanh extends Module {
  override forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/** 1 / (1 + e^−x). */
export class Sigmoid extends Module {
  override forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

/** x·σ(x) (`nn.SiLU`). */
export class SiLU extends Module {
  override forward(x: Tensor): Tensor {
    return x.silu();
  }
}

/** The identity (`nn.Identity`), a placeholder that keeps a model's structure. */
export class Identity extends Module {
  override forward(x: Tensor): Tensor {
    return x;
  }
}

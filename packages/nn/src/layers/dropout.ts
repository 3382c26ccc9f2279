// Dropout: zeroes activations at random while training (PyTorch's `nn.Dropout`).
import { dropout, ValueError } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { Module } from '../module.js';

/**
 * While `training`, zeroes each element with probability `p` and scales the others by 1/(1−p);
 * the identity in `eval()` mode. No state-dict entries.
 * @example const drop = new Dropout(0.1); drop.forward(x)
 */
export class Dropout extends Module {
  readonly p: number;
  /** Random source for the masks (default: the global seeded generator). */
  generator: Generator | undefined;

  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ValueError(`Dropout: p must be in [0, 1], got ${p}`);
    this.p = p;
    this.generator = options.generator;
  }

  /** x [*] → [*]. */
  override forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this.generator);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

// The `reduction` argument every loss takes.
import { ValueError } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

/** 'mean' (default) averages, 'sum' adds, 'none' returns the per-element losses. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Applies a plain (unweighted) reduction. */
export function reduce(op: string, loss: Tensor, reduction: Reduction): Tensor {
  switch (reduction) {
    case 'none': return loss;
    case 'sum': return loss.sum();
    case 'mean': return loss.mean();
    default: throw new ValueError(`${op}: reduction must be 'mean', 'sum' or 'none', got '${String(reduction satisfies never)}'`);
  }
}

// Parameter groups for weight decay: decay matrices, not biases, norms or embeddings' 1-d weights.
import type { Tensor } from '@qkv/tensor-core';
import type { Module } from '../module.js';

/**
 * Two groups: parameters with ≥ 2 dims get `weightDecay`, the rest (biases, LayerNorm weights) get
 * none — the usual rule (nanoGPT, BERT). Pass the result to `AdamW`/`SGD`.
 * @example new AdamW(weightDecayGroups(model, 0.1), { lr: 3e-4 })
 */
export function weightDecayGroups(model: Module, weightDecay: number): [{ params: Tensor[]; weightDecay: number }, { params: Tensor[]; weightDecay: number }] {
  const params = model.parameters().filter((p) => p.requiresGrad);
  return [
    { params: params.filter((p) => p.ndim >= 2), weightDecay },
    { params: params.filter((p) => p.ndim < 2), weightDecay: 0 },
  ];
}

// Parameters: tensors a Module trains. A parameter is an ordinary Tensor, marked so that Modules
// find it, set to require gradients and kept out of `tidy` scopes so it outlives them.
import { keep } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

const KEY = Symbol.for('@qkv/nn/parameters');
const holder = globalThis as unknown as Record<symbol, WeakSet<Tensor> | undefined>;
/** One registry per realm, so two copies of the package agree on what a parameter is. */
const marked: WeakSet<Tensor> = (holder[KEY] ??= new WeakSet());

/**
 * Marks `t` as a trainable parameter (PyTorch's `nn.Parameter(t)`): it requires grad (unless
 * `requiresGrad` is false), survives `tidy`, and a Module that holds it in a field registers it.
 * Returns the same tensor.
 * @example this.weight = Parameter(randn([out, inp]))
 */
export function Parameter(t: Tensor, requiresGrad = true): Tensor {
  marked.add(t);
  keep(t);
  t.requiresGrad_(requiresGrad);
  return t;
}

/** True for tensors marked by `Parameter`. */
export function isParameter(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && marked.has(value as Tensor);
}

// Functional autograd (JAX-style): grad(f) and valueAndGrad(f) over tensor arguments.
import { keep, tidy } from '../engine.js';
import { ValueError } from '../errors.js';
import { Tensor } from '../tensor.js';

/**
 * Returns a function computing f's value and its gradients with respect to every argument.
 * `f` must return a scalar tensor. Arguments are used through detached copies that require grad,
 * so the caller's tensors are untouched; intermediates are freed.
 * @example const [loss, [dw]] = valueAndGrad((w) => w.mul(w).sum())(w)
 */
export function valueAndGrad<A extends Tensor[]>(f: (...args: A) => Tensor): (...args: A) => [Tensor, Tensor[]] {
  return (...args: A) => {
    const result = tidy(() => {
      const inputs = args.map((a, i) => {
        if (!(a instanceof Tensor)) throw new ValueError(`valueAndGrad: argument ${i} must be a Tensor`);
        return a.detach().float().requiresGrad_(true);
      }) as A;
      const value = f(...inputs);
      if (!(value instanceof Tensor) || value.size !== 1) {
        throw new ValueError('valueAndGrad: f must return a one-element tensor');
      }
      value.backward();
      const grads = inputs.map((x) => x.grad ?? x.zerosLike());
      for (const x of inputs) x.grad = null;
      return { value: value.detach(), grads: grads.map((g) => keep(g)) };
    });
    return [result.value, result.grads];
  };
}

/**
 * Returns a function computing the gradients of scalar-valued `f` with respect to its arguments.
 * @example const dx = grad((x) => x.pow(3).sum())(x)[0] // 3x²
 */
export function grad<A extends Tensor[]>(f: (...args: A) => Tensor): (...args: A) => Tensor[] {
  const vg = valueAndGrad(f);
  return (...args: A) => {
    const [value, grads] = vg(...args);
    value.dispose();
    return grads;
  };
}

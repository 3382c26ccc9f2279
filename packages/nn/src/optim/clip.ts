// Gradient clipping by global norm (`torch.nn.utils.clip_grad_norm_`).
import { noGrad, tidy, ValueError } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

/**
 * Scales every gradient by min(1, maxNorm / (‖g‖ + 1e-6)), where ‖g‖ is the `normType`-norm of
 * all gradients taken together (2 by default, `Infinity` for the max-norm). Returns ‖g‖ before
 * clipping. Parameters without a gradient are skipped.
 * @example loss.backward(); clipGradNorm(model.parameters(), 1.0); opt.step();
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, normType = 2): number {
  if (!(maxNorm >= 0)) throw new ValueError(`clipGradNorm: maxNorm must be ≥ 0, got ${maxNorm}`);
  if (!(normType > 0)) throw new ValueError(`clipGradNorm: normType must be > 0 or Infinity, got ${normType}`);
  const withGrad = [...params].filter((p) => p.grad);
  if (withGrad.length === 0) return 0;
  return tidy(() => noGrad(() => {
    const grads = withGrad.map((p) => p.grad!);
    let total: number;
    if (normType === Infinity) total = Math.max(...grads.map((g) => g.abs().max().item()));
    else {
      // the 2-norm (the default) squares with one Mul instead of Abs + Pow: two kernels fewer per parameter
      const power = (g: Tensor): Tensor => (normType === 2 ? g.mul(g) : g.abs().pow(normType));
      const sum = grads.map((g) => power(g).sum().item()).reduce((a, b) => a + b, 0);
      total = sum ** (1 / normType);
    }
    const coef = maxNorm / (total + 1e-6);
    if (coef < 1) {
      for (const p of withGrad) {
        const scaled = p.grad!.mul(coef);
        p.grad!.assign(scaled);
      }
    }
    return total;
  }));
}

// The gradient table: one entry per differentiable kernel. Each part `satisfies` a mapped type over
// its share of the kernel names, so a kernel added without a gradient fails to compile, and each
// gradient function sees its kernel's typed attributes (`GradFunc<'Sum'>` reads `attrs.dims`).
import type { GradFunc } from '../autograd/tape.js';
import type { DifferentiableKernel, KernelName } from '../kernel-names.js';
import { fusedGradients } from './attention.js';
import { binaryGradients, unaryGradients } from './elementwise.js';
import { structuralGradients } from './structural.js';

/** Every differentiable kernel's gradient, typed by kernel. */
type GradientTable = { readonly [K in DifferentiableKernel]: GradFunc<K> };

const gradients: GradientTable = { ...unaryGradients, ...binaryGradients, ...structuralGradients, ...fusedGradients };

/** The gradient of kernel `name`, or undefined for non-differentiable kernels. */
export function gradientOf<K extends KernelName>(name: K): GradFunc<K> | undefined {
  // an own-property lookup: kernels without a gradient (comparisons, ArgMax, …) are absent
  return Object.prototype.hasOwnProperty.call(gradients, name) ? (gradients as unknown as Record<K, GradFunc<K>>)[name] : undefined;
}

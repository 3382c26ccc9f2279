// The gradient table: one entry per differentiable kernel. Each part `satisfies` a Record over its
// share of the kernel names, so a kernel added without a gradient fails to compile.
import type { GradFunc } from '../autograd/tape.js';
import type { KernelName } from '../kernel-names.js';
import { fusedGradients } from './attention.js';
import { binaryGradients, unaryGradients } from './elementwise.js';
import { structuralGradients } from './structural.js';

/** The gradient of kernel `name`, or undefined for non-differentiable kernels (looked up lazily). */
export function gradientOf(name: KernelName): GradFunc | undefined {
  const tables: Partial<Record<KernelName, GradFunc>>[] = [unaryGradients, binaryGradients, structuralGradients, fusedGradients];
  for (const table of tables) {
    const fn = table[name];
    if (fn) return fn;
  }
  return undefined;
}

// Reverse-mode autograd. Each kernel call on a tensor that requires grad leaves a node on its
// output; backward() sorts the nodes topologically and runs their gradient functions in reverse.
import type { Attrs } from '../backend.js';
import { keep, noGrad, tidy } from '../engine.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { KernelName } from '../kernel-names.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { gradientOf } from '../gradients/index.js';

/** The record of one kernel call, kept on its output tensor as `gradFn`. */
export interface GradNode {
  readonly kernelName: KernelName;
  readonly inputs: readonly Tensor[];
  readonly attrs: Attrs;
  readonly output: Tensor;
}

/** What a gradient function is given. */
export interface GradContext {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: Attrs;
  /** `needs[i]` is true when input i requires a gradient (skip the work otherwise). */
  readonly needs: readonly boolean[];
}

/** Maps the output gradient to one gradient (or null) per input, using public ops only. */
export type GradFunc = (dy: Tensor, ctx: GradContext) => (Tensor | null)[];

/** Called by the engine after a kernel ran on inputs of which some require grad. */
export function recordNode(kernelName: KernelName, inputs: readonly Tensor[], attrs: Attrs, output: Tensor): void {
  // Non-differentiable kernels and integer/bool outputs are constants for autograd.
  if (output.dtype !== 'float32' || !gradientOf(kernelName)) return;
  output.requiresGrad = true;
  output.gradFn = { kernelName, inputs: [...inputs], attrs, output };
}

function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [t, expanded] = stack.pop()!;
    if (expanded) {
      order.push(t);
      continue;
    }
    if (seen.has(t)) continue;
    seen.add(t);
    stack.push([t, true]);
    for (const input of t.gradFn?.inputs ?? []) if (input.requiresGrad && !seen.has(input)) stack.push([input, false]);
  }
  return order.reverse(); // root first
}

/**
 * Accumulates d(root)/d(leaf) into `leaf.grad` for every leaf that requires grad.
 * `gradient` defaults to 1 for a scalar root (PyTorch requires it otherwise).
 */
export function backward(root: Tensor, gradient?: Tensor): void {
  if (!root.requiresGrad) throw new ValueError('backward: tensor does not require grad and has no grad_fn');
  if (!gradient && root.size !== 1) {
    throw new ShapeError(`backward: grad can be implicitly created only for scalar outputs, got shape ${fmtShape(root.shape)}`);
  }
  if (gradient && !shapesEqual(gradient.shape, root.shape)) {
    throw new ShapeError(`backward: gradient must have the output's shape ${fmtShape(root.shape)}, got ${fmtShape(gradient.shape)}`);
  }
  tidy(() => {
    noGrad(() => {
      // Gradients are freed as soon as nothing needs them, so memory follows the live frontier of
      // the graph, not its length: a GRU over 512 steps must not keep 512 weight-sized gradients.
      const grads = new Map<Tensor, Tensor>();
      const uses = new Map<Tensor, number>(); // how many grads entries hold each gradient tensor
      const hold = (g: Tensor) => uses.set(g, (uses.get(g) ?? 0) + 1);
      const release = (g: Tensor) => {
        const n = (uses.get(g) ?? 0) - 1;
        if (n > 0) return void uses.set(g, n);
        uses.delete(g);
        if (g !== gradient) g.dispose(); // never the caller's own gradient tensor
      };
      const start = gradient ?? root.onesLike();
      grads.set(root, start);
      hold(start);
      for (const t of topoOrder(root)) {
        const dy = grads.get(t);
        if (!dy) continue;
        const node = t.gradFn;
        if (!node || t.retainsGrad) accumulateLeafGrad(t, dy);
        if (node) {
          const needs = node.inputs.map((x) => x.requiresGrad);
          const fn = gradientOf(node.kernelName)!;
          // a tidy per node frees the gradient function's temporaries right away
          const dxs = tidy(() => fn(dy, { inputs: node.inputs, output: node.output, attrs: node.attrs, needs }));
          node.inputs.forEach((x, i) => {
            const dx = dxs[i];
            if (!needs[i] || !dx) return;
            if (!shapesEqual(dx.shape, x.shape)) {
              throw new ShapeError(`backward: gradient of ${node.kernelName} input ${i} has shape ${fmtShape(dx.shape)}, expected ${fmtShape(x.shape)}`);
            }
            const prev = grads.get(x);
            if (!prev) {
              grads.set(x, dx);
              hold(dx);
              return;
            }
            const sum = prev.add(dx);
            grads.set(x, sum);
            hold(sum);
            release(prev);
            if (!uses.has(dx) && dx !== dy && dx !== gradient) dx.dispose(); // a fresh dx now summed in
          });
          for (const dx of dxs) if (dx && !uses.has(dx) && dx !== dy && dx !== gradient && !dx.isDisposed) dx.dispose(); // unused (needs false)
        }
        grads.delete(t);
        release(dy);
      }
    });
  });
}

function accumulateLeafGrad(t: Tensor, dy: Tensor): void {
  const g = dy.dtype === t.dtype ? dy.clone() : dy.to(t.dtype);
  if (t.grad) {
    const sum = keep(t.grad.add(g));
    t.grad.dispose();
    t.grad = sum;
  } else {
    t.grad = keep(g);
  }
}


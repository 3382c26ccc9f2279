// Reverse-mode autograd, micrograd's way. Each kernel call on a tensor that requires grad leaves a
// node on its output (`gradFn`: the kernel, its inputs and attributes); `backward()` visits the
// graph in topological order and, in one reverse loop, turns each output gradient into gradients
// of the inputs with the kernel's gradient function. The engine calls `recordNode` through the hook
// that wire.ts installs, so the engine never imports this file.
import { enableGrad, keep, noGrad, tidy } from '../engine.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import type { KernelAttrs } from '../kernel-attrs.js';
import type { KernelName } from '../kernel-names.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { gradientOf } from '../gradients/index.js';

/** The record of one kernel call, kept on its output tensor as `gradFn`. */
export interface KernelNode<K extends KernelName = KernelName> {
  readonly kernelName: K;
  readonly inputs: readonly Tensor[];
  readonly attrs: KernelAttrs[K];
  readonly output: Tensor;
  /** Set when a `backward()` without `retainGraph` went through this node. */
  released: boolean;
}

/**
 * A node whose gradient is a closure rather than a kernel's gradient (`checkpoint` records one
 * that recomputes its function). `kernelName` names it in graph walks.
 */
export interface CustomNode {
  readonly kernelName: 'Checkpoint';
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  /** One gradient (or null) per input, for output gradient `dy`; `needs[i]` as in GradContext. */
  readonly backward: (dy: Tensor, needs: readonly boolean[]) => (Tensor | null)[];
  released: boolean;
}

/** Any node of the graph. */
export type GradNode = KernelNode | CustomNode;

/** What the gradient function of kernel `K` is given. */
export interface GradContext<K extends KernelName = KernelName> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: KernelAttrs[K];
  /** `needs[i]` is true when input i requires a gradient (skip the work otherwise). */
  readonly needs: readonly boolean[];
}

/** Maps the output gradient of kernel `K` to one gradient (or null) per input, using public ops only. */
export type GradFunc<K extends KernelName = KernelName> = (dy: Tensor, ctx: GradContext<K>) => (Tensor | null)[];

/** Options of `backward`. */
export interface BackwardOptions {
  /**
   * Keep the graph so that `backward()` may go through it again (PyTorch's `retain_graph`);
   * default false: a second pass throws, since it would silently add the gradients twice.
   */
  retainGraph?: boolean;
}

/** Records a kernel call (the engine's record hook). Integer/bool outputs and kernels without a gradient are constants. */
export function recordNode<K extends KernelName>(kernelName: K, inputs: readonly Tensor[], attrs: KernelAttrs[K], output: Tensor): void {
  if (output.dtype !== 'float32' || !gradientOf(kernelName)) return;
  output.requiresGrad = true;
  const node: KernelNode<K> = { kernelName, inputs: [...inputs], attrs, output, released: false };
  output.gradFn = node;
}

/** Records a node with its own gradient closure on `output` (used by `checkpoint`). */
export function recordCustomNode(output: Tensor, inputs: readonly Tensor[], backwardFn: CustomNode['backward']): void {
  output.requiresGrad = true;
  output.gradFn = { kernelName: 'Checkpoint', inputs: [...inputs], output, backward: backwardFn, released: false };
}

/** Every tensor that `root` depends on through tensors requiring grad, root first, inputs after their users. */
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
  return order.reverse();
}

/**
 * Accumulates d(root)/d(leaf) into `leaf.grad` for every leaf that requires grad (and into
 * `.grad` of tensors that called `retainGrad()`). `gradient` defaults to 1 for a scalar root
 * (PyTorch requires it otherwise). Without `retainGraph` the graph is released afterwards.
 */
export function backward(root: Tensor, gradient?: Tensor, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) throw new ValueError('backward: tensor does not require grad and has no grad_fn');
  if (!gradient && root.size !== 1) {
    throw new ShapeError(`backward: grad can be implicitly created only for scalar outputs, got shape ${fmtShape(root.shape)}`);
  }
  if (gradient && !shapesEqual(gradient.shape, root.shape)) {
    throw new ShapeError(`backward: gradient must have the output's shape ${fmtShape(root.shape)}, got ${fmtShape(gradient.shape)}`);
  }
  const order = topoOrder(root);
  for (const t of order) {
    if (t.gradFn?.released) {
      throw new ValueError(
        'backward: Trying to backward through the graph a second time (its intermediate results were freed by the first backward); ' +
          'pass { retainGraph: true } to the first backward() if you need to go through the graph again',
      );
    }
  }
  tidy(() =>
    noGrad(() => {
      const pending = new PendingGradients(gradient);
      pending.add(root, gradient ?? root.onesLike(), null);
      for (const t of order) {
        const dy = pending.take(t);
        if (!dy) continue;
        if (!t.gradFn && dy.dtype === t.dtype && pending.claim(dy)) {
          // a leaf that is dy's only holder takes dy itself as its gradient, with no copy (PyTorch
          // steals it the same way); a weight's gradient is never the forward's or the caller's tensor
          accumulateLeafGrad(t, dy, true);
          continue;
        }
        if (!t.gradFn || t.retainsGrad) accumulateLeafGrad(t, dy, false);
        if (t.gradFn) {
          const dxs = inputGradients(t.gradFn, dy);
          t.gradFn.inputs.forEach((x, i) => {
            const dx = dxs[i];
            if (dx && x.requiresGrad) pending.add(x, dx, dy);
          });
          pending.discardUnused(dxs, dy);
        }
        pending.release(dy);
      }
    }),
  );
  if (!options.retainGraph) for (const t of order) if (t.gradFn) t.gradFn.released = true;
}

/** The gradients of `node`'s inputs for output gradient `dy`, shape-checked; null where none is needed. */
function inputGradients(node: GradNode, dy: Tensor): (Tensor | null)[] {
  const needs = node.inputs.map((x) => x.requiresGrad);
  // a tidy per node frees the gradient function's temporaries right away
  const dxs = tidy(() => (node.kernelName === 'Checkpoint' ? node.backward(dy, needs) : kernelGradient(node, dy, needs)));
  node.inputs.forEach((x, i) => {
    const dx = dxs[i];
    if (needs[i] && dx && !shapesEqual(dx.shape, x.shape)) {
      throw new ShapeError(`backward: gradient of ${node.kernelName} input ${i} has shape ${fmtShape(dx.shape)}, expected ${fmtShape(x.shape)}`);
    }
  });
  return dxs;
}

function kernelGradient<K extends KernelName>(node: KernelNode<K>, dy: Tensor, needs: readonly boolean[]): (Tensor | null)[] {
  const fn = gradientOf(node.kernelName)!; // recordNode only records kernels that have one
  return fn(dy, { inputs: node.inputs, output: node.output, attrs: node.attrs, needs });
}

/**
 * The gradients still flowing back during one `backward()`: for each tensor, the sum of what its
 * users sent it so far. Its purpose is memory: a gradient is freed as soon as nothing needs it,
 * so memory follows the live frontier of the graph, not its length (a GRU over 512 steps must not
 * keep 512 weight-sized gradients). One gradient tensor may wait for several inputs at once
 * (`Add` passes dy to both sides), so each is counted; the caller's own `gradient` is never freed.
 */
class PendingGradients {
  private readonly byTensor = new Map<Tensor, Tensor>();
  private readonly holders = new Map<Tensor, number>();

  constructor(private readonly callerOwned: Tensor | undefined) {}

  /** Adds `dx` to the gradient waiting for `x`, freeing a fresh `dx` once summed in (never `current`). */
  add(x: Tensor, dx: Tensor, current: Tensor | null): void {
    const prev = this.byTensor.get(x);
    if (!prev) return this.hold(x, dx);
    this.hold(x, prev.add(dx));
    this.release(prev);
    this.freeIfUnheld(dx, current);
  }

  /** Removes and returns `t`'s gradient; hand it back with `release` when done. */
  take(t: Tensor): Tensor | undefined {
    const g = this.byTensor.get(t);
    this.byTensor.delete(t);
    return g;
  }

  /**
   * Hands `g` (just taken) over for good when its one hold is the entry it was taken from and it
   * is a gradient this backward made (not the caller's `gradient`, not a tensor of the forward
   * graph): true when it did; then the caller owns and frees it instead of calling `release`.
   */
  claim(g: Tensor): boolean {
    if (this.holders.get(g) !== 1 || g === this.callerOwned || g.requiresGrad) return false;
    this.holders.delete(g);
    return true;
  }

  /** Gives up one hold on `g`, freeing it when no entry holds it any more. */
  release(g: Tensor): void {
    const n = (this.holders.get(g) ?? 0) - 1;
    if (n > 0) return void this.holders.set(g, n);
    this.holders.delete(g);
    if (g !== this.callerOwned) g.dispose();
  }

  /** Frees the gradients a node returned that nothing took (inputs that need none). */
  discardUnused(dxs: readonly (Tensor | null)[], current: Tensor): void {
    for (const dx of dxs) if (dx && !dx.isDisposed) this.freeIfUnheld(dx, current);
  }

  private hold(x: Tensor, g: Tensor): void {
    this.byTensor.set(x, g);
    this.holders.set(g, (this.holders.get(g) ?? 0) + 1);
  }

  private freeIfUnheld(g: Tensor, current: Tensor | null): void {
    if (!this.holders.has(g) && g !== current && g !== this.callerOwned) g.dispose();
  }
}

/**
 * Adds `dy` into `t.grad`. With `owned` (same dtype, no other holder) `dy` itself becomes the
 * gradient, or is freed once summed in; otherwise the first gradient is a copy. A sum needs no copy.
 */
function accumulateLeafGrad(t: Tensor, dy: Tensor, owned: boolean): void {
  const same = dy.dtype === t.dtype;
  if (t.grad) {
    const sum = keep(t.grad.add(same ? dy : dy.to(t.dtype)));
    t.grad.dispose();
    t.grad = sum;
    if (owned) dy.dispose();
  } else {
    t.grad = keep(owned ? dy : same ? dy.clone() : dy.to(t.dtype));
  }
}

/**
 * Runs `fn` on `inputs` without keeping its graph, and recomputes it during `backward()` to get
 * the gradients (PyTorch's `torch.utils.checkpoint`): activation memory inside `fn` is traded for
 * a second forward pass. Parameters that `fn` uses get their gradients as without checkpointing.
 * `fn` must be deterministic (no dropout in training mode: it runs twice) and return one tensor.
 * @example
 * // x [B, T, C]: the block's activations are freed after the forward pass
 * const y = checkpoint((h) => block.forward(h), x); // [B, T, C]
 */
export function checkpoint<A extends Tensor[]>(fn: (...inputs: A) => Tensor, ...inputs: A): Tensor {
  if (typeof fn !== 'function') throw new ValueError(`checkpoint: fn must be a function, got ${typeof fn}`);
  for (const x of inputs) x.assertAlive('checkpoint');
  let tracked = false;
  const output = tidy(() => {
    const out = fn(...(inputs.map((x) => x.detach().requiresGrad_(x.requiresGrad)) as A));
    if (!out || typeof out !== 'object' || !('gradFn' in out)) throw new ValueError('checkpoint: fn must return one Tensor');
    tracked = out.requiresGrad;
    return noGrad(() => out.detach()); // a fresh tensor sharing out's data; fn's graph is freed with this scope
  });
  if (!tracked) return output;
  recordCustomNode(output, inputs, (dy, needs) =>
    enableGrad(() => {
      const again = inputs.map((x, i) => x.detach().requiresGrad_(needs[i] === true));
      const out = fn(...(again as A));
      if (out.requiresGrad) backward(out, dy);
      return again.map((x) => {
        const g = x.grad;
        x.grad = null; // the leaf copies are freed with this scope, their gradients live on
        return g;
      });
    }),
  );
  return output;
}

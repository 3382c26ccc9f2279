// Gradients of reductions, softmax, matmul, shape and indexing kernels.
import type { GradContext, GradFunc } from '../autograd/tape.js';
import { where } from '../ops/binary.js';
import { zeros } from '../ops/creation.js';
import { gather, indexAdd, indexSelect, scatterAdd } from '../ops/index-ops.js';
import { batchMatMul } from '../ops/matmul.js';
import { split } from '../ops/shape-ops.js';
import { sumToShape } from '../ops/util.js';
import type { DifferentiableKernel, FusedKernel, UnaryKernel, BinaryKernel } from '../kernel-names.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from '../engine.js';

type Structural = Exclude<DifferentiableKernel, UnaryKernel | BinaryKernel | FusedKernel>;

/** dy of a reduction, reshaped so that it broadcasts against the input again. */
function keepdims(dy: Tensor, inputShape: readonly number[], dims: readonly number[], keepdim: boolean): Tensor {
  if (keepdim) return dy;
  return dy.reshape(inputShape.map((s, i) => (dims.includes(i) ? 1 : s)));
}

/** Sums the batch of a matmul gradient when that operand was broadcast (batch 1). */
function unbroadcastBatch(g: Tensor, batch: number): Tensor {
  return batch === 1 && g.shape[0] !== 1 ? g.sum(0, true) : g;
}

/** Gradients of the kernels that are not element-wise. */
export const structuralGradients = {
  // d where(c, a, b) = where(c, dy, 0), where(c, 0, dy)
  Where: (dy, { inputs: [c, a, b], needs }) => [
    null,
    needs[1] ? sumToShape(where(c!, dy, 0), a!.shape) : null,
    needs[2] ? sumToShape(where(c!, 0, dy), b!.shape) : null,
  ],
  // d Σx = dy broadcast back over the reduced dims
  Sum: (dy, { inputs: [x], attrs: { dims, keepdim } }) => [keepdims(dy, x!.shape, dims, keepdim).expand(x!.shape)],
  // d max = dy at the arg-max positions, shared equally between ties (amax semantics)
  Max: (dy, ctx) => extremumGrad(dy, ctx),
  Min: (dy, ctx) => extremumGrad(dy, ctx),
  // d softmax = y ⊙ (dy − Σ(dy ⊙ y))
  Softmax: (dy, { output: y, attrs: { dim } }) => [y.mul(dy.sub(dy.mul(y).sum(dim, true)))],
  // d logsoftmax = dy − softmax · Σdy
  LogSoftmax: (dy, { output: y, attrs: { dim } }) => [dy.sub(y.exp().mul(dy.sum(dim, true)))],
  // Y = op(A)·op(B): dA = dY·op(B)ᵀ (or its transpose), dB = op(A)ᵀ·dY (or its transpose)
  BatchMatMul: (dy, { inputs: [a, b], attrs: { transposeA: tA, transposeB: tB }, needs }) => {
    const da = !needs[0] ? null : tA ? batchMatMul(b!, dy, tB, true) : batchMatMul(dy, b!, false, !tB);
    const db = !needs[1] ? null : tB ? batchMatMul(dy, a!, true, tA) : batchMatMul(a!, dy, !tA, false);
    return [da && unbroadcastBatch(da, a!.shape[0]!), db && unbroadcastBatch(db, b!.shape[0]!)];
  },
  // d permute(x, p) = permute(dy, p⁻¹)
  Transpose: (dy, { attrs: { perm } }) => {
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [dy.permute(inverse)];
  },
  Reshape: (dy, { inputs: [x] }) => [runKernel('Reshape', [dy], { shape: [...x!.shape] })],
  BroadcastTo: (dy, { inputs: [x] }) => [sumToShape(dy, x!.shape)],
  // d slice = dy padded back with zeros
  Slice: (dy, { inputs: [x], attrs: { begin, size } }) => {
    const after = x!.shape.map((n, i) => n - begin[i]! - size[i]!);
    return [runKernel('Pad', [dy], { before: [...begin], after, value: 0 })];
  },
  // d pad = the un-padded window of dy
  Pad: (dy, { inputs: [x], attrs: { before } }) => [runKernel('Slice', [dy], { begin: before, size: [...x!.shape] })],
  Concat: (dy, { inputs, attrs: { dim } }) => split(dy, inputs.map((x) => x.shape[dim]!), dim),
  // d gather = scatter-add of dy into zeros at the gathered positions
  Gather: (dy, { inputs: [x, index], attrs: { dim } }) => [scatterAdd(zeros(x!.shape), dim, index!, dy), null],
  ScatterAdd: (dy, { inputs: [, index], attrs: { dim } }) => [dy, null, gather(dy, dim, index!)],
  IndexSelect: (dy, { inputs: [x, index], attrs: { dim } }) => [indexAdd(zeros(x!.shape), dim, index!, dy), null],
  IndexAdd: (dy, { inputs: [, index], attrs: { dim } }) => [dy, null, indexSelect(dy, dim, index!)],
  // x̂ = (x − μ)·r with r = 1/√(σ² + ε): dx = r·(dy − mean(dy) − x̂·mean(dy ⊙ x̂)) over the normalised dims
  LayerNorm: (dy, { inputs: [x], output: xhat, attrs: { normDims: k, eps } }) => {
    const dims = Array.from({ length: k }, (_, i) => x!.ndim - k + i);
    const r = x!.var(dims, { correction: 0, keepdim: true }).add(eps).rsqrt();
    const term = dy.sub(dy.mean(dims, true)).sub(xhat.mul(dy.mul(xhat).mean(dims, true)));
    return [term.mul(r)];
  },
} satisfies { [K in Structural]: GradFunc<K> };

function extremumGrad(dy: Tensor, { inputs: [x], output, attrs: { dims, keepdim } }: GradContext<'Max' | 'Min'>): (Tensor | null)[] {
  const y = keepdims(output, x!.shape, dims, keepdim);
  const hit = x!.eq(y).float();
  const count = hit.sum([...dims], true);
  return [hit.mul(keepdims(dy, x!.shape, dims, keepdim)).div(count)];
}


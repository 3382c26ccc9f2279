// Emitters of nn's layers: Linear → MatMul (+ Add), LayerNorm → LayerNormalization (opset 17),
// Embedding → Gather, the activations, and the small shape helpers every emitter shares.
import type { Embedding, LayerNorm, Linear } from '@qkv/nn';
import type { Activation } from '@qkv/transformer';
import { float } from '../graph/builder.js';
import type { GraphBuilder } from '../graph/builder.js';
import { OnnxExportError } from '../graph/errors.js';

/** The size of axis `axis` of `x` as an int64 [1] (for Concat into a shape). */
export function dimOf(g: GraphBuilder, x: string, axis: number): string {
  return g.op('Shape', [x], { start: axis, end: axis + 1 });
}

/** The size of axis `axis` of `x` as an int64 scalar (for Range). */
export function scalarDimOf(g: GraphBuilder, x: string, axis: number): string {
  return g.op('Squeeze', [dimOf(g, x, axis), g.ints([0])]);
}

/** x·Wᵀ (+ b) with W [out, in] kept as the state-dict tensor; ONNX Runtime folds the Transpose. */
export function affine(g: GraphBuilder, weight: string, bias: string | null, x: string): string {
  const y = g.op('MatMul', [x, g.op('Transpose', [weight], { perm: [1, 0] })]);
  return bias ? g.op('Add', [y, bias]) : y;
}

/** Linear: x [..., in] → [..., out]. */
export function linear(g: GraphBuilder, m: Linear, x: string): string {
  return affine(g, g.weight(m.weight), m.bias ? g.weight(m.bias) : null, x);
}

/** LayerNorm over the last `normalizedShape.length` dims (biased variance, as PyTorch). */
export function layerNorm(g: GraphBuilder, m: LayerNorm, x: string): string {
  const n = m.normalizedShape.length;
  const size = m.normalizedShape.reduce((a, b) => a * b, 1);
  const scale = m.weight ? g.weight(m.weight) : g.floats(new Float32Array(size).fill(1), [...m.normalizedShape]);
  const inputs = m.bias ? [x, scale, g.weight(m.bias)] : [x, scale];
  return g.op('LayerNormalization', inputs, { axis: -n, epsilon: float(m.eps) });
}

/** Embedding: ids [*] (int64) → [*, E]. The padding row only matters for training. */
export function embedding(g: GraphBuilder, m: Embedding, ids: string): string {
  return g.op('Gather', [g.weight(m.weight), ids], { axis: 0 });
}

/**
 * GELU (the Gelu op arrives only in opset 20): exact 0.5·x·(1 + erf(x/√2)), or with `'tanh'`
 * GPT-2's 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
 */
export function gelu(g: GraphBuilder, x: string, approximate: 'none' | 'tanh' = 'none'): string {
  const inner = approximate === 'tanh'
    ? g.op('Tanh', [g.op('Mul', [g.op('Add', [x, g.op('Mul', [g.op('Mul', [g.op('Mul', [x, x]), x]), g.scalar(0.044715)])]), g.scalar(Math.sqrt(2 / Math.PI))])])
    : g.op('Erf', [g.op('Mul', [x, g.scalar(Math.SQRT1_2)])]);
  return g.op('Mul', [g.op('Mul', [x, g.scalar(0.5)]), g.op('Add', [inner, g.scalar(1)])]);
}

/** A feed-forward activation: the layer's own, or 'gelu_tanh' when a model knows its function is GELU-tanh. */
export type ActivationKind = Activation | 'gelu_tanh';

/** The feed-forward activation; a custom function cannot be exported. */
export function activation(g: GraphBuilder, kind: ActivationKind, x: string, where: string): string {
  if (kind === 'relu') return g.op('Relu', [x]);
  if (kind === 'gelu') return gelu(g, x);
  if (kind === 'gelu_tanh') return gelu(g, x, 'tanh');
  throw new OnnxExportError(`exportOnnx: ${where} uses a custom activation function (${kind.name || 'anonymous'}); only 'relu' and 'gelu' can be exported`);
}

/** Swaps the first two axes of a [a, b, E] value (sequence-first ⇄ batch-first). */
export function swap01(g: GraphBuilder, x: string): string {
  return g.op('Transpose', [x], { perm: [1, 0, 2] });
}

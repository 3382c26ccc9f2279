// What the encoder and decoder layers share: PyTorch's options and defaults, the activation, and
// the input check that names the layer.
import { ShapeError, ValueError, fmtShape } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';

/** The feed-forward nonlinearity: PyTorch's strings, or any element-wise function. */
export type Activation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

/** Options of `TransformerEncoderLayer` and `TransformerDecoderLayer`, with PyTorch's defaults. */
export interface TransformerLayerOptions {
  /** Hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout on attention weights, residual branches and the feed-forward hidden layer (default 0.1). */
  dropout?: number;
  /** Feed-forward nonlinearity (default 'relu'). */
  activation?: Activation;
  /** LayerNorm epsilon (default 1e-5). */
  layerNormEps?: number;
  /** Inputs and outputs are [N, L, E] instead of [L, N, E] (default false). */
  batchFirst?: boolean;
  /** Pre-norm: x + f(norm(x)) instead of post-norm norm(x + f(x)) (default false). */
  normFirst?: boolean;
  /** Biases in the Linear layers and LayerNorms (default true). */
  bias?: boolean;
  /** Random source for initialisation and dropout. */
  generator?: Generator;
}

/** The options with PyTorch's defaults filled in. */
export type ResolvedLayerOptions = Required<Omit<TransformerLayerOptions, 'generator'>> & { generator: Generator | undefined };

/** Checks dModel/nhead and fills PyTorch's defaults. */
export function resolveLayerOptions(name: string, dModel: number, nhead: number, options: TransformerLayerOptions): ResolvedLayerOptions {
  for (const [what, n] of [['dModel', dModel], ['nhead', nhead]] as const) {
    if (!Number.isInteger(n) || n <= 0) throw new ValueError(`${name}: ${what} must be a positive integer, got ${n}`);
  }
  if (dModel % nhead !== 0) throw new ValueError(`${name}: dModel must be divisible by nhead, got dModel ${dModel} and nhead ${nhead}`);
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)); // undefined means "default"
  const resolved = {
    dimFeedforward: 2048, dropout: 0.1, activation: 'relu' as Activation, layerNormEps: 1e-5,
    batchFirst: false, normFirst: false, bias: true, ...given, generator: options.generator,
  };
  const a = resolved.activation;
  if (a !== 'relu' && a !== 'gelu' && typeof a !== 'function') throw new ValueError(`${name}: activation must be 'relu', 'gelu' or a function, got '${String(a)}'`);
  return resolved;
}

/** Applies the activation. */
export function activate(activation: Activation, x: Tensor): Tensor {
  if (activation === 'relu') return x.relu();
  if (activation === 'gelu') return x.gelu();
  return activation(x);
}

/** Throws unless x is [len, N, E] (or [N, len, E] with batchFirst), naming the layer and the input. */
export function assertSequence(op: string, input: string, x: Tensor, dModel: number, batchFirst: boolean): void {
  if (x.ndim !== 3 || x.shape[2] !== dModel) {
    const layout = batchFirst ? `[N, len, ${dModel}] (batchFirst)` : `[len, N, ${dModel}] (batchFirst false)`;
    throw new ShapeError(`${op}: ${input} must be ${layout}, got ${fmtShape(x.shape)}`);
  }
}

// Learned absolute positions (BERT, GPT-2, ViT): one trained vector per position.
import { Module, Parameter } from '@qkv/nn';
import { randn, ShapeError, ValueError, fmtShape } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';

/** Options of `LearnedPositionalEmbedding`. */
export interface LearnedPositionalOptions {
  /** Input is [B, T, E] instead of [T, B, E] (default false, as PyTorch's layers). */
  batchFirst?: boolean;
  /** Standard deviation of the initial N(0, std²) weights (default 0.02, as GPT-2 and ViT). */
  std?: number;
  generator?: Generator;
}

/**
 * Adds a trained table `weight` [maxLen, E] to embeddings. T sequence length · B batch · E dModel.
 * State dict: `weight` (the layout of `nn.Embedding(maxLen, E)`, so GPT-2's `wpe` loads into it).
 * @example const pos = new LearnedPositionalEmbedding(64, 32, { batchFirst: true }); pos.forward(x) // [B, T, 32]
 */
export class LearnedPositionalEmbedding extends Module {
  readonly maxLen: number;
  readonly dModel: number;
  readonly batchFirst: boolean;
  weight: Tensor;

  constructor(maxLen: number, dModel: number, options: LearnedPositionalOptions = {}) {
    super();
    for (const [what, n] of [['maxLen', maxLen], ['dModel', dModel]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new ValueError(`LearnedPositionalEmbedding: ${what} must be a positive integer, got ${n}`);
    }
    this.maxLen = maxLen;
    this.dModel = dModel;
    this.batchFirst = options.batchFirst ?? false;
    const std = options.std ?? 0.02;
    const w = randn([maxLen, dModel], { generator: options.generator });
    this.weight = Parameter(w.mul(std));
    w.dispose();
  }

  /** x [T, B, E] (or [B, T, E] with batchFirst) → x + weight[offset : offset + T]. */
  override forward(x: Tensor, offset = 0): Tensor {
    const name = 'LearnedPositionalEmbedding.forward';
    const expected = this.batchFirst ? `[B, T, ${this.dModel}]` : `[T, B, ${this.dModel}]`;
    if (x.ndim !== 3 || x.shape[2] !== this.dModel) throw new ShapeError(`${name}: input must be ${expected}, got ${fmtShape(x.shape)}`);
    const T = x.shape[this.batchFirst ? 1 : 0]!;
    if (offset + T > this.maxLen) {
      throw new ShapeError(`${name}: positions ${offset}..${offset + T - 1} need a table of at least ${offset + T} rows, have maxLen = ${this.maxLen} (input ${fmtShape(x.shape)})`);
    }
    const pe = this.weight.narrow(0, offset, T); // [T, E]
    return x.add(this.batchFirst ? pe : pe.unsqueeze(1));
  }

  override extraRepr(): string {
    return `max_len=${this.maxLen}, d_model=${this.dModel}, batch_first=${this.batchFirst}`;
  }
}

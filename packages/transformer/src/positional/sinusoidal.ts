// The fixed sine/cosine positional encoding of "Attention Is All You Need" (§3.5), as the course
// writes it: PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d)).
import { Dropout, Module } from '@qkv/nn';
import { ShapeError, ValueError, fmtShape, tensor } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';

/** Options of `SinusoidalPositionalEncoding`. */
export interface SinusoidalOptions {
  /** Longest sequence the table covers (default 5000, as PyTorch's tutorial). */
  maxLen?: number;
  /** Dropout applied after adding the encoding (default 0.1). */
  dropout?: number;
  /** Input is [B, T, E] instead of [T, B, E] (default false, as PyTorch's layers). */
  batchFirst?: boolean;
  /** Random source for the dropout masks. */
  generator?: Generator;
}

/**
 * The [maxLen, E] table PE(pos, 2i) = sin(pos·ω_i), PE(pos, 2i+1) = cos(pos·ω_i), ω_i = 10000^(−2i/E).
 * Works for odd E (the last column is a sine).
 * @example sinusoidalTable(50, 16) // [50, 16]
 */
export function sinusoidalTable(maxLen: number, dModel: number): Tensor {
  const out = new Float32Array(maxLen * dModel);
  for (let pos = 0; pos < maxLen; pos++) {
    for (let j = 0; j < dModel; j++) {
      const i2 = j - (j % 2); // 2i
      const angle = pos / Math.pow(10000, i2 / dModel);
      out[pos * dModel + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return tensor(out, { shape: [maxLen, dModel] });
}

/**
 * Adds the sinusoidal table to embeddings, then applies dropout. T sequence length · B batch · E dModel.
 * The table is a non-persistent buffer `pe` [maxLen, E]: it is not in the state dict (PyTorch's
 * tutorial registers it persistently; load such a checkpoint with `strict: false` or drop `pe`).
 * @example
 * const pos = new SinusoidalPositionalEncoding(512, { batchFirst: true });
 * pos.forward(embed.forward(ids).mul(Math.sqrt(512))) // [B, T, 512]
 */
export class SinusoidalPositionalEncoding extends Module {
  readonly dModel: number;
  readonly maxLen: number;
  readonly batchFirst: boolean;
  dropout: Dropout;
  declare readonly pe: Tensor;

  constructor(dModel: number, options: SinusoidalOptions = {}) {
    super();
    const { maxLen = 5000, dropout = 0.1, batchFirst = false } = options;
    if (!Number.isInteger(dModel) || dModel <= 0) throw new ValueError(`SinusoidalPositionalEncoding: dModel must be a positive integer, got ${dModel}`);
    if (!Number.isInteger(maxLen) || maxLen <= 0) throw new ValueError(`SinusoidalPositionalEncoding: maxLen must be a positive integer, got ${maxLen}`);
    this.dModel = dModel;
    this.maxLen = maxLen;
    this.batchFirst = batchFirst;
    this.dropout = new Dropout(dropout, { generator: options.generator });
    this.registerBuffer('pe', sinusoidalTable(maxLen, dModel), false);
  }

  /**
   * x [T, B, E] (or [B, T, E] with batchFirst) → x + PE[offset : offset + T], then dropout.
   * `offset` is the position of the first step (for decoding one token at a time).
   */
  override forward(x: Tensor, offset = 0): Tensor {
    const name = 'SinusoidalPositionalEncoding.forward';
    const expected = this.batchFirst ? `[B, T, ${this.dModel}]` : `[T, B, ${this.dModel}]`;
    if (x.ndim !== 3 || x.shape[2] !== this.dModel) throw new ShapeError(`${name}: input must be ${expected}, got ${fmtShape(x.shape)}`);
    const T = x.shape[this.batchFirst ? 1 : 0]!;
    if (offset + T > this.maxLen) {
      throw new ShapeError(`${name}: positions ${offset}..${offset + T - 1} need a table of at least ${offset + T} rows, have maxLen = ${this.maxLen} (input ${fmtShape(x.shape)})`);
    }
    const pe = this.pe.narrow(0, offset, T); // [T, E]
    return this.dropout.forward(x.add(this.batchFirst ? pe : pe.unsqueeze(1)));
  }

  override extraRepr(): string {
    return `d_model=${this.dModel}, max_len=${this.maxLen}, batch_first=${this.batchFirst}`;
  }
}

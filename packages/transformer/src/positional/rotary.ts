// Rotary position embedding (RoPE, Su et al. 2021): rotate each pair of query/key features by an
// angle proportional to the position, so q·k depends on positions only through m − n.
import { Module } from '@qkv/nn';
import { cat, ShapeError, ValueError, fmtShape, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';

/** Options of `RotaryEmbedding`. */
export interface RotaryOptions {
  /** Base of the frequencies θ_i = base^(−2i/D) (default 10000). */
  base?: number;
}

/**
 * Rotates queries or keys by their positions, in the "rotate half" layout of GPT-NeoX and LLaMA
 * (feature i pairs with feature i + D/2; the RoFormer paper pairs neighbours 2i, 2i+1 instead):
 * out = x·cos(pos·θ) + rotateHalf(x)·sin(pos·θ), rotateHalf([x₁, x₂]) = [−x₂, x₁].
 * No parameters; the frequencies are a non-persistent buffer `inv_freq` [D/2].
 * T positions · D = `dim` (even), usually the head dim.
 * @example
 * const rope = new RotaryEmbedding(16);
 * const qr = rope.forward(q); // q [B, H, T, 16] → same shape
 * const kr = rope.forward(k, 5); // positions 5, 6, …
 */
export class RotaryEmbedding extends Module {
  readonly dim: number;
  readonly base: number;
  declare readonly invFreq: Tensor;

  constructor(dim: number, options: RotaryOptions = {}) {
    super();
    if (!Number.isInteger(dim) || dim <= 0 || dim % 2 !== 0) throw new ValueError(`RotaryEmbedding: dim must be a positive even integer, got ${dim}`);
    this.dim = dim;
    this.base = options.base ?? 10000;
    const inv = Float32Array.from({ length: dim / 2 }, (_, i) => Math.pow(this.base, (-2 * i) / dim));
    this.registerBuffer('invFreq', tensor(inv), false);
  }

  /** cos and sin tables [T, D] for positions offset … offset + T − 1. */
  tables(T: number, offset = 0): [Tensor, Tensor] {
    const inv = this.invFreq.dataSync();
    const half = this.dim / 2;
    const cos = new Float32Array(T * this.dim);
    const sin = new Float32Array(T * this.dim);
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < half; i++) {
        const angle = (offset + t) * inv[i]!;
        cos[t * this.dim + i] = cos[t * this.dim + i + half] = Math.cos(angle);
        sin[t * this.dim + i] = sin[t * this.dim + i + half] = Math.sin(angle);
      }
    }
    return [tensor(cos, { shape: [T, this.dim] }), tensor(sin, { shape: [T, this.dim] })];
  }

  /** x [..., T, D] → x rotated by positions offset … offset + T − 1 (same shape). */
  override forward(x: Tensor, offset = 0): Tensor {
    if (x.ndim < 2 || x.shape[x.ndim - 1] !== this.dim) {
      throw new ShapeError(`RotaryEmbedding.forward: input must be [..., T, ${this.dim}], got ${fmtShape(x.shape)}`);
    }
    const [cos, sin] = this.tables(x.shape[x.ndim - 2]!, offset);
    const half = this.dim / 2;
    const x1 = x.narrow(-1, 0, half);
    const x2 = x.narrow(-1, half, half);
    const rotated = cat([x2.neg(), x1], -1); // rotateHalf(x)
    return x.mul(cos).add(rotated.mul(sin));
  }

  override extraRepr(): string {
    return `dim=${this.dim}, base=${this.base}`;
  }
}

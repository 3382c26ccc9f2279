// Embedding: a lookup table of vectors indexed by token id (PyTorch's `nn.Embedding`).
import { embedding, IndexError, noGrad, tensor, where } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { Module } from '../module.js';
import { assertPositiveInt, normalParameter } from './util.js';

/** Options of `Embedding`. */
export interface EmbeddingOptions {
  /** Row that gets no gradient and starts at zero (PyTorch's `padding_idx`); negative counts from the end. */
  paddingIdx?: number | null;
  /** Random source for the initial weights. */
  generator?: Generator;
}

/**
 * V vocabulary · E embedding dim. State dict: `weight` [V, E], initialised N(0, 1) with the
 * padding row zeroed.
 * @example const emb = new Embedding(1000, 64, { paddingIdx: 0 }); emb.forward(ids) // [B, T] → [B, T, 64]
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** Non-negative padding row, or null. */
  readonly paddingIdx: number | null;
  weight: Tensor;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    assertPositiveInt('Embedding', 'numEmbeddings', numEmbeddings);
    assertPositiveInt('Embedding', 'embeddingDim', embeddingDim);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    const pad = options.paddingIdx ?? null;
    if (pad !== null && (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings)) {
      throw new IndexError(`Embedding: paddingIdx must be in [-${numEmbeddings}, ${numEmbeddings}), got ${pad}`);
    }
    this.paddingIdx = pad === null ? null : pad < 0 ? pad + numEmbeddings : pad;
    this.weight = normalParameter([numEmbeddings, embeddingDim], options.generator);
    if (this.paddingIdx !== null) this.zeroPaddingRow();
  }

  private zeroPaddingRow(): void {
    noGrad(() => {
      const rows = this.weight.shape[0]!;
      const isPad = rowMask(rows, this.paddingIdx!);
      const zeroed = this.weight.maskedFill(isPad, 0);
      this.weight.assign(zeroed);
      zeroed.dispose();
      isPad.dispose();
    });
  }

  /** ids int32 [*] → [*, E]. The padding row's lookups pass no gradient to the weight. */
  override forward(ids: Tensor): Tensor {
    const out = embedding(ids, this.weight);
    if (this.paddingIdx === null) return out;
    const isPad = ids.eq(this.paddingIdx).unsqueeze(-1); // [*, 1]
    return where(isPad, embedding(ids, this.weight.detach()), out);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? '' : `, padding_idx=${this.paddingIdx}`}`;
  }
}

/** bool [rows, 1], true at `row`. */
function rowMask(rows: number, row: number): Tensor {
  return tensor(Array.from({ length: rows }, (_, i) => i === row), { shape: [rows, 1] });
}

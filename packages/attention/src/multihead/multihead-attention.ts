// MultiheadAttention: nn.MultiheadAttention's semantics, parameter names and initialisation,
// and the attention weights of every head on request.
import { cat, dims, fmtShape, ShapeError, ValueError, zeros } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { affine, init, Linear, Module, Parameter } from '@qkv/nn';
import { attendFusedOrNot } from '../scaled-dot-product.js';
import { mergeMasks } from './masks.js';

const OP = 'MultiheadAttention.forward';

/** Constructor options of `MultiheadAttention` (PyTorch's defaults). */
export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights while training; default 0. */
  dropout?: number;
  /** Biases in the input and output projections; default true. */
  bias?: boolean;
  /** Learned bias_k / bias_v appended to the keys and values as one extra position; default false. */
  addBiasKv?: boolean;
  /** Append a zero key and value (one extra position); default false. */
  addZeroAttn?: boolean;
  /** Feature size of `key`; default embedDim. Differing kdim/vdim use q/k/v_proj_weight. */
  kdim?: number;
  /** Feature size of `value`; default embedDim. */
  vdim?: number;
  /** Inputs and output are [N, L, E] instead of [L, N, E]; default false (as PyTorch). */
  batchFirst?: boolean;
  /** Random source for initialisation and dropout (default: the global seeded generator). */
  generator?: Generator;
}

/** Options of `MultiheadAttention.forward`. */
export interface MultiheadAttentionForwardOptions {
  /** [N, S] (unbatched [S]); bool `true` = this key is padding, ignore it; float is added. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights; default true (as PyTorch). */
  needWeights?: boolean;
  /** [L, S] or [N·H, L, S] (unbatched [H, L, S]); bool `true` = masked OUT; float is added. */
  attnMask?: Tensor | null;
  /** Average the weights over heads ([N, L, S]) or keep them per head ([N, H, L, S]); default true. */
  averageAttnWeights?: boolean;
  /** Causal self-attention. A hint when attnMask is given (PyTorch's meaning); alone, it builds the causal mask. */
  isCausal?: boolean;
}

/**
 * Multi-head attention, as `nn.MultiheadAttention`: outputs and weights, state-dict names and
 * initialisation match PyTorch's, so its checkpoints load with `loadStateDict(sd, { strict: true })`.
 *
 * Parameters: `in_proj_weight` [3E, E] (or `q_proj_weight` [E, E], `k_proj_weight` [E, kdim],
 * `v_proj_weight` [E, vdim] when kdim/vdim ≠ E), `in_proj_bias` [3E], `bias_k`/`bias_v` [1, 1, E],
 * `out_proj.weight` [E, E], `out_proj.bias` [E]. Init: xavier_uniform projections, zero biases,
 * xavier_normal bias_k/bias_v, out_proj.weight as Linear's default.
 *
 * Unlike PyTorch, a query whose keys are all masked gets zero weights and a zero attention value
 * (so its output is out_proj.bias), never NaN (pytorch#41508).
 *
 * Legend: N batch · L target length · S source length · E embedDim · H numHeads · D = E / H.
 * @example
 * const mha = new MultiheadAttention(64, 8, { batchFirst: true });
 * const [out, weights] = mha.forward(x, x, x, { keyPaddingMask: paddingMask(ids, 0), averageAttnWeights: false });
 * // x [N, L, 64] → out [N, L, 64], weights [N, 8, L, L]
 */
export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly addZeroAttn: boolean;
  generator: Generator | undefined;
  // Parameters, declared in PyTorch's registration order.
  inProjWeight: Tensor | null = null;
  qProjWeight: Tensor | null = null;
  kProjWeight: Tensor | null = null;
  vProjWeight: Tensor | null = null;
  inProjBias: Tensor | null = null;
  biasK: Tensor | null = null;
  biasV: Tensor | null = null;
  outProj: Linear;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const { dropout = 0, bias = true, addBiasKv = false, addZeroAttn = false, batchFirst = false, generator } = options;
    const { kdim = embedDim, vdim = embedDim } = options;
    for (const [name, n] of [['embedDim', embedDim], ['numHeads', numHeads], ['kdim', kdim], ['vdim', vdim]] as const) {
      if (!Number.isInteger(n) || n <= 0) throw new ValueError(`MultiheadAttention: ${name} must be a positive integer, got ${n}`);
    }
    if (embedDim % numHeads !== 0) {
      throw new ValueError(`MultiheadAttention: embedDim must be divisible by numHeads, got embedDim ${embedDim} and numHeads ${numHeads} (head dim ${embedDim / numHeads})`);
    }
    if (!(dropout >= 0 && dropout <= 1)) throw new ValueError(`MultiheadAttention: dropout must be in [0, 1], got ${dropout}`);
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.kdim = kdim;
    this.vdim = vdim;
    this.dropout = dropout;
    this.batchFirst = batchFirst;
    this.addZeroAttn = addZeroAttn;
    this.generator = generator;
    const initOptions = { generator };
    if (kdim === embedDim && vdim === embedDim) {
      this.inProjWeight = init.xavierUniform_(Parameter(zeros([3 * embedDim, embedDim])), 1, initOptions);
    } else {
      this.qProjWeight = init.xavierUniform_(Parameter(zeros([embedDim, embedDim])), 1, initOptions);
      this.kProjWeight = init.xavierUniform_(Parameter(zeros([embedDim, kdim])), 1, initOptions);
      this.vProjWeight = init.xavierUniform_(Parameter(zeros([embedDim, vdim])), 1, initOptions);
    }
    if (bias) this.inProjBias = Parameter(zeros([3 * embedDim]));
    if (addBiasKv) {
      this.biasK = init.xavierNormal_(Parameter(zeros([1, 1, embedDim])), 1, initOptions);
      this.biasV = init.xavierNormal_(Parameter(zeros([1, 1, embedDim])), 1, initOptions);
    }
    this.outProj = new Linear(embedDim, embedDim, { bias, generator });
    if (this.outProj.bias) init.zeros_(this.outProj.bias);
  }

  /**
   * Attends from `query` to `key`/`value`. Returns `[output, weights]`; `weights` is null when
   * `needWeights` is false.
   * Shapes (batchFirst: false): query [L, N, E], key [S, N, kdim], value [S, N, vdim] → output
   * [L, N, E]; weights [N, L, S] (averaged) or [N, H, L, S]. batchFirst swaps the first two dims of
   * inputs and output; unbatched inputs drop N. With bias_k / zero_attn, S grows by one each.
   * @example const [y, w] = mha.forward(q, k, v, { attnMask: causalMask(L) })
   */
  override forward(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const { keyPaddingMask = null, needWeights = true, attnMask = null, averageAttnWeights = true, isCausal = false } = options;
    const batched = this.checkInputs(query, key, value);
    const selfAttention = query === key && key === value;
    const [q0, k0, v0] = [query, key, value].map((x) => (!batched ? x.unsqueeze(0) : this.batchFirst ? x : x.transpose(0, 1))) as [Tensor, Tensor, Tensor];
    const [N, L] = dims(q0, 3, OP, 'N, L, E'); // batch-first, batched
    const S = k0.shape[1]!;
    const [H, D, E] = [this.numHeads, this.headDim, this.embedDim];
    const extraKeys = (this.biasK ? 1 : 0) + (this.addZeroAttn ? 1 : 0);
    const { mask, causal } = mergeMasks({ attnMask, keyPaddingMask, isCausal, batched, N, H, L, S, extraKeys });

    let [q, k, v] = this.project(q0, k0, v0, selfAttention); // [N, L, E], [N, S, E], [N, S, E]
    if (this.biasK && this.biasV) {
      k = cat([k, this.biasK.expand([N, 1, E])], 1); // [N, S+1, E]
      v = cat([v, this.biasV.expand([N, 1, E])], 1);
    }
    const heads = (x: Tensor) => x.reshape([N, x.shape[1]!, H, D]).permute(0, 2, 1, 3); // [N, len, E] → [N, H, len, D]
    [q, k, v] = [heads(q), heads(k), heads(v)];
    if (this.addZeroAttn) {
      k = cat([k, zeros([N, H, 1, D])], 2); // one more key (and value) of zeros
      v = cat([v, zeros([N, H, 1, D])], 2);
    }
    const dropoutP = this.training ? this.dropout : 0;
    // [N, H, L, D], [N, H, L, S'] (null when fused: needWeights false and no dropout on the weights)
    const { output, weights } = attendFusedOrNot(q, k, v, { mask, causal, scale: 1 / Math.sqrt(D), dropoutP, generator: this.generator, needWeights });
    const merged = output.permute(0, 2, 1, 3).reshape([N, L, E]); // [N, H, L, D] → [N, L, E]
    let out = this.outProj.forward(merged);
    out = !batched ? out.squeeze(0) : this.batchFirst ? out : out.transpose(0, 1);
    if (!needWeights || !weights) return [out, null];
    let w = averageAttnWeights ? weights.mean(1) : weights; // [N, L, S'] or [N, H, L, S']
    if (!batched) w = w.squeeze(0);
    return [out, w];
  }

  /** The in-projection: one GEMM for self-attention, else the three slices of the weights. */
  private project(query: Tensor, key: Tensor, value: Tensor, selfAttention: boolean): [Tensor, Tensor, Tensor] {
    const E = this.embedDim;
    const [bq, bk, bv] = this.inProjBias ? this.inProjBias.split(E) : [null, null, null];
    if (this.inProjWeight) {
      if (selfAttention) return affine(query, this.inProjWeight, this.inProjBias).split(E, -1) as [Tensor, Tensor, Tensor];
      const [wq, wk, wv] = this.inProjWeight.split(E) as [Tensor, Tensor, Tensor];
      return [affine(query, wq, bq), affine(key, wk, bk), affine(value, wv, bv)];
    }
    return [affine(query, this.qProjWeight!, bq), affine(key, this.kProjWeight!, bk), affine(value, this.vProjWeight!, bv)];
  }

  /** Checks ranks and sizes as PyTorch's `_mha_shape_check`; returns whether the input is batched. */
  private checkInputs(query: Tensor, key: Tensor, value: Tensor): boolean {
    if (query.ndim !== 2 && query.ndim !== 3) throw new ShapeError(`${OP}: query must be 3-d (batched) or 2-d (unbatched), got ${fmtShape(query.shape)}`);
    const batched = query.ndim === 3;
    const layout = !batched ? '[len, dim]' : this.batchFirst ? '[N, len, dim]' : '[len, N, dim]';
    for (const [name, x, dim] of [['query', query, this.embedDim], ['key', key, this.kdim], ['value', value, this.vdim]] as const) {
      if (x.ndim !== query.ndim) throw new ShapeError(`${OP}: ${name} must be ${query.ndim}-d ${layout} like query ${fmtShape(query.shape)}, got ${fmtShape(x.shape)}`);
      if (x.shape[x.ndim - 1] !== dim) {
        const what = name === 'query' ? 'embedDim' : name === 'key' ? 'kdim' : 'vdim';
        throw new ShapeError(`${OP}: ${name} must end in ${what} = ${dim} (${layout}), got ${fmtShape(x.shape)}`);
      }
    }
    const lenDim = batched && !this.batchFirst ? 0 : batched ? 1 : 0;
    if (key.shape[lenDim] !== value.shape[lenDim]) {
      throw new ShapeError(`${OP}: key and value must have the same length S, got key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)}`);
    }
    if (batched) {
      const nDim = this.batchFirst ? 0 : 1;
      if (key.shape[nDim] !== query.shape[nDim] || value.shape[nDim] !== query.shape[nDim]) {
        throw new ShapeError(`${OP}: query, key and value must have the same batch size N = ${query.shape[nDim]} (dim ${nDim}), got query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)}, value ${fmtShape(value.shape)}`);
      }
    }
    return batched;
  }

  override extraRepr(): string {
    return `embed_dim=${this.embedDim}, num_heads=${this.numHeads}, dropout=${this.dropout}, batch_first=${this.batchFirst}`;
  }
}

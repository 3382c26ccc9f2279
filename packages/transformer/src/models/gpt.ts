// A decoder-only Transformer language model in the shape of nanoGPT's model.py (GPT-2's layout and
// parameter names), with a KV cache for generation and every layer's attention weights on request.
import { scaledDotProductAttention } from '@qkv/attention';
import { Dropout, Embedding, LayerNorm, Linear, Module, ModuleList, init } from '@qkv/nn';
import { arange, cat, causalKeep, dims, DTypeError, noGrad, ShapeError, tensor, ValueError, fmtShape } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { greedyDecode } from '../decoding/greedy.js';
import { sample } from '../decoding/sample.js';
import type { DecodeStepper } from '../decoding/stepper.js';
import { checkpointLayer } from '../layers/checkpointing.js';
import { RotaryEmbedding } from '../positional/rotary.js';

/** GPT hyper-parameters (nanoGPT's GPTConfig). */
export interface GPTConfig {
  vocabSize: number;
  /** Longest context: the size of the position table `wpe`. */
  blockSize: number;
  nLayer: number;
  nHead: number;
  /** E, the model width. */
  nEmbd: number;
  /** Dropout on embeddings, attention weights and residual branches (default 0). */
  dropout?: number;
  /** Biases in Linear and LayerNorm layers (default true, as GPT-2). */
  bias?: boolean;
  /** Share `lm_head.weight` with `transformer.wte.weight` (default true). */
  tieWeights?: boolean;
  /** Positions: a learned table `wpe` (default, GPT-2) or rotary embeddings on q and k (no `wpe`). */
  positional?: 'learned' | 'rotary';
  /** The MLP's GELU: exact (`'none'`, default) or the tanh approximation (`'tanh'`, GPT-2's `gelu_new`). */
  geluApproximate?: 'none' | 'tanh';
  /** LayerNorm epsilon (default 1e-5, GPT-2's `layer_norm_epsilon`). */
  layerNormEps?: number;
  generator?: Generator;
}

/** Options of `GPT.generate`: sampling when any of temperature / topK / topP is given, else greedy. */
export interface GenerateOptions {
  /** Tokens to add (default 32). */
  maxNewTokens?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  /** Seed of the sampling generator (default 0). */
  seed?: number;
  /** Stop a row once it emits this token. */
  eosId?: number;
}

/** One layer's cached keys and values, each [B, H, t, D]. */
export interface LayerCache {
  k: Tensor;
  v: Tensor;
}
/** The KV cache: one entry per layer (empty before the first step). */
export type KVCache = LayerCache[];

/** Multi-head causal self-attention with a fused q/k/v projection `c_attn` [3E, E]. */
export class CausalSelfAttention extends Module {
  readonly nHead: number;
  cAttn: Linear;
  cProj: Linear;
  attnDropout: Dropout;
  residDropout: Dropout;
  rotary: RotaryEmbedding | null;

  constructor(config: GPTConfig) {
    super();
    const { nEmbd: E, nHead: H } = config;
    if (E % H !== 0) throw new ValueError(`CausalSelfAttention: nEmbd = ${E} must be divisible by nHead = ${H}`);
    this.nHead = H;
    this.cAttn = new Linear(E, 3 * E, { bias: config.bias ?? true, generator: config.generator });
    this.cProj = new Linear(E, E, { bias: config.bias ?? true, generator: config.generator });
    this.attnDropout = new Dropout(config.dropout ?? 0, { generator: config.generator });
    this.residDropout = new Dropout(config.dropout ?? 0, { generator: config.generator });
    this.rotary = config.positional === 'rotary' ? new RotaryEmbedding(E / H) : null;
  }

  /**
   * x [B, T, E]; `past` holds the keys/values of the t earlier positions. Query i (position t + i)
   * sees keys 0 … t + i. Returns y [B, T, E], the new cache entry [B, H, t + T, D] and the weights
   * [B, H, T, t + T] — or null with `needWeights` false, which lets attention run as one fused kernel
   * (when no attention dropout applies).
   */
  override forward(x: Tensor, past: LayerCache | null = null, needWeights = true): { y: Tensor; cache: LayerCache; weights: Tensor | null } {
    const [B, T, E] = dims(x, 3, 'CausalSelfAttention.forward', 'B, T, E');
    const H = this.nHead;
    const heads = (t: Tensor) => t.view(B, T, H, E / H).transpose(1, 2); // [B, T, E] → [B, H, T, D]
    const [q0, k0, vNew] = this.cAttn.forward(x).split(E, 2).map(heads) as [Tensor, Tensor, Tensor];
    const t = past ? past.k.shape[2]! : 0;
    const rotate = (u: Tensor) => (this.rotary ? this.rotary.forward(u, t) : u); // RoPE at positions t … t+T−1
    const [q, kNew] = [rotate(q0), rotate(k0)];
    const k = past ? cat([past.k, kNew], 2) : kNew; // [B, H, t + T, D]
    const v = past ? cat([past.v, vNew], 2) : vNew;
    const { keep } = causalKeep(T, t + T, t); // [T, t + T], true = may attend (key j ≤ query position t + i)
    const { output, weights } = scaledDotProductAttention(q, k, v, {
      attnMask: keep,
      dropoutP: this.training ? this.attnDropout.p : 0,
      generator: this.attnDropout.generator,
      returnWeights: needWeights,
    });
    const y = output.transpose(1, 2).contiguous().view(B, T, E); // re-assemble the heads
    return { y: this.residDropout.forward(this.cProj.forward(y)), cache: { k, v }, weights };
  }
}

/** The position-wise feed-forward: Linear(E, 4E) → GELU → Linear(4E, E) → dropout. */
export class MLP extends Module {
  cFc: Linear;
  cProj: Linear;
  dropout: Dropout;
  readonly approximate: 'none' | 'tanh';

  constructor(config: GPTConfig) {
    super();
    const bias = config.bias ?? true;
    this.approximate = config.geluApproximate ?? 'none';
    this.cFc = new Linear(config.nEmbd, 4 * config.nEmbd, { bias, generator: config.generator });
    this.cProj = new Linear(4 * config.nEmbd, config.nEmbd, { bias, generator: config.generator });
    this.dropout = new Dropout(config.dropout ?? 0, { generator: config.generator });
  }

  /** x [B, T, E] → [B, T, E]. */
  override forward(x: Tensor): Tensor {
    return this.dropout.forward(this.cProj.forward(this.cFc.forward(x).gelu(this.approximate)));
  }
}

/** A pre-norm block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
export class Block extends Module {
  ln_1: LayerNorm;
  attn: CausalSelfAttention;
  ln_2: LayerNorm;
  mlp: MLP;

  constructor(config: GPTConfig) {
    super();
    const norm = { bias: config.bias ?? true, eps: config.layerNormEps ?? 1e-5 };
    this.ln_1 = new LayerNorm(config.nEmbd, norm);
    this.attn = new CausalSelfAttention(config);
    this.ln_2 = new LayerNorm(config.nEmbd, norm);
    this.mlp = new MLP(config);
  }

  /** x [B, T, E] → [B, T, E], with this layer's cache and attention weights (null without `needWeights`). */
  override forward(x: Tensor, past: LayerCache | null = null, needWeights = true): { y: Tensor; cache: LayerCache; weights: Tensor | null } {
    const { y: a, cache, weights } = this.attn.forward(this.ln_1.forward(x), past, needWeights);
    const h = x.add(a);
    return { y: h.add(this.mlp.forward(this.ln_2.forward(h))), cache, weights };
  }
}

/** nanoGPT's `transformer` ModuleDict as a typed module: wte, wpe, drop, h, ln_f. */
export class GPTBody extends Module {
  wte: Embedding;
  wpe: Embedding | null;
  drop: Dropout;
  h: ModuleList<Block>;
  ln_f: LayerNorm;

  constructor(config: GPTConfig) {
    super();
    this.wte = new Embedding(config.vocabSize, config.nEmbd, { generator: config.generator });
    this.wpe = config.positional === 'rotary' ? null : new Embedding(config.blockSize, config.nEmbd, { generator: config.generator });
    this.drop = new Dropout(config.dropout ?? 0, { generator: config.generator });
    this.h = new ModuleList(Array.from({ length: config.nLayer }, () => new Block(config)));
    this.ln_f = new LayerNorm(config.nEmbd, { bias: config.bias ?? true, eps: config.layerNormEps ?? 1e-5 });
  }
}

/**
 * GPT: token + learned position embeddings, `nLayer` pre-norm blocks, a final LayerNorm and a
 * language-model head tied to the token embedding. Parameter names are nanoGPT's / GPT-2's
 * (`transformer.h.0.attn.c_attn.weight`, `lm_head.weight`, …); init as nanoGPT (N(0, 0.02),
 * residual projections N(0, 0.02/√(2·nLayer)), zero biases).
 * B batch · T tokens · E nEmbd · V vocabSize · H nHead.
 * @example
 * const gpt = new GPT({ vocabSize: 65, blockSize: 64, nLayer: 2, nHead: 4, nEmbd: 32 });
 * const logits = gpt.forward(ids); // [B, T] → [B, T, 65]
 * const text = sample(gpt.stepper(), { prompt, maxNewTokens: 100, temperature: 0.8, topK: 10 });
 */
export class GPT extends Module {
  readonly config: Required<Omit<GPTConfig, 'generator'>>;
  transformer: GPTBody;
  lmHead: Linear;
  /**
   * Recompute each block's activations in backward instead of keeping them (in training mode, for
   * `forward` without a KV cache or attention weights; default false), as Hugging Face's
   * `gradient_checkpointing_enable()`: less memory, one more forward per block, the same gradients.
   */
  gradientCheckpointing = false;

  constructor(config: GPTConfig) {
    super();
    this.config = { dropout: 0, bias: true, tieWeights: true, positional: 'learned', geluApproximate: 'none', layerNormEps: 1e-5, ...config };
    this.transformer = new GPTBody(config);
    this.lmHead = new Linear(config.nEmbd, config.vocabSize, { bias: false, generator: config.generator });
    if (this.config.tieWeights) {
      this.lmHead.weight.dispose(); // the untied [V, E] weight would otherwise stay allocated
      this.lmHead.weight = this.transformer.wte.weight; // both names stay in the state dict, as PyTorch's
    }
    this.initWeights(config.generator);
  }

  private initWeights(generator?: Generator): void {
    for (const [name, m] of this.namedModules()) {
      if (m instanceof Linear || m instanceof Embedding) init.normal_(m.weight, 0, 0.02, { generator });
      if (m instanceof Linear && m.bias) init.zeros_(m.bias);
      if (name.endsWith('c_proj') && m instanceof Linear) init.normal_(m.weight, 0, 0.02 / Math.sqrt(2 * this.config.nLayer), { generator });
    }
  }

  /**
   * Runs the model on `idx` int32 [B, T] after the cached positions: returns logits [B, T, V], the
   * extended cache and each layer's attention weights [B, H, T, t + T] (an empty list with
   * `needWeights: false`, which lets attention run fused).
   * @example const { logits, cache } = gpt.forwardWithCache(prompt, [], { needWeights: false })
   */
  forwardWithCache(idx: Tensor, cache: KVCache = [], options: { needWeights?: boolean } = {}): { logits: Tensor; cache: KVCache; attention: Tensor[] } {
    const needWeights = options.needWeights ?? true;
    if (idx.dtype !== 'int32') throw new DTypeError(`GPT.forward: idx must be int32 token ids, got ${idx.dtype}`);
    if (idx.ndim !== 2) throw new ShapeError(`GPT.forward: idx must be [B, T], got ${fmtShape(idx.shape)}`);
    const T = idx.shape[1]!;
    const t = cache[0]?.k.shape[2] ?? 0;
    if (t + T > this.config.blockSize) {
      throw new ShapeError(`GPT.forward: positions ${t}..${t + T - 1} exceed blockSize = ${this.config.blockSize} (idx ${fmtShape(idx.shape)}, ${t} cached)`);
    }
    const { wte, wpe, drop, h, ln_f } = this.transformer;
    const pos = arange(t, t + T, 1, { dtype: 'int32' }); // [T]
    const tok = wte.forward(idx); // [B, T, E]
    let x = drop.forward(wpe ? tok.add(wpe.forward(pos)) : tok);
    const next: KVCache = [];
    const attention: Tensor[] = [];
    // checkpointing applies to training forwards that keep no cache and no weights
    const recompute = this.gradientCheckpointing && this.training && cache.length === 0 && !needWeights;
    [...h].forEach((block, l) => {
      if (recompute) {
        x = checkpointLayer(block, (u) => block.forward(u, null, false).y, x);
        return;
      }
      const out = block.forward(x, cache[l] ?? null, needWeights);
      x = out.y;
      next.push(out.cache);
      if (out.weights) attention.push(out.weights);
    });
    return { logits: this.lmHead.forward(ln_f.forward(x)), cache: next, attention };
  }

  /** idx int32 [B, T] → logits [B, T, V] (no attention weights are formed). */
  override forward(idx: Tensor): Tensor {
    return this.forwardWithCache(idx, [], { needWeights: false }).logits;
  }

  /**
   * idx int32 [B, T] → logits [B, T, V] and every layer's attention probabilities, each [B, H, T, T].
   * @example const { logits, attentions } = gpt.forwardWithAttention(ids); // attentions[l]: [B, H, T, T]
   */
  forwardWithAttention(idx: Tensor): { logits: Tensor; attentions: Tensor[] } {
    const { logits, attention } = this.forwardWithCache(idx, [], { needWeights: true });
    return { logits, attentions: attention };
  }

  /**
   * Continues `ids` (token ids, or int32 [B, T0]) by up to `maxNewTokens` tokens on the KV cache:
   * sampled (`sample`) when temperature, topK or topP is given, greedy otherwise. Returns the prompt
   * and the new tokens in the same form as `ids` (number[], or int32 [B, T0 + n]).
   * @example tokenizer.decode(gpt.generate(tokenizer.encode('The attention'), { maxNewTokens: 20, topK: 40 }))
   */
  generate(ids: readonly number[], options?: GenerateOptions): number[];
  generate(ids: Tensor, options?: GenerateOptions): Tensor;
  generate(ids: readonly number[] | Tensor, options: GenerateOptions = {}): number[] | Tensor {
    const prompt = Array.isArray(ids) ? tensor([...(ids as readonly number[])], { dtype: 'int32' }).unsqueeze(0) : (ids as Tensor);
    const { temperature, topK, topP, seed = 0, maxNewTokens = 32, eosId } = options;
    const sampled = temperature !== undefined || topK !== undefined || topP !== undefined;
    const out = noGrad(() => (sampled
      ? sample(this.stepper(), { prompt, maxNewTokens, eosId, temperature, topK, topP, seed })
      : greedyDecode(this.stepper(), { prompt, maxNewTokens, eosId })));
    return Array.isArray(ids) ? Array.from(out.dataSync()) : out;
  }

  /**
   * A `DecodeStepper` for `greedyDecode`, `sample` and `beamSearch`. With `useCache` (default) each
   * step feeds only the new token and reuses the keys/values of earlier positions; without it,
   * each step re-runs the whole prefix (the reference the cache is tested against).
   */
  stepper(options: { useCache?: boolean } = {}): DecodeStepper<{ cache: KVCache; prefix: Tensor | null }> {
    const useCache = options.useCache ?? true;
    return {
      init: () => ({ cache: [], prefix: null }),
      step: (tokens, state) => {
        if (useCache) {
          const { logits, cache } = this.forwardWithCache(tokens, state.cache, { needWeights: false });
          return { logits: logits.select(1, -1), state: { cache, prefix: null } };
        }
        const prefix = state.prefix ? cat([state.prefix, tokens], 1) : tokens; // [N, t + T]
        return { logits: this.forward(prefix).select(1, -1), state: { cache: [], prefix } };
      },
      select: (state, index) => ({
        cache: state.cache.map(({ k, v }) => ({ k: k.indexSelect(0, index), v: v.indexSelect(0, index) })),
        prefix: state.prefix ? state.prefix.indexSelect(0, index) : null,
      }),
    };
  }
}

// BERT (Devlin et al. 2018) the nanoGPT way: embeddings (word + position + token type, LayerNorm),
// a post-norm GELU encoder built from `TransformerEncoderLayer`, and the heads of Hugging Face's
// BertModel (pooler), BertForMaskedLM (transform + decoder tied to the word embeddings) and
// BertForSequenceClassification (pooler + classifier). Every layer's attention probabilities per head.
// Self-attention keeps Hugging Face's three projections `query`, `key`, `value` as Linear modules
// (not one packed in_proj_weight), so PEFT's BERT targets (`query`, `value`) name real layers.
import { MultiheadAttention, scaledDotProductAttention } from '@qkv/attention';
import type { MultiheadAttentionForwardOptions, SdpaOptions } from '@qkv/attention';
import { Dropout, Embedding, LayerNorm, Linear, Module } from '@qkv/nn';
import { arange, assertMaskDType, dims, DTypeError, ShapeError, toAdditiveMask, ValueError, fmtShape } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { TransformerEncoder } from '../layers/encoder.js';
import { TransformerEncoderLayer } from '../layers/encoder-layer.js';
import { activate } from '../layers/options.js';
import type { Activation } from '../layers/options.js';

/** BERT hyper-parameters (Hugging Face's BertConfig, camelCase). E hiddenSize · H numAttentionHeads. */
export interface BertConfig {
  vocabSize: number;
  /** E, the model width. */
  hiddenSize: number;
  numHiddenLayers: number;
  /** H; must divide hiddenSize. */
  numAttentionHeads: number;
  /** Feed-forward hidden size (BERT-base: 3072 = 4E). */
  intermediateSize: number;
  /** Longest input: the size of the position table. */
  maxPositionEmbeddings: number;
  /** Segments (default 2). */
  typeVocabSize?: number;
  /** LayerNorm epsilon (default 1e-12, BERT's). */
  layerNormEps?: number;
  /** Feed-forward and MLM-transform nonlinearity (default 'gelu', exact); 'gelu_tanh' is `gelu_new`. */
  hiddenAct?: 'gelu' | 'gelu_tanh' | 'relu';
  /** Dropout on embeddings, attention probabilities and residual branches (default 0.1). */
  dropout?: number;
  generator?: Generator;
}

/** What BERT takes besides the ids: both [B, T]. */
export interface BertInputs {
  /** 1 (or `true`) for tokens, 0 (`false`) for padding (default: all tokens). */
  attentionMask?: Tensor | null;
  /** Segment ids, int32 (default: all 0). */
  tokenTypeIds?: Tensor | null;
}

/** The activation function of `hiddenAct`. */
function activation(act: NonNullable<BertConfig['hiddenAct']>): Activation {
  if (act === 'gelu' || act === 'relu') return act;
  if (act === 'gelu_tanh') return (x: Tensor) => x.gelu('tanh');
  throw new ValueError(`BertModel: hiddenAct must be 'gelu', 'gelu_tanh' or 'relu', got '${String(act)}'`);
}

const SA = 'BertSelfAttention.forward';

/**
 * BERT's self-attention with Hugging Face's separate projections: `query`, `key`, `value` Linear(E, E)
 * and `out_proj` (Hub: `attention.output.dense`). It is a MultiheadAttention (batch-first, self-attention
 * only) whose packed `in_proj_weight` / `in_proj_bias` are replaced by the three Linear modules, with
 * the same attention core (`scaledDotProductAttention`: fused when the weights are not wanted),
 * key-padding semantics (a row whose keys are all padding gets zeros) and per-head weights.
 * State dict: `query.{weight,bias}`, `key.*`, `value.*`, `out_proj.*`.
 * N batch · T tokens · E embedDim · H heads · D = E / H.
 * @example
 * const sa = new BertSelfAttention(32, 4, { dropout: 0 });
 * const [out, weights] = sa.forward(x, x, x, { keyPaddingMask, averageAttnWeights: false }); // x [N, T, 32] → [N, T, 32], [N, 4, T, T]
 */
export class BertSelfAttention extends MultiheadAttention {
  query: Linear;
  key: Linear;
  value: Linear;

  constructor(embedDim: number, numHeads: number, options: { dropout?: number; generator?: Generator } = {}) {
    super(embedDim, numHeads, { dropout: options.dropout ?? 0, batchFirst: true, generator: options.generator });
    this.inProjWeight = null; // the three Linear modules below take the packed projection's place
    this.inProjBias = null;
    const { generator } = options;
    this.query = new Linear(embedDim, embedDim, { generator });
    this.key = new Linear(embedDim, embedDim, { generator });
    this.value = new Linear(embedDim, embedDim, { generator });
    // after the projections, so the state dict lists query, key, value, out_proj (Hugging Face's order)
    const outProj = this.outProj;
    delete (this as { outProj?: Linear }).outProj;
    this.outProj = outProj;
  }

  /**
   * Self-attention of x [N, T, E] (query, key and value must be the same tensor): → [out [N, T, E],
   * weights [N, H, T, T] (or [N, T, T] averaged) | null]. Only `keyPaddingMask` [N, T] (bool `true` =
   * padding, or float added) masks; `attnMask` and `isCausal` are refused (BERT attends both ways).
   */
  override forward(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor | null] {
    const { keyPaddingMask = null, needWeights = true, averageAttnWeights = true } = options;
    if (options.attnMask || options.isCausal) throw new ValueError(`${SA}: BERT attends both ways; give keyPaddingMask only, not attnMask or isCausal`);
    if (query !== key || key !== value) throw new ValueError(`${SA}: self-attention only: query, key and value must be the same tensor`);
    const [N, T] = dims(query, 3, SA, 'N, T, E');
    if (query.shape[2] !== this.embedDim) throw new ShapeError(`${SA}: x must be [N, T, E] with E = ${this.embedDim}, got ${fmtShape(query.shape)}`);
    let mask: Tensor | null = null;
    if (keyPaddingMask) {
      assertMaskDType(SA, 'keyPaddingMask', keyPaddingMask, { bool: 'true = padding', float32: 'added to the scores' });
      if (keyPaddingMask.ndim !== 2 || keyPaddingMask.shape[0] !== N || keyPaddingMask.shape[1] !== T) {
        throw new ShapeError(`${SA}: keyPaddingMask must be [N, T] = ${fmtShape([N, T])}, got ${fmtShape(keyPaddingMask.shape)}`);
      }
      mask = toAdditiveMask({ masked: keyPaddingMask }).reshape([N, 1, 1, T]);
    }
    const [H, D, E] = [this.numHeads, this.headDim, this.embedDim];
    const heads = (x: Tensor) => x.reshape([N, T, H, D]).permute(0, 2, 1, 3); // [N, T, E] → [N, H, T, D]
    const { output, weights } = scaledDotProductAttention<SdpaOptions>(heads(this.query.forward(query)), heads(this.key.forward(query)), heads(this.value.forward(query)), {
      attnMask: mask, dropoutP: this.training ? this.dropout : 0, scale: 1 / Math.sqrt(D), generator: this.generator, returnWeights: needWeights,
    }); // [N, H, T, D], [N, H, T, T] | null
    const out = this.outProj.forward(output.permute(0, 2, 1, 3).reshape([N, T, E]));
    const w = weights as Tensor | null; // a tensor exactly when returnWeights (needWeights) is true
    if (!needWeights || !w) return [out, null];
    return [out, averageAttnWeights ? w.mean(1) : w];
  }
}

/**
 * One BERT layer: a post-norm `TransformerEncoderLayer` (x = LN(x + SA(x)); x = LN(x + FF(x))) whose
 * self-attention is a `BertSelfAttention` (separate query/key/value). State dict:
 * `self_attn.{query,key,value,out_proj}.*`, `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`.
 * @example const layer = new BertLayer(config); layer.forward(x, { srcKeyPaddingMask }) // [N, T, E]
 */
export class BertLayer extends TransformerEncoderLayer {
  readonly bertConfig: BertConfig;

  constructor(config: BertConfig) {
    const { hiddenSize: E, generator } = config;
    super(E, config.numAttentionHeads, {
      dimFeedforward: config.intermediateSize, dropout: config.dropout ?? 0.1, activation: activation(config.hiddenAct ?? 'gelu'),
      layerNormEps: config.layerNormEps ?? 1e-12, batchFirst: true, normFirst: false, generator,
    });
    this.bertConfig = config;
    this.selfAttn = new BertSelfAttention(E, config.numAttentionHeads, { dropout: config.dropout ?? 0.1, generator });
  }

  /** A new layer with the same config and a copy of the weights. */
  override clone(): BertLayer {
    const copy = new BertLayer(this.bertConfig);
    copy.loadStateDict(this.stateDict());
    return copy.train(this.training);
  }
}

/** Word + position + token-type embeddings, then LayerNorm and dropout: ids [B, T] → [B, T, E]. */
export class BertEmbeddings extends Module {
  wordEmbeddings: Embedding;
  positionEmbeddings: Embedding;
  tokenTypeEmbeddings: Embedding;
  layerNorm: LayerNorm;
  dropout: Dropout;

  constructor(config: BertConfig) {
    super();
    const { hiddenSize: E, generator } = config;
    this.wordEmbeddings = new Embedding(config.vocabSize, E, { generator });
    this.positionEmbeddings = new Embedding(config.maxPositionEmbeddings, E, { generator });
    this.tokenTypeEmbeddings = new Embedding(config.typeVocabSize ?? 2, E, { generator });
    this.layerNorm = new LayerNorm(E, { eps: config.layerNormEps ?? 1e-12 });
    this.dropout = new Dropout(config.dropout ?? 0.1, { generator });
  }

  /** ids int32 [B, T], tokenTypeIds int32 [B, T] or null (zeros) → [B, T, E]. */
  override forward(ids: Tensor, tokenTypeIds: Tensor | null = null): Tensor {
    const T = ids.shape[1]!;
    const max = this.positionEmbeddings.weight.shape[0]!;
    if (T > max) throw new ShapeError(`BertModel.forward: ${T} tokens exceed maxPositionEmbeddings = ${max}`);
    const words = this.wordEmbeddings.forward(ids); // [B, T, E]
    const positions = this.positionEmbeddings.forward(arange(0, T, 1, { dtype: 'int32' })); // [T, E]
    const types = tokenTypeIds ? this.tokenTypeEmbeddings.forward(tokenTypeIds) : this.tokenTypeEmbeddings.weight.select(0, 0); // [B, T, E] or [E]
    return this.dropout.forward(this.layerNorm.forward(words.add(positions).add(types)));
  }
}

/** Checks ids and the optional inputs, and turns the attention mask into a key-padding mask (`true` = pad). */
function checkInputs(ids: Tensor, inputs: BertInputs): { keyPadding: Tensor | null; tokenTypeIds: Tensor | null } {
  if (ids.dtype !== 'int32') throw new DTypeError(`BertModel.forward: ids must be int32 token ids, got ${ids.dtype}`);
  if (ids.ndim !== 2) throw new ShapeError(`BertModel.forward: ids must be [B, T], got ${fmtShape(ids.shape)}`);
  const same = (name: string, t: Tensor | null | undefined): Tensor | null => {
    if (!t) return null;
    if (t.ndim !== 2 || t.shape[0] !== ids.shape[0] || t.shape[1] !== ids.shape[1]) {
      throw new ShapeError(`BertModel.forward: ${name} must be [B, T] = ${fmtShape(ids.shape)}, got ${fmtShape(t.shape)}`);
    }
    return t;
  };
  const mask = same('attentionMask', inputs.attentionMask);
  const tokenTypeIds = same('tokenTypeIds', inputs.tokenTypeIds);
  if (tokenTypeIds && tokenTypeIds.dtype !== 'int32') throw new DTypeError(`BertModel.forward: tokenTypeIds must be int32, got ${tokenTypeIds.dtype}`);
  const keyPadding = mask ? (mask.dtype === 'bool' ? mask.logicalNot() : mask.eq(0)) : null; // [B, T], true = padding
  return { keyPadding, tokenTypeIds };
}

/**
 * BertModel: embeddings, `numHiddenLayers` post-norm encoder layers (x = LN(x + SA(x)); x = LN(x + FF(x))),
 * and a pooler tanh(Linear(hidden[:, 0])) unless `addPoolingLayer` is false. Padded keys get weight 0
 * (as Hugging Face's additive finfo.min mask); a row whose every key is padding gets zeros, not uniform.
 * B batch · T tokens · E hiddenSize · H heads.
 * @example
 * const bert = new BertModel({ vocabSize: 100, hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, intermediateSize: 64, maxPositionEmbeddings: 64 });
 * const { lastHiddenState, poolerOutput, attentions } = bert.forwardWithAttention(ids, { attentionMask }); // [B, T, 32], [B, 32], 2 × [B, 4, T, T]
 */
export class BertModel extends Module {
  readonly config: BertConfig;
  embeddings: BertEmbeddings;
  encoder: TransformerEncoder;
  pooler: Linear | null;

  constructor(config: BertConfig, options: { addPoolingLayer?: boolean } = {}) {
    super();
    const { hiddenSize: E, generator } = config;
    this.config = { ...config, generator: undefined };
    this.embeddings = new BertEmbeddings(config);
    this.encoder = new TransformerEncoder(new BertLayer(config), config.numHiddenLayers);
    this.pooler = options.addPoolingLayer ?? true ? new Linear(E, E, { generator }) : null;
  }

  /** ids int32 [B, T] → last hidden state [B, T, E], the pooled CLS [B, E] (null without a pooler), and each layer's probabilities [B, H, T, T]. */
  forwardWithAttention(ids: Tensor, inputs: BertInputs = {}): { lastHiddenState: Tensor; poolerOutput: Tensor | null; attentions: Tensor[] } {
    return this.run(ids, inputs, true);
  }

  /** ids int32 [B, T] → last hidden state [B, T, E]. */
  override forward(ids: Tensor, inputs: BertInputs = {}): Tensor {
    return this.run(ids, inputs, false).lastHiddenState;
  }

  /** As `forwardWithAttention`; `needWeights` false skips forming the probabilities. */
  run(ids: Tensor, inputs: BertInputs, needWeights: boolean): { lastHiddenState: Tensor; poolerOutput: Tensor | null; attentions: Tensor[] } {
    const { keyPadding, tokenTypeIds } = checkInputs(ids, inputs);
    const x = this.embeddings.forward(ids, tokenTypeIds); // [B, T, E]
    const options = { srcKeyPaddingMask: keyPadding };
    const { output, selfAttention } = needWeights ? this.encoder.forwardWithAttention(x, options) : { output: this.encoder.forward(x, options), selfAttention: [] };
    const poolerOutput = this.pooler ? this.pooler.forward(output.select(1, 0)).tanh() : null; // [B, E]
    return { lastHiddenState: output, poolerOutput, attentions: selfAttention };
  }
}

/**
 * BertForMaskedLM: BertModel without pooler, then the MLM head: `transform` Linear(E, E) → hiddenAct →
 * `transformNorm`, and `decoder` Linear(E, V) whose weight is the word embedding (tied) with its own bias.
 * @example
 * const mlm = new BertForMaskedLM(config);
 * mlm.forward(ids) // [B, T] → logits [B, T, V]
 */
export class BertForMaskedLM extends Module {
  bert: BertModel;
  transform: Linear;
  transformNorm: LayerNorm;
  decoder: Linear;
  readonly act: Activation;

  constructor(config: BertConfig) {
    super();
    const { hiddenSize: E, generator } = config;
    this.bert = new BertModel(config, { addPoolingLayer: false });
    this.transform = new Linear(E, E, { generator });
    this.transformNorm = new LayerNorm(E, { eps: config.layerNormEps ?? 1e-12 });
    this.decoder = new Linear(E, config.vocabSize, { generator });
    this.decoder.weight = this.bert.embeddings.wordEmbeddings.weight; // tied, both names in the state dict as PyTorch's
    this.act = activation(config.hiddenAct ?? 'gelu');
  }

  /** last hidden state [B, T, E] → logits [B, T, V]. */
  head(hidden: Tensor): Tensor {
    const h = this.transform.forward(hidden);
    const t = this.transformNorm.forward(activate(this.act, h));
    return this.decoder.forward(t);
  }

  /** ids int32 [B, T] (no padding, token types 0 unless given) → logits [B, T, V]. */
  override forward(ids: Tensor, inputs: BertInputs = {}): Tensor {
    return this.head(this.bert.run(ids, inputs, false).lastHiddenState);
  }

  /** ids int32 [B, T] → logits [B, T, V], the last hidden state [B, T, E] and each layer's probabilities [B, H, T, T]. */
  forwardWithAttention(ids: Tensor, inputs: BertInputs = {}): { logits: Tensor; lastHiddenState: Tensor; attentions: Tensor[] } {
    const { lastHiddenState, attentions } = this.bert.run(ids, inputs, true);
    return { logits: this.head(lastHiddenState), lastHiddenState, attentions };
  }
}

/**
 * BertForSequenceClassification: BertModel with pooler, dropout, and `classifier` Linear(E, numLabels)
 * on the pooled CLS token.
 * @example
 * const clf = new BertForSequenceClassification(config, 3);
 * clf.forward(ids, { attentionMask }) // [B, T] → logits [B, 3]
 */
export class BertForSequenceClassification extends Module {
  readonly numLabels: number;
  bert: BertModel;
  dropout: Dropout;
  classifier: Linear;

  constructor(config: BertConfig, numLabels: number) {
    super();
    if (!Number.isInteger(numLabels) || numLabels <= 0) throw new ValueError(`BertForSequenceClassification: numLabels must be a positive integer, got ${numLabels}`);
    this.numLabels = numLabels;
    this.bert = new BertModel(config);
    this.dropout = new Dropout(config.dropout ?? 0.1, { generator: config.generator });
    this.classifier = new Linear(config.hiddenSize, numLabels, { generator: config.generator });
  }

  /** ids int32 [B, T] → logits [B, numLabels]. */
  override forward(ids: Tensor, inputs: BertInputs = {}): Tensor {
    return this.forwardWithAttention(ids, inputs, false).logits;
  }

  /** ids int32 [B, T] → logits [B, numLabels], the last hidden state [B, T, E] and each layer's probabilities [B, H, T, T]. */
  forwardWithAttention(ids: Tensor, inputs: BertInputs = {}, needWeights = true): { logits: Tensor; lastHiddenState: Tensor; attentions: Tensor[] } {
    const { lastHiddenState, poolerOutput, attentions } = this.bert.run(ids, inputs, needWeights);
    return { logits: this.classifier.forward(this.dropout.forward(poolerOutput!)), lastHiddenState, attentions };
  }
}

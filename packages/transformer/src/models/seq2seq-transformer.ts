// The encoder–decoder translator of PyTorch's translation tutorial: token embeddings scaled by
// √d_model, sinusoidal positions, nn.Transformer, and a linear "generator" onto the target vocabulary.
import { causalMask, paddingMask } from '@qkv/attention';
import { Embedding, Linear, Module } from '@qkv/nn';
import { cat, DTypeError, noGrad, ShapeError, ValueError, fmtShape } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import type { DecodeStepper } from '../decoding/stepper.js';
import type { DecoderLayerCache, KeyValue } from '../layers/kv-cache.js';
import type { Activation } from '../layers/options.js';
import { Transformer } from '../layers/transformer.js';
import { SinusoidalPositionalEncoding } from '../positional/sinusoidal.js';

/** Hyper-parameters of `Seq2SeqTransformer` (the tutorial's, plus sharing and padding). */
export interface Seq2SeqTransformerConfig {
  srcVocabSize: number;
  tgtVocabSize: number;
  /** E, the tutorial's emb_size (default 512). */
  dModel?: number;
  nhead?: number;
  numEncoderLayers?: number;
  numDecoderLayers?: number;
  /** Default 512, as the tutorial. */
  dimFeedforward?: number;
  dropout?: number;
  activation?: Activation;
  normFirst?: boolean;
  /** One embedding table for source and target (needs equal vocabularies; default false). */
  shareEmbeddings?: boolean;
  /** Padding id of both vocabularies (default 0): masked as keys, zero embedding. */
  padId?: number;
  maxLen?: number;
  generator?: Generator;
}

/** State of `Seq2SeqTransformer.stepper`. N rows being decoded · S source length · t tokens fed so far. */
export interface Seq2SeqState {
  /** The encoder's output [N, S, E], which the uncached path re-reads every step; null on the cache. */
  memory: Tensor | null;
  /** [N, S], `true` at source padding. */
  memoryKeyPaddingMask: Tensor;
  /** The target tokens fed so far [N, t]; null before the first step. */
  prefix: Tensor | null;
  /** Per decoder layer, the self-attention keys/values so far and the memory's cross-attention ones; null without the cache. */
  cache: DecoderLayerCache[] | null;
}

/**
 * Translation model, batch-first: logits = generator(decoder(emb(tgt)·√E + PE, encoder(emb(src)·√E + PE))).
 * Masks are built from the ids: source and target padding (`padId`) and the causal target mask.
 * State dict: `transformer.encoder.layers.0.…`, `generator.*`, `src_tok_emb.weight`, `tgt_tok_emb.weight`.
 * B batch · S source length · T target length · E dModel · V target vocabulary.
 * @example
 * const model = new Seq2SeqTransformer({ srcVocabSize: 100, tgtVocabSize: 120, dModel: 32, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2 });
 * const logits = model.forward(src, tgtIn); // [B, S], [B, T] → [B, T, 120]
 * const [best] = beamSearch(model.stepper(src), { prompt: bosColumn, eosId: 3, beamWidth: 4 })[0]!;
 */
export class Seq2SeqTransformer extends Module {
  readonly dModel: number;
  readonly padId: number;
  transformer: Transformer;
  generator: Linear;
  srcTokEmb: Embedding;
  tgtTokEmb: Embedding;
  positionalEncoding: SinusoidalPositionalEncoding;

  constructor(config: Seq2SeqTransformerConfig) {
    super();
    const { dModel = 512, nhead = 8, numEncoderLayers = 3, numDecoderLayers = 3, dimFeedforward = 512, dropout = 0.1, padId = 0, generator: g } = config;
    if (config.shareEmbeddings && config.srcVocabSize !== config.tgtVocabSize) {
      throw new ValueError(`Seq2SeqTransformer: shareEmbeddings needs srcVocabSize = tgtVocabSize, got ${config.srcVocabSize} and ${config.tgtVocabSize}`);
    }
    this.dModel = dModel;
    this.padId = padId;
    this.transformer = new Transformer({ dModel, nhead, numEncoderLayers, numDecoderLayers, dimFeedforward, dropout, activation: config.activation, normFirst: config.normFirst, batchFirst: true, generator: g });
    this.generator = new Linear(dModel, config.tgtVocabSize, { generator: g });
    this.srcTokEmb = new Embedding(config.srcVocabSize, dModel, { paddingIdx: padId, generator: g });
    this.tgtTokEmb = config.shareEmbeddings ? this.srcTokEmb : new Embedding(config.tgtVocabSize, dModel, { paddingIdx: padId, generator: g });
    this.positionalEncoding = new SinusoidalPositionalEncoding(dModel, { maxLen: config.maxLen ?? 5000, dropout, batchFirst: true, generator: g });
  }

  /** src int32 [B, S] → memory [B, S, E] and the source padding mask [B, S]. */
  encode(src: Tensor): { memory: Tensor; srcKeyPaddingMask: Tensor } {
    checkIds('Seq2SeqTransformer.encode', 'src', src);
    const srcKeyPaddingMask = paddingMask(src, this.padId);
    const x = this.positionalEncoding.forward(this.srcTokEmb.forward(src).mul(Math.sqrt(this.dModel)));
    return { memory: this.transformer.encoder.forward(x, { srcKeyPaddingMask }), srcKeyPaddingMask };
  }

  /** tgt int32 [B, T] (starting with BOS) and an encoded source → logits [B, T, V]. */
  decode(tgt: Tensor, memory: Tensor, memoryKeyPaddingMask: Tensor): Tensor {
    const out = this.transformer.decoder.forward(this.embedTarget(tgt), memory, this.decoderMasks(tgt, memoryKeyPaddingMask)); // [B, T, E]
    return this.generator.forward(out);
  }

  /** src [B, S], tgt [B, T] (the target shifted right) → logits [B, T, V]. */
  override forward(src: Tensor, tgt: Tensor): Tensor {
    const { memory, srcKeyPaddingMask } = this.encode(src);
    return this.decode(tgt, memory, srcKeyPaddingMask);
  }

  /** As `forward`, also returning every encoder self-, decoder self- and cross-attention weight [B, H, ·, ·]. */
  forwardWithAttention(src: Tensor, tgt: Tensor) {
    checkIds('Seq2SeqTransformer.forward', 'src', src);
    const srcKeyPaddingMask = paddingMask(src, this.padId);
    const x = this.positionalEncoding.forward(this.srcTokEmb.forward(src).mul(Math.sqrt(this.dModel)));
    const all = this.transformer.forwardWithAttention(x, this.embedTarget(tgt), { srcKeyPaddingMask, ...this.decoderMasks(tgt, srcKeyPaddingMask) });
    return { ...all, logits: this.generator.forward(all.output) };
  }

  /**
   * A `DecodeStepper` translating `src` [B, S] (encoded once, without gradients). With `useCache`
   * (default) the memory's cross-attention keys/values are projected here, once, and each step runs
   * the decoder on the new token only, reusing the self-attention keys/values of earlier positions;
   * without it, each step re-runs the decoder over the whole prefix (the reference the cache is
   * tested against). Call it inside `tidy` to free the encoder's activations and the cache.
   */
  stepper(src: Tensor, options: { useCache?: boolean } = {}): DecodeStepper<Seq2SeqState> {
    const useCache = options.useCache ?? true;
    const { memory, srcKeyPaddingMask } = noGrad(() => this.encode(src));
    const cache = useCache ? noGrad(() => this.transformer.decoder.cacheMemory(memory)) : null;
    return {
      init: (batch) => {
        if (batch !== memory.shape[0]) throw new ShapeError(`Seq2SeqTransformer.stepper: the prompt has ${batch} rows, src has ${memory.shape[0]}`);
        return { memory: cache ? null : memory, memoryKeyPaddingMask: srcKeyPaddingMask, prefix: null, cache };
      },
      step: (tokens, state) => (state.cache ? this.stepWithCache(tokens, state, state.cache) : this.stepWithPrefix(tokens, state)),
      select: (state, index) => {
        const rows = (t: Tensor) => t.indexSelect(0, index);
        const rowsOf = ({ key, value }: KeyValue) => ({ key: rows(key), value: rows(value) });
        return {
          memory: state.memory && rows(state.memory),
          memoryKeyPaddingMask: rows(state.memoryKeyPaddingMask),
          prefix: state.prefix && rows(state.prefix),
          cache: state.cache && state.cache.map((layer) => ({ self: layer.self && rowsOf(layer.self), cross: rowsOf(layer.cross) })),
        };
      },
    };
  }

  /** The uncached step: the decoder over the whole prefix [N, t + T], logits of its last position. */
  private stepWithPrefix(tokens: Tensor, state: Seq2SeqState): { logits: Tensor; state: Seq2SeqState } {
    const prefix = state.prefix ? cat([state.prefix, tokens], 1) : tokens; // [N, t + T]
    const logits = this.decode(prefix, state.memory!, state.memoryKeyPaddingMask).select(1, -1); // [N, V]
    return { logits, state: { ...state, prefix } };
  }

  /** The cached step: the decoder over the T new tokens at positions t … t + T − 1 only. */
  private stepWithCache(tokens: Tensor, state: Seq2SeqState, cache: DecoderLayerCache[]): { logits: Tensor; state: Seq2SeqState } {
    const t = state.prefix ? state.prefix.shape[1]! : 0;
    const prefix = state.prefix ? cat([state.prefix, tokens], 1) : tokens; // [N, t + T]: its padding mask covers every cached key
    const { output, cache: next } = this.transformer.decoder.forwardWithCache(this.embedTarget(tokens, t), cache, {
      tgtKeyPaddingMask: paddingMask(prefix, this.padId),
      memoryKeyPaddingMask: state.memoryKeyPaddingMask,
    }); // [N, T, E]
    return { logits: this.generator.forward(output.select(1, -1)), state: { ...state, prefix, cache: next } }; // [N, V]
  }

  /** Target embeddings of tgt [B, T] at positions offset … offset + T − 1. */
  private embedTarget(tgt: Tensor, offset = 0): Tensor {
    checkIds('Seq2SeqTransformer.decode', 'tgt', tgt);
    return this.positionalEncoding.forward(this.tgtTokEmb.forward(tgt).mul(Math.sqrt(this.dModel)), offset); // [B, T, E]
  }

  private decoderMasks(tgt: Tensor, memoryKeyPaddingMask: Tensor) {
    return { tgtMask: causalMask(tgt.shape[1]!), tgtKeyPaddingMask: paddingMask(tgt, this.padId), memoryKeyPaddingMask };
  }
}

function checkIds(op: string, name: string, ids: Tensor): void {
  if (ids.dtype !== 'int32') throw new DTypeError(`${op}: ${name} must be int32 token ids, got ${ids.dtype}`);
  if (ids.ndim !== 2) throw new ShapeError(`${op}: ${name} must be [B, len], got ${fmtShape(ids.shape)}`);
}

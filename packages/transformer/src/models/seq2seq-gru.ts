// The RNN translator the course builds before Transformers: a bidirectional GRU encoder and a GRU
// decoder that attends to the encoder's outputs, Bahdanau-style (attend, then step) or Luong-style
// (step, then attend), trained with teacher forcing.
import { AdditiveAttention, DotProductAttention, GeneralAttention, paddingMask } from '@qkv/attention';
import { Dropout, Embedding, GRU, GRUCell, Linear, Module } from '@qkv/nn';
import { cat, defaultGenerator, dims, DTypeError, noGrad, ShapeError, stack, ValueError, fmtShape } from '@qkv/tensor-core';
import type { Generator, Tensor } from '@qkv/tensor-core';
import type { DecodeStepper } from '../decoding/stepper.js';

/** Which attention the decoder uses. */
export type RNNAttentionKind = 'bahdanau' | 'luong-dot' | 'luong-general';

/** Hyper-parameters of `Seq2SeqGRU`. */
export interface Seq2SeqGRUConfig {
  srcVocabSize: number;
  tgtVocabSize: number;
  /** Token embedding size E (default 32). */
  embedDim?: number;
  /** H: hidden size of each encoder direction and of the decoder (default 64). */
  hiddenSize?: number;
  /** Default 'bahdanau'. */
  attention?: RNNAttentionKind;
  /** Dropout on the embeddings (default 0). */
  dropout?: number;
  /** Padding id (default 0): zero embedding, masked in the attention. */
  padId?: number;
  generator?: Generator;
}

/** One decoder step's result. B batch · H hidden · S source · V vocabulary. */
export interface GRUDecoderStep {
  /** [B, V] */
  logits: Tensor;
  /** [B, H] */
  hidden: Tensor;
  /** [B, S] */
  weights: Tensor;
}

/**
 * Bidirectional GRU encoder. outputs: both directions concatenated [B, S, 2H] (Bahdanau) or summed
 * [B, S, H] (Luong, as PyTorch's chatbot tutorial); the decoder's first state is
 * tanh(bridge([h→; h←])) [B, H].
 */
export class GRUEncoder extends Module {
  readonly combine: 'concat' | 'sum';
  /** The padding id; rows are run up to their last other id. */
  readonly padId: number;
  embedding: Embedding;
  dropout: Dropout;
  rnn: GRU;
  bridge: Linear;

  constructor(vocabSize: number, embedDim: number, hiddenSize: number, combine: 'concat' | 'sum', options: { dropout?: number; padId?: number; generator?: Generator } = {}) {
    super();
    const { generator } = options;
    this.combine = combine;
    this.padId = options.padId ?? 0;
    this.embedding = new Embedding(vocabSize, embedDim, { paddingIdx: this.padId, generator });
    this.dropout = new Dropout(options.dropout ?? 0, { generator });
    this.rnn = new GRU(embedDim, hiddenSize, { bidirectional: true, batchFirst: true, generator });
    this.bridge = new Linear(2 * hiddenSize, hiddenSize, { generator });
  }

  /**
   * src int32 [B, S] → outputs [B, S, 2H or H], hidden [B, H]. Each row runs over its own tokens only
   * (up to its last non-pad id, as `pack_padded_sequence`), so a word's encoding does not depend on
   * the batch it is in; outputs at the padding are 0.
   */
  override forward(src: Tensor): { outputs: Tensor; hidden: Tensor } {
    const lengths = sequenceLengths(src, this.padId);
    const [out, hN] = this.rnn.forward(this.dropout.forward(this.embedding.forward(src)), undefined, { lengths }); // [B, S, 2H], [2, B, H]
    const H = this.rnn.hiddenSize;
    const outputs = this.combine === 'concat' ? out : out.narrow(2, 0, H).add(out.narrow(2, H, H));
    const hidden = this.bridge.forward(cat([hN.select(0, 0), hN.select(0, 1)], 1)).tanh(); // [B, H]
    return { outputs, hidden };
  }
}

/**
 * Bahdanau decoder step (PyTorch's seq2seq tutorial `AttnDecoderRNN`): attend with the previous
 * state, feed [embedding; context] to the GRU cell, project the new state onto the vocabulary.
 */
export class BahdanauDecoder extends Module {
  embedding: Embedding;
  dropout: Dropout;
  attention: AdditiveAttention;
  gru: GRUCell;
  out: Linear;

  constructor(vocabSize: number, embedDim: number, hiddenSize: number, options: { dropout?: number; padId?: number; generator?: Generator } = {}) {
    super();
    const { generator } = options;
    this.embedding = new Embedding(vocabSize, embedDim, { paddingIdx: options.padId ?? 0, generator });
    this.dropout = new Dropout(options.dropout ?? 0, { generator });
    this.attention = new AdditiveAttention(hiddenSize, 2 * hiddenSize, { generator });
    this.gru = new GRUCell(embedDim + 2 * hiddenSize, hiddenSize, { generator });
    this.out = new Linear(hiddenSize, vocabSize, { generator });
  }

  /** token int32 [B], hidden [B, H], encoder outputs [B, S, 2H], pad mask [B, S] → logits, state, weights. */
  step(token: Tensor, hidden: Tensor, encoderOutputs: Tensor, keyPaddingMask: Tensor): GRUDecoderStep {
    const embedded = this.dropout.forward(this.embedding.forward(token)); // [B, E]
    const { context, weights } = this.attention.forward(hidden, encoderOutputs, { keyPaddingMask }); // [B, 2H], [B, S]
    const next = this.gru.forward(cat([embedded, context], 1), hidden); // [B, H]
    return { logits: this.out.forward(next), hidden: next, weights };
  }
}

/**
 * Luong decoder step (PyTorch's chatbot tutorial `LuongAttnDecoderRNN`): step the GRU cell, attend
 * with the new state, h̃ = tanh(concat([h; context])), logits = out(h̃).
 */
export class LuongDecoder extends Module {
  embedding: Embedding;
  dropout: Dropout;
  gru: GRUCell;
  attention: DotProductAttention | GeneralAttention;
  concat: Linear;
  out: Linear;

  constructor(vocabSize: number, embedDim: number, hiddenSize: number, score: 'dot' | 'general', options: { dropout?: number; padId?: number; generator?: Generator } = {}) {
    super();
    const { generator } = options;
    this.embedding = new Embedding(vocabSize, embedDim, { paddingIdx: options.padId ?? 0, generator });
    this.dropout = new Dropout(options.dropout ?? 0, { generator });
    this.gru = new GRUCell(embedDim, hiddenSize, { generator });
    this.attention = score === 'dot' ? new DotProductAttention(hiddenSize) : new GeneralAttention(hiddenSize, hiddenSize, { generator });
    this.concat = new Linear(2 * hiddenSize, hiddenSize, { generator });
    this.out = new Linear(hiddenSize, vocabSize, { generator });
  }

  /** token int32 [B], hidden [B, H], encoder outputs [B, S, H], pad mask [B, S] → logits, state, weights. */
  step(token: Tensor, hidden: Tensor, encoderOutputs: Tensor, keyPaddingMask: Tensor): GRUDecoderStep {
    const embedded = this.dropout.forward(this.embedding.forward(token)); // [B, E]
    const next = this.gru.forward(embedded, hidden); // [B, H]
    const { context, weights } = this.attention.forward(next, encoderOutputs, { keyPaddingMask }); // [B, H], [B, S]
    const attentional = this.concat.forward(cat([next, context], 1)).tanh(); // h̃ [B, H]
    return { logits: this.out.forward(attentional), hidden: next, weights };
  }
}

/** State of `Seq2SeqGRU.stepper`. */
export interface GRUDecodeState {
  hidden: Tensor;
  encoderOutputs: Tensor;
  keyPaddingMask: Tensor;
}

/**
 * GRU encoder–decoder with attention. Batch-first. B batch · S source · T target · V target vocabulary.
 * @example
 * const model = new Seq2SeqGRU({ srcVocabSize: 30, tgtVocabSize: 40, attention: 'luong-general' });
 * const logits = model.forward(src, tgtIn, { teacherForcingRatio: 0.5, generator }); // [B, T, 40]
 * const out = greedyDecode(model.stepper(src), { prompt: bosColumn, eosId: 2 });
 */
export class Seq2SeqGRU extends Module {
  readonly padId: number;
  readonly attentionKind: RNNAttentionKind;
  encoder: GRUEncoder;
  decoder: BahdanauDecoder | LuongDecoder;

  constructor(config: Seq2SeqGRUConfig) {
    super();
    const { embedDim = 32, hiddenSize = 64, attention = 'bahdanau', dropout = 0, padId = 0, generator } = config;
    if (!['bahdanau', 'luong-dot', 'luong-general'].includes(attention)) throw new ValueError(`Seq2SeqGRU: attention must be 'bahdanau', 'luong-dot' or 'luong-general', got '${attention}'`);
    this.padId = padId;
    this.attentionKind = attention;
    const options = { dropout, padId, generator };
    this.encoder = new GRUEncoder(config.srcVocabSize, embedDim, hiddenSize, attention === 'bahdanau' ? 'concat' : 'sum', options);
    this.decoder = attention === 'bahdanau'
      ? new BahdanauDecoder(config.tgtVocabSize, embedDim, hiddenSize, options)
      : new LuongDecoder(config.tgtVocabSize, embedDim, hiddenSize, attention === 'luong-dot' ? 'dot' : 'general', options);
  }

  /**
   * src [B, S], tgtIn [B, T] (BOS, then the target shifted right) → logits [B, T, V] and attention
   * [B, T, S]. With probability `teacherForcingRatio` (default 1) for the whole batch, as the
   * tutorial, step t reads tgtIn[:, t]; otherwise it reads its own previous argmax.
   */
  forwardWithAttention(src: Tensor, tgtIn: Tensor, options: { teacherForcingRatio?: number; generator?: Generator } = {}): { logits: Tensor; attention: Tensor } {
    checkIds('Seq2SeqGRU.forward', 'src', src);
    checkIds('Seq2SeqGRU.forward', 'tgtIn', tgtIn);
    const { teacherForcingRatio = 1 } = options;
    const teacherForcing = teacherForcingRatio >= 1 || (options.generator ?? defaultGenerator()).next() < teacherForcingRatio;
    const keyPaddingMask = paddingMask(src, this.padId);
    const { outputs: encoderOutputs, hidden: h0 } = this.encoder.forward(src);
    let hidden = h0;
    const logits: Tensor[] = [];
    const weights: Tensor[] = [];
    let token = tgtIn.select(1, 0); // [B]
    for (let t = 0; t < tgtIn.shape[1]!; t++) {
      const out = this.decoder.step(token, hidden, encoderOutputs, keyPaddingMask);
      hidden = out.hidden;
      logits.push(out.logits);
      weights.push(out.weights);
      if (t + 1 < tgtIn.shape[1]!) token = teacherForcing ? tgtIn.select(1, t + 1) : noGrad(() => out.logits.argmax(-1));
    }
    return { logits: stack(logits, 1), attention: stack(weights, 1) }; // [B, T, V], [B, T, S]
  }

  /** src [B, S], tgtIn [B, T] → logits [B, T, V] (see `forwardWithAttention`). */
  override forward(src: Tensor, tgtIn: Tensor, options: { teacherForcingRatio?: number; generator?: Generator } = {}): Tensor {
    return this.forwardWithAttention(src, tgtIn, options).logits;
  }

  /** A `DecodeStepper` translating `src` [B, S] (encoded once, without gradients); the state is the GRU's. */
  stepper(src: Tensor): DecodeStepper<GRUDecodeState> {
    checkIds('Seq2SeqGRU.stepper', 'src', src);
    const { outputs, hidden } = noGrad(() => this.encoder.forward(src));
    const keyPaddingMask = paddingMask(src, this.padId);
    return {
      init: (batch) => {
        if (batch !== src.shape[0]) throw new ShapeError(`Seq2SeqGRU.stepper: the prompt has ${batch} rows, src has ${src.shape[0]}`);
        return { hidden, encoderOutputs: outputs, keyPaddingMask };
      },
      step: (tokens, state) => {
        let h = state.hidden;
        let logits: Tensor | null = null;
        for (let t = 0; t < tokens.shape[1]!; t++) {
          const out = this.decoder.step(tokens.select(1, t), h, state.encoderOutputs, state.keyPaddingMask);
          h = out.hidden;
          logits = out.logits;
        }
        return { logits: logits!, state: { ...state, hidden: h } };
      },
      select: (state, index) => ({
        hidden: state.hidden.indexSelect(0, index),
        encoderOutputs: state.encoderOutputs.indexSelect(0, index),
        keyPaddingMask: state.keyPaddingMask.indexSelect(0, index),
      }),
    };
  }
}

/** Per row of ids [B, S]: the position after its last non-pad id (at least 1, so an all-pad row still runs one step). */
function sequenceLengths(ids: Tensor, padId: number): number[] {
  const [B, S] = dims(ids, 2, 'GRUEncoder.forward', 'B, S');
  const data = ids.dataSync();
  return Array.from({ length: B }, (_, b) => {
    let n = S;
    while (n > 1 && data[b * S + n - 1] === padId) n--;
    return n;
  });
}

function checkIds(op: string, name: string, ids: Tensor): void {
  if (ids.dtype !== 'int32') throw new DTypeError(`${op}: ${name} must be int32 token ids, got ${ids.dtype}`);
  if (ids.ndim !== 2) throw new ShapeError(`${op}: ${name} must be [B, len], got ${fmtShape(ids.shape)}`);
}

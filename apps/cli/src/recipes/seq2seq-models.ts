// The encoder-decoders a seq2seq recipe can train, behind the few calls seq2seqSession needs:
// teacher-forced logits, a decoding stepper, and cross-attention for `qkv predict`.
import { init } from '@qkv/nn';
import type { Module } from '@qkv/nn';
import { noGrad, oneHot, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { Seq2SeqGRU, Seq2SeqTransformer } from '@qkv/transformer';
import type { DecodeStepper, Seq2SeqGRUConfig, Seq2SeqTransformerConfig } from '@qkv/transformer';
import type { Seq2SeqVocab } from './seq2seq.js';

/** B batch · S source length · T target length · V target vocabulary. */
export interface Seq2SeqModel {
  module: Module;
  /** src int32 [B, S], tgtIn int32 [B, T] (<sos> then the target shifted right) → logits [B, T, V]. */
  logits(src: Tensor, tgtIn: Tensor): Tensor;
  /** A decoding stepper for greedy and beam search over `src` [B, S]. */
  stepper(src: Tensor): DecodeStepper<unknown>;
  /** src [1, S], tgt [1, T] → the cross-attention to draw, [1, T, S]. */
  crossAttention(src: Tensor, tgt: Tensor): Tensor;
  /** What the picture shows, e.g. 'cross-attention, last decoder layer, mean over heads'. */
  attentionTitle: string;
  /** JSON-able `{ kind, ...config }` for the manifest. */
  config: Record<string, unknown>;
}

// Models take no generator of their own: initialisation and dropout draw from the global one,
// which the CLI seeds before setup and every checkpoint saves, so dropout continues exactly after
// a resume (a private generator would restart its stream on every resume).

/**
 * Token embeddings drawn from N(0, 1/E) instead of nn.Embedding's N(0, 1), as the Transformer paper
 * and fairseq do: after the model's ×√E they have unit scale, the same as the sinusoidal positions.
 * With N(0, 1) (the PyTorch tutorial) they are √E times larger and drown the position signal,
 * which G2P needs to keep letters in order. The padding row stays zero.
 */
function scaleEmbeddings(model: Seq2SeqTransformer, dModel: number): void {
  for (const emb of new Set([model.srcTokEmb, model.tgtTokEmb])) {
    init.normal_(emb.weight, 0, dModel ** -0.5);
    if (emb.paddingIdx !== null) noGrad(() => emb.weight.assign(emb.weight.mul(oneHot(tensor([emb.paddingIdx!], { dtype: 'int32' }), emb.weight.shape[0]!).reshape([-1, 1]).eq(0).float())));
  }
}

/** The Transformer encoder-decoder (`Seq2SeqTransformer`). */
export function transformerSeq2Seq(modelConfig: Omit<Seq2SeqTransformerConfig, 'srcVocabSize' | 'tgtVocabSize' | 'padId' | 'generator'>, embeddingInit: 'scaled' | 'pytorch' = 'scaled') {
  return (vocab: Seq2SeqVocab): Seq2SeqModel => {
    const config = { ...vocab, ...modelConfig };
    const model = new Seq2SeqTransformer(config);
    if (embeddingInit === 'scaled') scaleEmbeddings(model, model.dModel);
    return {
      module: model,
      logits: (src, tgtIn) => model.forward(src, tgtIn),
      stepper: (src) => model.stepper(src),
      crossAttention: (src, tgt) => {
        const { crossAttention } = model.forwardWithAttention(src, tgt);
        return crossAttention[crossAttention.length - 1]!.mean(1); // [1, H, T, S] → [1, T, S]
      },
      attentionTitle: 'cross-attention, last decoder layer, mean over heads',
      config: { kind: 'Seq2SeqTransformer', ...config },
    };
  };
}

/**
 * The GRU encoder-decoder (`Seq2SeqGRU`: bidirectional encoder, Bahdanau attention by default),
 * trained with teacher forcing: with probability `teacherForcingRatio` (default 1) a training
 * batch reads the reference's previous token, otherwise the model's own (drawn from the global,
 * checkpointed generator, so resumes stay exact).
 */
export function gruSeq2Seq(modelConfig: Omit<Seq2SeqGRUConfig, 'srcVocabSize' | 'tgtVocabSize' | 'padId' | 'generator'>, teacherForcingRatio = 1) {
  return (vocab: Seq2SeqVocab): Seq2SeqModel => {
    const config = { ...vocab, ...modelConfig };
    const model = new Seq2SeqGRU(config);
    return {
      module: model,
      logits: (src, tgtIn) => model.forward(src, tgtIn, { teacherForcingRatio: model.training ? teacherForcingRatio : 1 }),
      stepper: (src) => model.stepper(src),
      crossAttention: (src, tgt) => model.forwardWithAttention(src, tgt).attention, // [1, T, S]
      attentionTitle: `${config.attention ?? 'bahdanau'} attention of the GRU decoder`,
      config: { kind: 'Seq2SeqGRU', teacherForcingRatio, ...config },
    };
  };
}

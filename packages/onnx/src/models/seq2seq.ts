// The encoder–decoder models as two graphs each (`part`): the encoder, and the decoder that the
// decoding loop calls — Seq2SeqTransformer's decoder over the target prefix, Seq2SeqGRU's one step.
import { BahdanauDecoder, Seq2SeqGRU, Seq2SeqTransformer } from '@qkv/transformer';
import { andKeep, causalKeep, paddingKeep } from '../emit/attention.js';
import { embedding, linear, scalarDimOf } from '../emit/layers.js';
import type { GraphBuilder } from '../graph/builder.js';
import { gru, gruCell, sourceAttention } from '../emit/rnn.js';
import { decoderStack, encoderStack } from '../emit/transformer.js';
import { embedTokens } from './encoders.js';
import { rejectOptions } from './options.js';
import type { ModelExporter } from './options.js';

/**
 * Seq2SeqTransformer. `part: 'encoder'`: `src` int64 [batch, source_sequence] → `memory`
 * [batch, source_sequence, E] and `memory_key_padding_mask` bool (true at pads).
 * `part: 'decoder'`: `tgt` int64 [batch, target_sequence] (BOS first), `memory`,
 * `memory_key_padding_mask` → `logits` [batch, target_sequence, V] (+ `attentions.N`, `cross_attentions.N`).
 */
export const exportSeq2SeqTransformer: ModelExporter<Seq2SeqTransformer> = (g, model, options) => {
  rejectOptions('Seq2SeqTransformer', options, ['attentionOutputs', 'part']);
  const E = model.dModel;
  const H = model.transformer.encoder.layers.get(0).nhead;
  const padId = g.ints([model.padId], []);
  const attn = (probs: string[], prefix: string, L: string, S: string) => {
    if (options.attentionOutputs) probs.forEach((p, i) => g.output(p, `${prefix}.${i}`, 'float32', ['batch', H, L, S]));
  };
  if (options.part === 'encoder') {
    const src = g.input('src', 'int64', ['batch', 'source_sequence']);
    const isPad = g.op('Equal', [src, padId]);
    const x = embedTokens(g, model.srcTokEmb, model.positionalEncoding, src, E, null);
    const { y, probs } = g.scoped('transformer.encoder', () => encoderStack(g, model.transformer.encoder, x, paddingKeep(g, isPad), 'Seq2SeqTransformer.transformer.encoder'));
    g.output(y, 'memory', 'float32', ['batch', 'source_sequence', E]);
    g.output(isPad, 'memory_key_padding_mask', 'bool', ['batch', 'source_sequence']);
    attn(probs, 'attentions', 'source_sequence', 'source_sequence');
    return;
  }
  const tgt = g.input('tgt', 'int64', ['batch', 'target_sequence']);
  const memory = g.input('memory', 'float32', ['batch', 'source_sequence', E]);
  const memoryPad = g.input('memory_key_padding_mask', 'bool', ['batch', 'source_sequence']);
  const x = embedTokens(g, model.tgtTokEmb, model.positionalEncoding, tgt, E, null);
  const selfKeep = andKeep(g, causalKeep(g, tgt, 1, null), paddingKeep(g, g.op('Equal', [tgt, padId])));
  const r = g.scoped('transformer.decoder', () => decoderStack(g, model.transformer.decoder, x, memory, selfKeep, paddingKeep(g, memoryPad), 'Seq2SeqTransformer.transformer.decoder'));
  g.output(linear(g, model.generator, r.y), 'logits', 'float32', ['batch', 'target_sequence', model.generator.weight.shape[0]!]);
  attn(r.selfProbs, 'attentions', 'target_sequence', 'target_sequence');
  attn(r.crossProbs, 'cross_attentions', 'target_sequence', 'source_sequence');
};

/** GRUEncoder's lengths: each row up to its last non-pad token (at least 1) → int32 [B]. */
function sequenceLengths(g: GraphBuilder, src: string, isPad: string): string {
  const S = scalarDimOf(g, src, 1);
  const positions = g.op('Range', [g.ints([1], []), g.op('Add', [S, g.ints([1], [])]), g.ints([1], [])]); // 1 … S
  const lastReal = g.op('ReduceMax', [g.op('Mul', [g.op('Cast', [g.op('Not', [isPad])], { to: 7 }), positions])], { axes: [1], keepdims: 0 });
  return g.op('Cast', [g.op('Max', [lastReal, g.ints([1], [])])], { to: 6 });
}

/**
 * Seq2SeqGRU. `part: 'encoder'`: `src` int64 [batch, source_sequence] → `encoder_outputs`
 * [batch, source_sequence, K], `hidden` [batch, H], `key_padding_mask` bool. `part: 'decoder'` (one
 * step): `token` int64 [batch], `hidden`, `encoder_outputs`, `key_padding_mask` → `logits`
 * [batch, V], `next_hidden` [batch, H], `attention` [batch, source_sequence].
 */
export const exportSeq2SeqGRU: ModelExporter<Seq2SeqGRU> = (g, model, options) => {
  rejectOptions('Seq2SeqGRU', options, ['part']);
  const { encoder, decoder } = model;
  const H = encoder.rnn.hiddenSize;
  const K = encoder.combine === 'concat' ? 2 * H : H;
  if (options.part === 'encoder') {
    const src = g.input('src', 'int64', ['batch', 'source_sequence']);
    const isPad = g.op('Equal', [src, g.ints([model.padId], [])]);
    const { outputs, finals } = g.scoped('encoder.rnn', () => gru(g, encoder.rnn, embedding(g, encoder.embedding, src), sequenceLengths(g, src, isPad)));
    const [fwd, bwd] = g.opN('Split', [outputs, g.ints([H, H])], 2, { axis: 2 });
    const combined = encoder.combine === 'concat' ? outputs : g.op('Add', [fwd!, bwd!]);
    const both = g.op('Reshape', [g.op('Transpose', [finals], { perm: [1, 0, 2] }), g.ints([0, 2 * H])]); // [B, 2H] = cat(h_fwd, h_bwd)
    g.output(combined, 'encoder_outputs', 'float32', ['batch', 'source_sequence', K]);
    g.output(g.op('Tanh', [linear(g, encoder.bridge, both)]), 'hidden', 'float32', ['batch', H]);
    g.output(isPad, 'key_padding_mask', 'bool', ['batch', 'source_sequence']);
    return;
  }
  const token = g.input('token', 'int64', ['batch']);
  const hidden = g.input('hidden', 'float32', ['batch', H]);
  const keys = g.input('encoder_outputs', 'float32', ['batch', 'source_sequence', K]);
  const keep = paddingKeep(g, g.input('key_padding_mask', 'bool', ['batch', 'source_sequence']), 3);
  const embedded = embedding(g, decoder.embedding, token); // [B, E]
  let next: string;
  let logits: string;
  let weights: string;
  if (decoder instanceof BahdanauDecoder) {
    const a = g.scoped('decoder.attention', () => sourceAttention(g, decoder.attention, hidden, keys, keep));
    next = g.scoped('decoder.gru', () => gruCell(g, decoder.gru, g.op('Concat', [embedded, a.context], { axis: 1 }), hidden));
    logits = linear(g, decoder.out, next);
    weights = a.weights;
  } else {
    next = g.scoped('decoder.gru', () => gruCell(g, decoder.gru, embedded, hidden));
    const a = g.scoped('decoder.attention', () => sourceAttention(g, decoder.attention, next, keys, keep));
    logits = linear(g, decoder.out, g.op('Tanh', [linear(g, decoder.concat, g.op('Concat', [next, a.context], { axis: 1 }))]));
    weights = a.weights;
  }
  g.output(logits, 'logits', 'float32', ['batch', decoder.out.weight.shape[0]!]);
  g.output(next, 'next_hidden', 'float32', ['batch', H]);
  g.output(weights, 'attention', 'float32', ['batch', 'source_sequence']);
};

/** The table rows this file adds to `exportOnnx`. */
export const seq2seqExporters = [
  [Seq2SeqTransformer, exportSeq2SeqTransformer, 'Seq2SeqTransformer'],
  [Seq2SeqGRU, exportSeq2SeqGRU, 'Seq2SeqGRU'],
] as const;

// The Transformer layers and stacks as graphs of their own: `src` (and `tgt`, `memory`) in the
// module's layout, optional bool key padding masks, causal self-attention as an option.
import { Transformer, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer } from '@qkv/transformer';
import type { Dim } from '../proto/schema.js';
import type { GraphBuilder } from '../graph/builder.js';
import { MultiheadAttention } from '@qkv/attention';
import { andKeep, causalKeep, multiheadAttention, paddingKeep } from '../emit/attention.js';
import type { Keep } from '../emit/attention.js';
import { swap01 } from '../emit/layers.js';
import { decoderLayer, decoderStack, encoderLayer, encoderStack } from '../emit/transformer.js';
import { rejectOptions } from './options.js';
import type { ModelExporter, ResolvedOptions } from './options.js';

const SUPPORTED = ['attentionOutputs', 'keyPaddingMask', 'causal'] as (keyof ResolvedOptions)[];

/** A sequence input in the module's layout, returned batch-first. */
function sequenceInput(g: GraphBuilder, name: string, len: string, E: number, batchFirst: boolean): string {
  const shape: Dim[] = batchFirst ? ['batch', len, E] : [len, 'batch', E];
  const x = g.input(name, 'float32', shape);
  return batchFirst ? x : swap01(g, x);
}

/** The output, back in the module's layout. */
function sequenceOutput(g: GraphBuilder, y: string, len: string, E: number, batchFirst: boolean): void {
  g.output(batchFirst ? y : swap01(g, y), 'output', 'float32', batchFirst ? ['batch', len, E] : [len, 'batch', E]);
}

/** Self-attention masks of a sequence: padding (an input) and/or causal. */
function selfKeep(g: GraphBuilder, x: string, maskName: string, len: string, options: ResolvedOptions, causalDefault: boolean): Keep | null {
  const pad = options.keyPaddingMask ? paddingKeep(g, g.input(maskName, 'bool', ['batch', len])) : null;
  return andKeep(g, pad, (options.causal ?? causalDefault) ? causalKeep(g, x, 1, null) : null);
}

function attentionOutputs(g: GraphBuilder, probs: string[], prefix: string, H: number, L: string, S: string): void {
  probs.forEach((p, i) => g.output(p, `${prefix}.${i}`, 'float32', ['batch', H, L, S]));
}

function encoder(g: GraphBuilder, m: TransformerEncoderLayer | TransformerEncoder, options: ResolvedOptions): void {
  const first = m instanceof TransformerEncoder ? m.layers.get(0) : m;
  const { dModel: E, nhead: H, options: { batchFirst } } = first;
  const x = sequenceInput(g, 'src', 'sequence', E, batchFirst);
  const keep = selfKeep(g, x, 'src_key_padding_mask', 'sequence', options, false);
  const { y, probs } = m instanceof TransformerEncoder ? encoderStack(g, m, x, keep, 'TransformerEncoder') : ((r) => ({ y: r.y, probs: [r.probs] }))(encoderLayer(g, m, x, keep, 'TransformerEncoderLayer'));
  sequenceOutput(g, y, 'sequence', E, batchFirst);
  if (options.attentionOutputs) attentionOutputs(g, probs, 'attentions', H, 'sequence', 'sequence');
}

/** TransformerEncoderLayer / TransformerEncoder: `src` → `output` (+ `attentions.N`). */
export const exportEncoder: ModelExporter<TransformerEncoderLayer | TransformerEncoder> = (g, m, options) => {
  rejectOptions(m instanceof TransformerEncoder ? 'TransformerEncoder' : 'TransformerEncoderLayer', options, SUPPORTED);
  encoder(g, m, options);
};

/** TransformerDecoderLayer / TransformerDecoder: `tgt`, `memory` → `output` (+ `attentions.N`, `cross_attentions.N`). Causal by default. */
export const exportDecoder: ModelExporter<TransformerDecoderLayer | TransformerDecoder> = (g, m, options) => {
  rejectOptions(m instanceof TransformerDecoder ? 'TransformerDecoder' : 'TransformerDecoderLayer', options, SUPPORTED);
  const first = m instanceof TransformerDecoder ? m.layers.get(0) : m;
  const { dModel: E, nhead: H, options: { batchFirst } } = first;
  const x = sequenceInput(g, 'tgt', 'target_sequence', E, batchFirst);
  const memory = sequenceInput(g, 'memory', 'source_sequence', E, batchFirst);
  const keep = selfKeep(g, x, 'tgt_key_padding_mask', 'target_sequence', options, true);
  const crossKeep = options.keyPaddingMask ? paddingKeep(g, g.input('memory_key_padding_mask', 'bool', ['batch', 'source_sequence'])) : null;
  const r = m instanceof TransformerDecoder
    ? decoderStack(g, m, x, memory, keep, crossKeep, 'TransformerDecoder')
    : ((l) => ({ y: l.y, selfProbs: [l.selfProbs], crossProbs: [l.crossProbs] }))(decoderLayer(g, m, x, memory, keep, crossKeep, 'TransformerDecoderLayer'));
  sequenceOutput(g, r.y, 'target_sequence', E, batchFirst);
  if (options.attentionOutputs) {
    attentionOutputs(g, r.selfProbs, 'attentions', H, 'target_sequence', 'target_sequence');
    attentionOutputs(g, r.crossProbs, 'cross_attentions', H, 'target_sequence', 'source_sequence');
  }
};

/** nn.Transformer: `src`, `tgt` → `output`; the decoder's self-attention is causal unless `causal: false`. */
export const exportTransformer: ModelExporter<Transformer> = (g, m, options) => {
  rejectOptions('Transformer', options, SUPPORTED);
  const { dModel: E, nhead: H } = m.encoder.layers.get(0);
  const bf = m.batchFirst;
  const src = sequenceInput(g, 'src', 'source_sequence', E, bf);
  const tgt = sequenceInput(g, 'tgt', 'target_sequence', E, bf);
  const srcPad = options.keyPaddingMask ? paddingKeep(g, g.input('src_key_padding_mask', 'bool', ['batch', 'source_sequence'])) : null;
  const tgtKeep = andKeep(g, options.keyPaddingMask ? paddingKeep(g, g.input('tgt_key_padding_mask', 'bool', ['batch', 'target_sequence'])) : null, (options.causal ?? true) ? causalKeep(g, tgt, 1, null) : null);
  const enc = g.scoped('encoder', () => encoderStack(g, m.encoder, src, srcPad, 'Transformer.encoder'));
  const dec = g.scoped('decoder', () => decoderStack(g, m.decoder, tgt, enc.y, tgtKeep, srcPad, 'Transformer.decoder'));
  sequenceOutput(g, dec.y, 'target_sequence', E, bf);
  if (options.attentionOutputs) {
    attentionOutputs(g, enc.probs, 'encoder_attentions', H, 'source_sequence', 'source_sequence');
    attentionOutputs(g, dec.selfProbs, 'decoder_attentions', H, 'target_sequence', 'target_sequence');
    attentionOutputs(g, dec.crossProbs, 'cross_attentions', H, 'target_sequence', 'source_sequence');
  }
};

/**
 * MultiheadAttention as self-attention: `query` in the module's layout → `output` (+ `attentions.0`,
 * per head [batch, H, sequence, sequence]); `key_padding_mask` and causal masking as options.
 */
export const exportMultiheadAttention: ModelExporter<MultiheadAttention> = (g, m, options) => {
  rejectOptions('MultiheadAttention', options, SUPPORTED);
  const x = sequenceInput(g, 'query', 'sequence', m.embedDim, m.batchFirst);
  const keep = selfKeep(g, x, 'key_padding_mask', 'sequence', options, false);
  const { out, probs } = multiheadAttention(g, m, x, x, x, keep, true);
  sequenceOutput(g, out, 'sequence', m.embedDim, m.batchFirst);
  if (options.attentionOutputs) attentionOutputs(g, [probs], 'attentions', m.numHeads, 'sequence', 'sequence');
};

/** The table rows this file adds to `exportOnnx`. */
export const layerExporters = [
  [MultiheadAttention, exportMultiheadAttention, 'MultiheadAttention'],
  [TransformerEncoderLayer, exportEncoder, 'TransformerEncoderLayer'],
  [TransformerEncoder, exportEncoder, 'TransformerEncoder'],
  [TransformerDecoderLayer, exportDecoder, 'TransformerDecoderLayer'],
  [TransformerDecoder, exportDecoder, 'TransformerDecoder'],
  [Transformer, exportTransformer, 'Transformer'],
] as const;

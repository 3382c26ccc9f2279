// The encoder-only models: TransformerClassifier (ids → class logits, mean over real tokens) and
// VisionTransformer (images → class logits, CLS token).
import { LearnedPositionalEmbedding, TransformerClassifier, VisionTransformer } from '@qkv/transformer';
import type { SinusoidalPositionalEncoding } from '@qkv/transformer';
import type { GraphBuilder } from '../graph/builder.js';
import { paddingKeep } from '../emit/attention.js';
import { dimOf, embedding, linear } from '../emit/layers.js';
import { encoderStack } from '../emit/transformer.js';
import { rejectOptions } from './options.js';
import type { ModelExporter } from './options.js';

/**
 * x [B, T, E] + the positions' rows `offset` … `offset + T − 1` of a sinusoidal or learned table.
 * `offset` is an int64 [1] value or null for 0.
 */
export function addPositions(g: GraphBuilder, m: SinusoidalPositionalEncoding | LearnedPositionalEmbedding, x: string, offset: string | null): string {
  const table = g.weight(m instanceof LearnedPositionalEmbedding ? m.weight : m.pe); // [maxLen, E]
  const start = offset ?? g.ints([0]);
  const rows = g.op('Slice', [table, start, g.op('Add', [start, dimOf(g, x, 1)]), g.ints([0])]); // [T, E]
  return g.op('Add', [x, rows]);
}

/** Token embeddings × √E, then positions: ids [B, T] → [B, T, E]. */
export function embedTokens(g: GraphBuilder, emb: Parameters<typeof embedding>[1], positional: SinusoidalPositionalEncoding | LearnedPositionalEmbedding, ids: string, dModel: number, offset: string | null): string {
  return addPositions(g, positional, g.op('Mul', [embedding(g, emb, ids), g.scalar(Math.sqrt(dModel))]), offset);
}

/**
 * TransformerClassifier: `input_ids` int64 [batch, sequence] → `logits` [batch, C] (+ `attentions.N`).
 * Pad tokens are masked as keys and left out of the mean, as the module does.
 */
export const exportClassifier: ModelExporter<TransformerClassifier> = (g, model, options) => {
  rejectOptions('TransformerClassifier', options, ['attentionOutputs']);
  const E = model.dModel;
  const H = model.encoder.layers.get(0).nhead;
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  const isPad = g.op('Equal', [ids, g.ints([model.padId], [])]); // [B, T]
  const x = embedTokens(g, model.embedding, model.positional, ids, E, null);
  const { y, probs } = g.scoped('encoder', () => encoderStack(g, model.encoder, x, paddingKeep(g, isPad), 'TransformerClassifier.encoder'));
  const keep = g.op('Unsqueeze', [g.op('Cast', [g.op('Not', [isPad])], { to: 1 }), g.ints([-1])]); // [B, T, 1]
  const sum = g.op('ReduceSum', [g.op('Mul', [y, keep]), g.ints([1])], { keepdims: 0 }); // [B, E]
  const count = g.op('Max', [g.op('ReduceSum', [keep, g.ints([1])], { keepdims: 0 }), g.scalar(1)]); // [B, 1]
  g.output(linear(g, model.classifier, g.op('Div', [sum, count])), 'logits', 'float32', ['batch', model.classifier.weight.shape[0]!]);
  if (options.attentionOutputs) probs.forEach((p, i) => g.output(p, `attentions.${i}`, 'float32', ['batch', H, 'sequence', 'sequence']));
};

/**
 * VisionTransformer: `pixel_values` [batch, C, S, S] → `logits` [batch, classes]; a model without a
 * head gives `last_hidden_state` [batch, N + 1, E] and `pooler_output` [batch, E] (the pooler's
 * tanh output, or the CLS features without one) as Hugging Face's ViTModel. Plus `attentions.N`.
 */
export const exportViT: ModelExporter<VisionTransformer> = (g, model, options) => {
  rejectOptions('VisionTransformer', options, ['attentionOutputs']);
  const [C, S, P] = [model.inChannels, model.imageSize, model.patchSize];
  const side = S / P;
  const E = model.patchEmbedding.weight.shape[0]!;
  const H = model.encoder.layers.get(0).nhead;
  const images = g.input('pixel_values', 'float32', ['batch', C, S, S]);
  const grid = g.op('Reshape', [images, g.ints([0, C, side, P, side, P])]);
  const patches = g.op('Reshape', [g.op('Transpose', [grid], { perm: [0, 2, 4, 1, 3, 5] }), g.ints([0, side * side, C * P * P])]); // [B, N, C·P·P]
  const tokens = linear(g, model.patchEmbedding, patches); // [B, N, E]
  const cls = g.op('Expand', [g.weight(model.clsToken), g.op('Concat', [dimOf(g, images, 0), g.ints([1, E])], { axis: 0 })]); // [B, 1, E]
  const x = g.op('Add', [g.op('Concat', [cls, tokens], { axis: 1 }), g.weight(model.posEmbedding)]); // [B, N + 1, E]
  const { y, probs } = g.scoped('encoder', () => encoderStack(g, model.encoder, x, null, 'VisionTransformer.encoder'));
  const first = g.op('Gather', [y, g.ints([0], [])], { axis: 1 }); // the CLS output [B, E]
  if (model.head) {
    g.output(linear(g, model.head, first), 'logits', 'float32', ['batch', model.head.weight.shape[0]!]);
  } else {
    g.output(y, 'last_hidden_state', 'float32', ['batch', side * side + 1, E]);
    g.output(model.pooler ? g.op('Tanh', [linear(g, model.pooler, first)]) : first, 'pooler_output', 'float32', ['batch', E]);
  }
  if (options.attentionOutputs) probs.forEach((p, i) => g.output(p, `attentions.${i}`, 'float32', ['batch', H, side * side + 1, side * side + 1]));
};

/** The table rows this file adds to `exportOnnx`. */
export const encoderModelExporters = [
  [TransformerClassifier, exportClassifier, 'TransformerClassifier'],
  [VisionTransformer, exportViT, 'VisionTransformer'],
] as const;

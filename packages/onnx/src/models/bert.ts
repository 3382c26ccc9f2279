// BERT → ONNX with the Hub's signature: input_ids, attention_mask, token_type_ids (int64
// [batch, sequence]) → last_hidden_state + pooler_output (BertModel) or logits (the MLM and
// sequence-classification heads), plus `attentions.N` on request.
import { BertForMaskedLM, BertForSequenceClassification, BertModel } from '@qkv/transformer';
import type { GraphBuilder } from '../graph/builder.js';
import { paddingKeep } from '../emit/attention.js';
import { activation, embedding, layerNorm, linear, scalarDimOf } from '../emit/layers.js';
import type { ActivationKind } from '../emit/layers.js';
import { encoderStack, withActivation } from '../emit/transformer.js';
import { rejectOptions } from './options.js';
import type { ModelExporter, ResolvedOptions } from './options.js';

/** hiddenAct as the exporter names it (gelu_tanh is a function inside the layers). */
const act = (m: BertModel): ActivationKind => m.config.hiddenAct ?? 'gelu';

/** The encoder's output [B, T, E] and the per-layer weights, with the Hub's three inputs declared. */
function body(g: GraphBuilder, bert: BertModel, prefix: string): { hidden: string; probs: string[] } {
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  const mask = g.input('attention_mask', 'int64', ['batch', 'sequence']);
  const types = g.input('token_type_ids', 'int64', ['batch', 'sequence']);
  const e = bert.embeddings;
  const x = g.scoped(`${prefix}embeddings`, () => {
    const positions = g.op('Range', [g.ints([0], []), scalarDimOf(g, ids, 1), g.ints([1], [])]); // [T]
    const sum = g.op('Add', [g.op('Add', [embedding(g, e.wordEmbeddings, ids), embedding(g, e.positionEmbeddings, positions)]), embedding(g, e.tokenTypeEmbeddings, types)]);
    return layerNorm(g, e.layerNorm, sum);
  });
  const keep = paddingKeep(g, g.op('Equal', [mask, g.ints([0], [])]));
  const { y, probs } = g.scoped(`${prefix}encoder`, () => withActivation(act(bert), () => encoderStack(g, bert.encoder, x, keep, `${prefix}encoder`)));
  return { hidden: y, probs };
}

function attentions(g: GraphBuilder, bert: BertModel, probs: string[], options: ResolvedOptions): void {
  if (!options.attentionOutputs) return;
  const H = bert.config.numAttentionHeads;
  probs.forEach((p, i) => g.output(p, `attentions.${i}`, 'float32', ['batch', H, 'sequence', 'sequence']));
}

/** BertModel: → `last_hidden_state` [batch, sequence, E], `pooler_output` [batch, E] (when it has a pooler). */
export const exportBertModel: ModelExporter<BertModel> = (g, bert, options) => {
  rejectOptions('BertModel', options, ['attentionOutputs']);
  const E = bert.config.hiddenSize;
  const { hidden, probs } = body(g, bert, '');
  g.output(hidden, 'last_hidden_state', 'float32', ['batch', 'sequence', E]);
  if (bert.pooler) g.output(g.op('Tanh', [linear(g, bert.pooler, g.op('Gather', [hidden, g.ints([0], [])], { axis: 1 }))]), 'pooler_output', 'float32', ['batch', E]);
  attentions(g, bert, probs, options);
};

/** BertForMaskedLM: → `logits` [batch, sequence, V] (decoder tied to the word embeddings: one initializer). */
export const exportBertForMaskedLM: ModelExporter<BertForMaskedLM> = (g, model, options) => {
  rejectOptions('BertForMaskedLM', options, ['attentionOutputs']);
  const { hidden, probs } = body(g, model.bert, 'bert.');
  const t = layerNorm(g, model.transformNorm, activation(g, act(model.bert), linear(g, model.transform, hidden), 'BertForMaskedLM.transform'));
  g.output(linear(g, model.decoder, t), 'logits', 'float32', ['batch', 'sequence', model.decoder.weight.shape[0]!]);
  attentions(g, model.bert, probs, options);
};

/** BertForSequenceClassification: → `logits` [batch, labels] from the pooled CLS. */
export const exportBertForSequenceClassification: ModelExporter<BertForSequenceClassification> = (g, model, options) => {
  rejectOptions('BertForSequenceClassification', options, ['attentionOutputs']);
  const { hidden, probs } = body(g, model.bert, 'bert.');
  const pooled = g.op('Tanh', [linear(g, model.bert.pooler!, g.op('Gather', [hidden, g.ints([0], [])], { axis: 1 }))]);
  g.output(linear(g, model.classifier, pooled), 'logits', 'float32', ['batch', model.numLabels]);
  attentions(g, model.bert, probs, options);
};

/** The table rows this file adds to `exportOnnx`. */
export const bertExporters = [
  [BertForMaskedLM, exportBertForMaskedLM, 'BertForMaskedLM'],
  [BertForSequenceClassification, exportBertForSequenceClassification, 'BertForSequenceClassification'],
  [BertModel, exportBertModel, 'BertModel'],
] as const;

// BERT (`model_type: bert`) on transformer's BertModel / BertForMaskedLM / BertForSequenceClassification:
// Hugging Face's query/key/value are BertSelfAttention's own Linear modules (one tensor each, same
// names), its attention.output / intermediate / output blocks the encoder layer's out_proj / linear1 / linear2 / norms.
import { init } from '@qkv/nn';
import type { Module } from '@qkv/nn';
import { BertForMaskedLM, BertForSequenceClassification, BertModel } from '@qkv/transformer';
import type { BertConfig } from '@qkv/transformer';
import { LIMITS, PretrainedError } from '../config.js';
import type { HubConfig } from '../config.js';
import type { Family } from '../family.js';
import { expandRules } from '../names.js';
import type { NameMap, NameRule } from '../names.js';

/** BertModel: qkv name ↔ Hub name (both relative to the base model). */
const BASE: readonly NameRule[] = [
  { qkv: 'embeddings.word_embeddings.weight', hub: 'embeddings.word_embeddings.weight' },
  { qkv: 'embeddings.position_embeddings.weight', hub: 'embeddings.position_embeddings.weight' },
  { qkv: 'embeddings.token_type_embeddings.weight', hub: 'embeddings.token_type_embeddings.weight' },
  { qkv: 'embeddings.layer_norm.weight', hub: 'embeddings.LayerNorm.weight' },
  { qkv: 'embeddings.layer_norm.bias', hub: 'embeddings.LayerNorm.bias' },
  { qkv: 'encoder.layers.{i}.self_attn.query.weight', hub: 'encoder.layer.{i}.attention.self.query.weight' },
  { qkv: 'encoder.layers.{i}.self_attn.query.bias', hub: 'encoder.layer.{i}.attention.self.query.bias' },
  { qkv: 'encoder.layers.{i}.self_attn.key.weight', hub: 'encoder.layer.{i}.attention.self.key.weight' },
  { qkv: 'encoder.layers.{i}.self_attn.key.bias', hub: 'encoder.layer.{i}.attention.self.key.bias' },
  { qkv: 'encoder.layers.{i}.self_attn.value.weight', hub: 'encoder.layer.{i}.attention.self.value.weight' },
  { qkv: 'encoder.layers.{i}.self_attn.value.bias', hub: 'encoder.layer.{i}.attention.self.value.bias' },
  { qkv: 'encoder.layers.{i}.self_attn.out_proj.weight', hub: 'encoder.layer.{i}.attention.output.dense.weight' },
  { qkv: 'encoder.layers.{i}.self_attn.out_proj.bias', hub: 'encoder.layer.{i}.attention.output.dense.bias' },
  { qkv: 'encoder.layers.{i}.norm1.weight', hub: 'encoder.layer.{i}.attention.output.LayerNorm.weight' },
  { qkv: 'encoder.layers.{i}.norm1.bias', hub: 'encoder.layer.{i}.attention.output.LayerNorm.bias' },
  { qkv: 'encoder.layers.{i}.linear1.weight', hub: 'encoder.layer.{i}.intermediate.dense.weight' },
  { qkv: 'encoder.layers.{i}.linear1.bias', hub: 'encoder.layer.{i}.intermediate.dense.bias' },
  { qkv: 'encoder.layers.{i}.linear2.weight', hub: 'encoder.layer.{i}.output.dense.weight' },
  { qkv: 'encoder.layers.{i}.linear2.bias', hub: 'encoder.layer.{i}.output.dense.bias' },
  { qkv: 'encoder.layers.{i}.norm2.weight', hub: 'encoder.layer.{i}.output.LayerNorm.weight' },
  { qkv: 'encoder.layers.{i}.norm2.bias', hub: 'encoder.layer.{i}.output.LayerNorm.bias' },
];
const POOLER: readonly NameRule[] = [
  { qkv: 'pooler.weight', hub: 'pooler.dense.weight' },
  { qkv: 'pooler.bias', hub: 'pooler.dense.bias' },
];
/** BertForMaskedLM's head (outside the `bert.` prefix). */
const MLM_HEAD: readonly NameRule[] = [
  { qkv: 'transform.weight', hub: 'cls.predictions.transform.dense.weight' },
  { qkv: 'transform.bias', hub: 'cls.predictions.transform.dense.bias' },
  { qkv: 'transform_norm.weight', hub: 'cls.predictions.transform.LayerNorm.weight' },
  { qkv: 'transform_norm.bias', hub: 'cls.predictions.transform.LayerNorm.bias' },
  { qkv: 'decoder.bias', hub: 'cls.predictions.bias' },
];
const CLS_HEAD: readonly NameRule[] = [
  { qkv: 'classifier.weight', hub: 'classifier.weight' },
  { qkv: 'classifier.bias', hub: 'classifier.bias' },
];
const IGNORE = [/^(bert\.)?embeddings\.position_ids$/];

/** The architectures and how each is built: base rules under `bert.` (or not), head rules, tied weights. */
const ARCHITECTURES = new Map<string, { prefix: string; pooler: boolean; head: readonly NameRule[]; tied: string[]; ignore: RegExp[] }>([
  ['BertModel', { prefix: '', pooler: true, head: [], tied: [], ignore: [] }],
  ['BertForMaskedLM', { prefix: 'bert.', pooler: false, head: MLM_HEAD, tied: ['decoder.weight'], ignore: [/^cls\.predictions\.decoder\.(weight|bias)$/, /^bert\.pooler\.dense\.(weight|bias)$/] }],
  // bert-base-uncased's own checkpoint: the MLM model, its next-sentence head left unused.
  ['BertForPreTraining', { prefix: 'bert.', pooler: false, head: MLM_HEAD, tied: ['decoder.weight'], ignore: [/^cls\.predictions\.decoder\.(weight|bias)$/, /^bert\.pooler\.dense\.(weight|bias)$/, /^cls\.seq_relationship\.(weight|bias)$/] }],
  ['BertForSequenceClassification', { prefix: 'bert.', pooler: true, head: CLS_HEAD, tied: [], ignore: [] }],
]);

function names(architecture: string, layers: number): NameMap {
  const a = ARCHITECTURES.get(architecture)!;
  return {
    rules: [...expandRules([...BASE, ...(a.pooler ? POOLER : [])], layers, a.prefix, a.prefix), ...a.head],
    tied: a.tied,
    ignore: [...IGNORE, ...a.ignore],
    prefix: 'bert',
    aliases: [['cls.predictions.bias', 'cls.predictions.decoder.bias']],
  };
}

const ACTIVATIONS = new Map<string, NonNullable<BertConfig['hiddenAct']>>([['gelu', 'gelu'], ['gelu_new', 'gelu_tanh'], ['gelu_pytorch_tanh', 'gelu_tanh'], ['relu', 'relu']]);

export const bert: Family = {
  modelType: 'bert',
  architectures: [...ARCHITECTURES.keys()],

  build(c: HubConfig, architecture: string) {
    const hiddenSize = c.int('hidden_size', 1, LIMITS.width);
    const heads = c.int('num_attention_heads', 1, LIMITS.heads);
    if (hiddenSize % heads !== 0) throw c.error(`${hiddenSize} must be divisible by num_attention_heads = ${heads}`, 'hidden_size');
    c.oneOf('position_embedding_type', ['absolute'], 'absolute');
    c.requireAbsentOr('is_decoder', false, 'a causal decoder');
    c.requireAbsentOr('add_cross_attention', false, 'cross-attention layers');
    const config: BertConfig = {
      vocabSize: c.int('vocab_size', 1, LIMITS.vocab),
      hiddenSize,
      numHiddenLayers: c.int('num_hidden_layers', 1, LIMITS.layers),
      numAttentionHeads: heads,
      intermediateSize: c.int('intermediate_size', 1, 16 * LIMITS.width),
      maxPositionEmbeddings: c.int('max_position_embeddings', 1, LIMITS.positions),
      typeVocabSize: c.int('type_vocab_size', 1, 1024, 2),
      layerNormEps: c.positive('layer_norm_eps', 1, 1e-12),
      hiddenAct: ACTIVATIONS.get(c.oneOf('hidden_act', [...ACTIVATIONS.keys()], 'gelu'))!,
      dropout: 0,
    };
    const numLabels = c.labels()?.length ?? c.int('num_labels', 1, LIMITS.labels, 2);
    const { vocabSize: V, maxPositionEmbeddings: P, typeVocabSize: T, numHiddenLayers: L, intermediateSize: I } = config;
    const E = hiddenSize;
    // the three embeddings + per layer q, k, v, output (4E²) and the MLP (2EI), biases, norms and heads left out
    c.checkParameters((V + P + (T ?? 2)) * E + L * (4 * E * E + 2 * E * I), `vocab_size ${V}, max_position_embeddings ${P}, hidden_size ${E}, num_hidden_layers ${L}, intermediate_size ${I}`);
    const model = init.skipInit(() => (architecture === 'BertModel' ? new BertModel(config)
      : architecture === 'BertForSequenceClassification' ? new BertForSequenceClassification(config, numLabels)
        : new BertForMaskedLM(config)));
    return { model: model.eval(), names: names(architecture, config.numHiddenLayers) };
  },

  describe(model: Module) {
    const architecture = model instanceof BertForMaskedLM ? 'BertForMaskedLM' : model instanceof BertForSequenceClassification ? 'BertForSequenceClassification' : model instanceof BertModel ? 'BertModel' : null;
    if (!architecture) return null;
    const base = model instanceof BertModel ? model : (model as BertForMaskedLM | BertForSequenceClassification).bert;
    if (architecture === 'BertModel' && !base.pooler) throw new PretrainedError('savePretrained: a BertModel without pooler has no Hugging Face layout; save the BertForMaskedLM that holds it');
    const b = base.config;
    const act = [...ACTIVATIONS].find(([, v]) => v === (b.hiddenAct ?? 'gelu'))![0];
    const config: Record<string, unknown> = {
      architectures: [architecture], attention_probs_dropout_prob: b.dropout ?? 0.1, classifier_dropout: null,
      hidden_act: act, hidden_dropout_prob: b.dropout ?? 0.1, hidden_size: b.hiddenSize, initializer_range: 0.02,
      intermediate_size: b.intermediateSize, layer_norm_eps: b.layerNormEps ?? 1e-12, max_position_embeddings: b.maxPositionEmbeddings,
      model_type: 'bert', num_attention_heads: b.numAttentionHeads, num_hidden_layers: b.numHiddenLayers, pad_token_id: 0,
      position_embedding_type: 'absolute', torch_dtype: 'float32', type_vocab_size: b.typeVocabSize ?? 2, use_cache: true, vocab_size: b.vocabSize,
    };
    if (model instanceof BertForSequenceClassification) {
      config.id2label = Object.fromEntries(Array.from({ length: model.numLabels }, (_, i) => [String(i), `LABEL_${i}`]));
      config.label2id = Object.fromEntries(Array.from({ length: model.numLabels }, (_, i) => [`LABEL_${i}`, i]));
    }
    return { config, names: names(architecture, b.numHiddenLayers) };
  },
};

// ViT (`model_type: vit`) on transformer's VisionTransformer: the patch convolution [E, C, P, P] is
// the patch Linear [E, C·P·P] regrouped, separate query/key/value become `in_proj_*`, and
// layernorm_before/after are the pre-norm layer's norm1/norm2.
import { init } from '@qkv/nn';
import type { Module } from '@qkv/nn';
import { VisionTransformer } from '@qkv/transformer';
import { LIMITS, PretrainedError } from '../config.js';
import type { HubConfig } from '../config.js';
import type { Family } from '../family.js';
import { expandRules } from '../names.js';
import type { NameMap, NameRule } from '../names.js';

/** ViTModel: qkv name (VisionTransformer) ↔ Hub name (relative to the base model). */
const BASE: readonly NameRule[] = [
  { qkv: 'cls_token', hub: 'embeddings.cls_token' },
  { qkv: 'pos_embedding', hub: 'embeddings.position_embeddings' },
  { qkv: 'patch_embedding.weight', hub: 'embeddings.patch_embeddings.projection.weight', transform: 'reshape' },
  { qkv: 'patch_embedding.bias', hub: 'embeddings.patch_embeddings.projection.bias' },
  { qkv: 'encoder.layers.{i}.self_attn.in_proj_weight', hub: ['encoder.layer.{i}.attention.attention.query.weight', 'encoder.layer.{i}.attention.attention.key.weight', 'encoder.layer.{i}.attention.attention.value.weight'] },
  { qkv: 'encoder.layers.{i}.self_attn.in_proj_bias', hub: ['encoder.layer.{i}.attention.attention.query.bias', 'encoder.layer.{i}.attention.attention.key.bias', 'encoder.layer.{i}.attention.attention.value.bias'] },
  { qkv: 'encoder.layers.{i}.self_attn.out_proj.weight', hub: 'encoder.layer.{i}.attention.output.dense.weight' },
  { qkv: 'encoder.layers.{i}.self_attn.out_proj.bias', hub: 'encoder.layer.{i}.attention.output.dense.bias' },
  { qkv: 'encoder.layers.{i}.linear1.weight', hub: 'encoder.layer.{i}.intermediate.dense.weight' },
  { qkv: 'encoder.layers.{i}.linear1.bias', hub: 'encoder.layer.{i}.intermediate.dense.bias' },
  { qkv: 'encoder.layers.{i}.linear2.weight', hub: 'encoder.layer.{i}.output.dense.weight' },
  { qkv: 'encoder.layers.{i}.linear2.bias', hub: 'encoder.layer.{i}.output.dense.bias' },
  { qkv: 'encoder.layers.{i}.norm1.weight', hub: 'encoder.layer.{i}.layernorm_before.weight' },
  { qkv: 'encoder.layers.{i}.norm1.bias', hub: 'encoder.layer.{i}.layernorm_before.bias' },
  { qkv: 'encoder.layers.{i}.norm2.weight', hub: 'encoder.layer.{i}.layernorm_after.weight' },
  { qkv: 'encoder.layers.{i}.norm2.bias', hub: 'encoder.layer.{i}.layernorm_after.bias' },
  { qkv: 'encoder.norm.weight', hub: 'layernorm.weight' },
  { qkv: 'encoder.norm.bias', hub: 'layernorm.bias' },
];
const POOLER: readonly NameRule[] = [
  { qkv: 'pooler.weight', hub: 'pooler.dense.weight' },
  { qkv: 'pooler.bias', hub: 'pooler.dense.bias' },
];
const CLASSIFIER: readonly NameRule[] = [
  { qkv: 'head.weight', hub: 'classifier.weight' },
  { qkv: 'head.bias', hub: 'classifier.bias' },
];

function names(vit: VisionTransformer): NameMap {
  const { inChannels: C, patchSize: P } = vit;
  const E = vit.patchEmbedding.weight.shape[0]!;
  const classify = vit.head !== null;
  const base = expandRules(BASE, vit.encoder.numLayers, '', classify ? 'vit.' : '').map((r) => (r.transform === 'reshape' ? { ...r, hubShape: [E, C, P, P] } : r));
  return {
    rules: [...base, ...(classify ? CLASSIFIER : vit.pooler ? POOLER : [])],
    tied: [],
    ignore: [/^vit\.pooler\.dense\.(weight|bias)$/],
    prefix: 'vit',
  };
}

export const vit: Family = {
  modelType: 'vit',
  architectures: ['ViTModel', 'ViTForImageClassification'],

  build(c: HubConfig, architecture: string) {
    const hidden = c.int('hidden_size', 1, LIMITS.width);
    const heads = c.int('num_attention_heads', 1, LIMITS.heads);
    if (hidden % heads !== 0) throw c.error(`${hidden} must be divisible by num_attention_heads = ${heads}`, 'hidden_size');
    const imageSize = c.int('image_size', 1, 16_384, 224);
    const patchSize = c.int('patch_size', 1, imageSize, 16);
    if (imageSize % patchSize !== 0) throw c.error(`${patchSize} must divide image_size = ${imageSize}`, 'patch_size');
    c.oneOf('hidden_act', ['gelu'], 'gelu');
    c.requireAbsentOr('qkv_bias', true, 'query/key/value without biases');
    const classify = architecture === 'ViTForImageClassification';
    const inChannels = c.int('num_channels', 1, 64, 3);
    const depth = c.int('num_hidden_layers', 1, LIMITS.layers);
    const mlpDim = c.int('intermediate_size', 1, 16 * LIMITS.width);
    const patches = (imageSize / patchSize) ** 2;
    // patch projection (C·p²·E) + positions ((N + 1)·E) + per layer q, k, v, output (4E²) and the MLP (2E·I), biases, norms and head left out
    c.checkParameters(inChannels * patchSize * patchSize * hidden + (patches + 1) * hidden + depth * (4 * hidden * hidden + 2 * hidden * mlpDim), `image_size ${imageSize}, patch_size ${patchSize}, num_channels ${inChannels}, hidden_size ${hidden}, num_hidden_layers ${depth}, intermediate_size ${mlpDim}`);
    const model = init.skipInit(() => new VisionTransformer({
      imageSize, patchSize,
      inChannels,
      numClasses: classify ? c.labels()?.length ?? c.int('num_labels', 1, LIMITS.labels, 2) : 0,
      dModel: hidden,
      depth,
      nhead: heads,
      mlpDim,
      layerNormEps: c.positive('layer_norm_eps', 1, 1e-12),
      pooler: !classify,
    }));
    return { model: model.eval(), names: names(model) };
  },

  describe(model: Module) {
    if (!(model instanceof VisionTransformer)) return null;
    const layer = model.encoder.layers.get(0);
    const eps = layer.options.layerNormEps;
    if (model.encoder.norm?.eps !== eps) throw new PretrainedError(`savePretrained: ViT's layout has one layer_norm_eps; this model's layers use ${eps} and its final norm ${model.encoder.norm?.eps} (build it with layerNormEps)`);
    if (model.head && model.pooler) throw new PretrainedError('savePretrained: ViTForImageClassification has no pooler; this model has both a head and a pooler');
    if (!model.head && !model.pooler) throw new PretrainedError('savePretrained: a ViT with neither head nor pooler has no Hugging Face layout (build it with pooler: true for ViTModel)');
    const classes = model.head?.weight.shape[0];
    const config: Record<string, unknown> = {
      architectures: [classes ? 'ViTForImageClassification' : 'ViTModel'], attention_probs_dropout_prob: layer.options.dropout,
      encoder_stride: model.patchSize, hidden_act: 'gelu', hidden_dropout_prob: layer.options.dropout, hidden_size: layer.dModel,
      image_size: model.imageSize, initializer_range: 0.02, intermediate_size: layer.options.dimFeedforward, layer_norm_eps: eps,
      model_type: 'vit', num_attention_heads: layer.nhead, num_channels: model.inChannels, num_hidden_layers: model.encoder.numLayers,
      patch_size: model.patchSize, qkv_bias: true, torch_dtype: 'float32',
    };
    if (classes) {
      config.id2label = Object.fromEntries(Array.from({ length: classes }, (_, i) => [String(i), `LABEL_${i}`]));
      config.label2id = Object.fromEntries(Array.from({ length: classes }, (_, i) => [`LABEL_${i}`, i]));
    }
    return { config, names: names(model) };
  },
};

// GPT-2 (`model_type: gpt2`) on qkv's GPT: the names are nanoGPT's, which are GPT-2's, except that
// GPT-2's Conv1D layers store their weights [in, out] (transposed here), `lm_head` is tied to `wte`,
// and Hugging Face files may drop the `transformer.` prefix and carry causal-mask buffers.
import { init } from '@qkv/nn';
import type { Module } from '@qkv/nn';
import { GPT } from '@qkv/transformer';
import { LIMITS, PretrainedError } from '../config.js';
import type { HubConfig } from '../config.js';
import type { Family } from '../family.js';
import { expandRules } from '../names.js';
import type { NameMap, NameRule } from '../names.js';

/** Hub name ↔ qkv name, per layer `{i}` (both relative to `transformer.`). */
const LAYER: readonly NameRule[] = [
  { qkv: 'wte.weight', hub: 'wte.weight' },
  { qkv: 'wpe.weight', hub: 'wpe.weight' },
  { qkv: 'h.{i}.ln_1.weight', hub: 'h.{i}.ln_1.weight' },
  { qkv: 'h.{i}.ln_1.bias', hub: 'h.{i}.ln_1.bias' },
  { qkv: 'h.{i}.attn.c_attn.weight', hub: 'h.{i}.attn.c_attn.weight', transform: 'transpose' },
  { qkv: 'h.{i}.attn.c_attn.bias', hub: 'h.{i}.attn.c_attn.bias' },
  { qkv: 'h.{i}.attn.c_proj.weight', hub: 'h.{i}.attn.c_proj.weight', transform: 'transpose' },
  { qkv: 'h.{i}.attn.c_proj.bias', hub: 'h.{i}.attn.c_proj.bias' },
  { qkv: 'h.{i}.ln_2.weight', hub: 'h.{i}.ln_2.weight' },
  { qkv: 'h.{i}.ln_2.bias', hub: 'h.{i}.ln_2.bias' },
  { qkv: 'h.{i}.mlp.c_fc.weight', hub: 'h.{i}.mlp.c_fc.weight', transform: 'transpose' },
  { qkv: 'h.{i}.mlp.c_fc.bias', hub: 'h.{i}.mlp.c_fc.bias' },
  { qkv: 'h.{i}.mlp.c_proj.weight', hub: 'h.{i}.mlp.c_proj.weight', transform: 'transpose' },
  { qkv: 'h.{i}.mlp.c_proj.bias', hub: 'h.{i}.mlp.c_proj.bias' },
  { qkv: 'ln_f.weight', hub: 'ln_f.weight' },
  { qkv: 'ln_f.bias', hub: 'ln_f.bias' },
];

/** Hugging Face's `activation_function` ↔ GPT's `geluApproximate`. */
const ACTIVATIONS = new Map<string, 'none' | 'tanh'>([['gelu_new', 'tanh'], ['gelu_pytorch_tanh', 'tanh'], ['gelu', 'none']]);

function names(nLayer: number): NameMap {
  return {
    rules: expandRules(LAYER, nLayer, 'transformer.', 'transformer.'),
    tied: ['lm_head.weight'],
    ignore: [/^(transformer\.)?h\.\d+\.attn\.(bias|masked_bias)$/, /^lm_head\.weight$/],
    prefix: 'transformer',
  };
}

export const gpt2: Family = {
  modelType: 'gpt2',
  architectures: ['GPT2LMHeadModel', 'GPT2Model'],

  build(c: HubConfig) {
    const nEmbd = c.int('n_embd', 1, LIMITS.width);
    const nHead = c.int('n_head', 1, LIMITS.heads);
    if (nEmbd % nHead !== 0) throw c.error(`${nEmbd} must be divisible by n_head = ${nHead}`, 'n_embd');
    const nLayer = c.int('n_layer', 1, LIMITS.layers);
    const nInner = c.int('n_inner', 1, 4 * LIMITS.width, 4 * nEmbd);
    if (nInner !== 4 * nEmbd) throw c.error(`is ${nInner}; qkv's GPT implements only 4·n_embd = ${4 * nEmbd}`, 'n_inner');
    c.int('n_ctx', 1, LIMITS.positions, 1);
    c.requireAbsentOr('scale_attn_weights', true, 'unscaled attention scores');
    c.requireAbsentOr('scale_attn_by_inverse_layer_idx', false, 'scores divided by the layer index');
    c.requireAbsentOr('add_cross_attention', false, 'cross-attention layers');
    c.requireAbsentOr('tie_word_embeddings', true, 'an untied lm_head');
    c.bool('reorder_and_upcast_attn', false); // the same maths, in float32 either way here
    const activation = c.oneOf('activation_function', [...ACTIVATIONS.keys()], 'gelu_new');
    const vocabSize = c.int('vocab_size', 1, LIMITS.vocab);
    const blockSize = c.int('n_positions', 1, LIMITS.positions);
    // wte + wpe + per layer c_attn (3E²), c_proj (E²) and the MLP (8E²), biases and norms left out
    c.checkParameters((vocabSize + blockSize) * nEmbd + 12 * nLayer * nEmbd * nEmbd, `vocab_size ${vocabSize}, n_positions ${blockSize}, n_embd ${nEmbd}, n_layer ${nLayer}`);
    const model = init.skipInit(() => new GPT({
      vocabSize,
      blockSize,
      nLayer, nHead, nEmbd,
      geluApproximate: ACTIVATIONS.get(activation)!,
      layerNormEps: c.positive('layer_norm_epsilon', 1, 1e-5),
    }));
    return { model: model.eval(), names: names(nLayer) };
  },

  describe(model: Module) {
    if (!(model instanceof GPT)) return null;
    const g = model.config;
    const refuse = (what: string) => new PretrainedError(`savePretrained: GPT-2's layout cannot hold a GPT with ${what}`);
    if (g.positional !== 'learned') throw refuse(`positional: '${g.positional}'`);
    if (!g.bias) throw refuse('bias: false');
    if (!g.tieWeights) throw refuse('tieWeights: false');
    return {
      config: {
        activation_function: g.geluApproximate === 'tanh' ? 'gelu_new' : 'gelu', architectures: ['GPT2LMHeadModel'],
        attn_pdrop: g.dropout, embd_pdrop: g.dropout, resid_pdrop: g.dropout, initializer_range: 0.02,
        layer_norm_epsilon: g.layerNormEps, model_type: 'gpt2', n_ctx: g.blockSize, n_embd: g.nEmbd, n_head: g.nHead,
        n_inner: null, n_layer: g.nLayer, n_positions: g.blockSize, reorder_and_upcast_attn: false,
        scale_attn_by_inverse_layer_idx: false, scale_attn_weights: true, tie_word_embeddings: true,
        torch_dtype: 'float32', use_cache: true, vocab_size: g.vocabSize,
      },
      names: names(g.nLayer),
    };
  },
};

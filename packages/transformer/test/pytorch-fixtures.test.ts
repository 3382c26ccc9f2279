// Golden values computed by PyTorch itself (2.11, CPU, float64, eval mode, dropout 0), not by the
// numpy port: fixtures/torch/*.json, written by tooling/reference-fixtures/make_fixtures.py
// (encoder_case, decoder_case, transformer_case) from nn.TransformerEncoderLayer,
// nn.TransformerDecoderLayer and nn.Transformer with deterministic weights (`fill`). Each holds the
// state dict under PyTorch's names, the inputs and masks, the output, the per-head attention weights
// of the layers, and `grads`: the gradient of sum(output * grad_output) with respect to the inputs
// (src / tgt / memory) and to every parameter ('state_dict.<name>').
//
// qkv computes in float32, PyTorch in float64; inputs and weights are rounded to 4 decimals so that
// float32 holds them almost exactly, so the float32 rounding of qkv's own arithmetic is all that
// differs: { atol: 2e-5, rtol: 1e-4 }, as the numpy fixtures in layers.test.ts (no loosening; the
// largest differences seen, outputs and gradients alike, are a few 1e-6).
import { describe, expect, it } from 'vitest';
import type { Module } from '@qkv/nn';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose } from '@qkv/tensor-core/testing';
import { Transformer, TransformerDecoderLayer, TransformerEncoderLayer } from '../src/index.js';
import type { Activation } from '../src/index.js';
import { loadFixture } from './fixtures.js';
import type { Fixture } from './fixtures.js';

const tol = { atol: 2e-5, rtol: 1e-4 };

/** The output, and the per-head attention weights by fixture output name (layers only). */
interface Run {
  output: Tensor;
  weights: Record<string, Tensor>;
}

/** A fixture's case: how to build the module and run it on (differentiable) inputs. */
interface Case {
  /** The inputs that get gradients, by their fixture name. */
  differentiable: string[];
  build(f: Fixture): Module;
  /** Through `forward`, or through `forwardWithAttention` when `withWeights`. */
  run(m: Module, f: Fixture, x: Record<string, Tensor>, withWeights: boolean): Run;
}

function layerOptions(config: Fixture['config']) {
  return {
    dimFeedforward: config.dim_feedforward as number, normFirst: config.norm_first as boolean,
    activation: config.activation as Activation, dropout: 0,
  };
}

const encoderLayer: Case = {
  differentiable: ['src'],
  build: ({ config }) => new TransformerEncoderLayer(config.d_model as number, config.nhead as number, layerOptions(config)),
  run(m, { inputs }, x, withWeights): Run {
    const layer = m as TransformerEncoderLayer;
    const opts = { srcKeyPaddingMask: inputs.src_key_padding_mask! };
    if (!withWeights) return { output: layer.forward(x.src!, opts), weights: {} };
    const { output, selfAttention } = layer.forwardWithAttention(x.src!, opts);
    return { output, weights: { self_attn_weights: selfAttention } };
  },
};

const decoderLayer: Case = {
  differentiable: ['tgt', 'memory'],
  build: ({ config }) => new TransformerDecoderLayer(config.d_model as number, config.nhead as number, layerOptions(config)),
  run(m, { inputs }, x, withWeights): Run {
    const layer = m as TransformerDecoderLayer;
    const opts = {
      tgtMask: inputs.tgt_mask!, tgtKeyPaddingMask: inputs.tgt_key_padding_mask ?? null, memoryKeyPaddingMask: inputs.memory_key_padding_mask!,
    };
    if (!withWeights) return { output: layer.forward(x.tgt!, x.memory!, opts), weights: {} };
    const { output, selfAttention, crossAttention } = layer.forwardWithAttention(x.tgt!, x.memory!, opts);
    return { output, weights: { self_attn_weights: selfAttention, cross_attn_weights: crossAttention } };
  },
};

const transformer: Case = {
  differentiable: ['src', 'tgt'],
  build: ({ config }) => new Transformer({
    dModel: config.d_model as number, nhead: config.nhead as number,
    numEncoderLayers: config.num_encoder_layers as number, numDecoderLayers: config.num_decoder_layers as number, ...layerOptions(config),
  }),
  run(m, { inputs }, x, withWeights): Run {
    // as make_fixtures.py: the source padding mask is passed as the memory padding mask too
    const opts = { tgtMask: inputs.tgt_mask!, srcKeyPaddingMask: inputs.src_key_padding_mask!, memoryKeyPaddingMask: inputs.src_key_padding_mask! };
    const model = m as Transformer;
    // the fixture holds no weights of the full model: forwardWithAttention only gives the unfused path's output
    return { output: withWeights ? model.forwardWithAttention(x.src!, x.tgt!, opts).output : model.forward(x.src!, x.tgt!, opts), weights: {} };
  },
};

const cases: [string, Case][] = [
  ['encoder_layer_post_relu', encoderLayer],
  ['encoder_layer_pre_gelu', encoderLayer],
  ['decoder_layer_post_relu', decoderLayer],
  ['decoder_layer_pre_gelu', decoderLayer],
  ['transformer_post_relu', transformer],
  ['transformer_pre_gelu', transformer],
];

/** The module in eval mode with the fixture's state dict loaded strictly. */
function load(f: Fixture, c: Case): Module {
  const m = c.build(f).eval();
  m.loadStateDict(f.stateDict, { strict: true });
  return m;
}

/**
 * Backpropagates sum(output * grad_output) from fresh leaf inputs, through `forward` (attention
 * without weights: the fused kernel) or `forwardWithAttention` (the unfused path); returns the
 * inputs' gradients and the module's.
 */
function backprop(f: Fixture, c: Case, withWeights: boolean): { inputs: Record<string, Tensor>; params: [string, Tensor][] } {
  const m = load(f, c);
  const leaves = Object.fromEntries(c.differentiable.map((k) => [k, f.inputs[k]!.detach().requiresGrad_(true)]));
  const { output } = c.run(m, f, leaves, withWeights);
  output.mul(f.inputs.grad_output!).sum().backward();
  return {
    inputs: Object.fromEntries(Object.entries(leaves).map(([k, leaf]) => [k, leaf.grad!])),
    params: m.namedParameters().map(([name, p]) => [name, p.grad!]),
  };
}

for (const [name, c] of cases) {
  describe(`${name} against PyTorch 2.11 (float64 golden values)`, () => {
    const f = loadFixture(`torch/${name}`);

    it('was made by PyTorch, and loads its state dict strictly under PyTorch\'s names and order', () => {
      expect(f.generator).toMatch(/^PyTorch 2\.11\.\d+.*float64/);
      expect(Object.keys(load(f, c).stateDict())).toEqual(Object.keys(f.stateDict));
    });

    const weightNames = Object.keys(f.outputs).filter((k) => k !== 'output');
    it(`matches PyTorch's output (forward and forwardWithAttention)${weightNames.length > 0 ? ` and per-head ${weightNames.join(', ')} [N, H, L, S]` : ''}`, () => {
      const m = load(f, c);
      const x = Object.fromEntries(c.differentiable.map((k) => [k, f.inputs[k]!]));
      expectClose(c.run(m, f, x, false).output, f.outputs.output!, tol, 'output (forward)');
      const { output, weights } = c.run(m, f, x, true);
      expectClose(output, f.outputs.output!, tol, 'output (forwardWithAttention)');
      expect(Object.keys(weights).sort()).toEqual([...weightNames].sort());
      for (const k of weightNames) expectClose(weights[k]!, f.outputs[k]!, tol, k);
    });

    for (const [path, withWeights] of [['forward', false], ['forwardWithAttention', true]] as const) {
      let grads: ReturnType<typeof backprop> | undefined;
      const gradsOnce = () => (grads ??= backprop(f, c, withWeights)); // one backward pass, read by two tests
      it(`matches PyTorch's gradients of sum(output * grad_output) with respect to ${c.differentiable.join(' and ')}, through ${path}`, () => {
        const { inputs } = gradsOnce();
        expect(Object.keys(f.grads).filter((k) => !k.startsWith('state_dict.')).sort()).toEqual([...c.differentiable].sort());
        for (const k of c.differentiable) expectClose(inputs[k]!, f.grads[k]!, tol, `grad of ${k} (${path})`);
      });

      it(`matches PyTorch's gradient of sum(output * grad_output) with respect to every parameter, through ${path}`, () => {
        const { params } = gradsOnce();
        const expected = Object.keys(f.grads).filter((k) => k.startsWith('state_dict.')).map((k) => k.slice('state_dict.'.length));
        expect(params.map(([k]) => k)).toEqual(expected); // every parameter, named and ordered as named_parameters()
        for (const [k, grad] of params) {
          expect(grad, `no gradient for ${k}`).toBeTruthy();
          expectClose(grad, f.grads[`state_dict.${k}`]!, tol, `grad of ${k} (${path})`);
        }
      });
    }
  });
}

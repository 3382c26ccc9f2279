// Golden values computed by PyTorch 2.11 itself (CPU, float64, eval mode), not by a re-implementation:
// fixtures/torch/{rnn,losses,layers,optim}.json, written by tooling/reference-fixtures/make_fixtures.py
// (rnn_case, loss_cases, layer_case, optim_cases). Inputs and weights there are rounded to 4 decimals so
// float32 holds them almost exactly; outputs are the float64 results to 9 significant digits. Gradients are
// those of sum(output · grad_output) (+ sum(h_n · grad_h_n) + sum(c_n · grad_c_n) for the RNNs) with respect
// to the inputs and every parameter, keyed by input name or 'state_dict.<PyTorch name>'.
// qkv computes in float32, hence the tolerance below rather than float64 exactness.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose } from '@qkv/tensor-core/testing';
import { Adam, AdamW, Embedding, GELU, GRU, LSTM, LayerNorm, Parameter, SGD, clipGradNorm, crossEntropy, nllLoss } from '../src/index.js';
import type { Module, Reduction } from '../src/index.js';

// ---------------------------------------------------------------- loading

/** An encoded array: make_fixtures.py's enc(). */
interface Arr {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  data: (number | boolean | '-inf')[];
}
type Arrs = Record<string, Arr>;

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/torch/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** An encoded array as a tensor of its dtype (float32 leaves may require grad). */
function toTensor(a: Arr, requiresGrad = false): Tensor {
  if (a.dtype === 'bool') return tensor(Uint8Array.from(a.data, (v) => (v === true ? 1 : 0)), { shape: a.shape, dtype: 'bool' });
  const values = a.data.map((v) => (v === '-inf' ? -Infinity : Number(v)));
  if (a.dtype === 'int32') return tensor(Int32Array.from(values), { shape: a.shape, dtype: 'int32' });
  return tensor(Float32Array.from(values), { shape: a.shape, dtype: 'float32', requiresGrad });
}

/** The expected values of an encoded float array, as float64 numbers (shape checked separately). */
function values(a: Arr): number[] {
  return a.data.map((v) => (v === '-inf' ? -Infinity : Number(v)));
}

/** Float32 carries ~7 significant digits; every comparison starts here. */
const TOL = { atol: 2e-5, rtol: 1e-4 };

/** Compares a tensor with an encoded array: shape exactly, values within `tol`. */
function expectArr(actual: Tensor | null | undefined, expected: Arr, what: string, tol = TOL): void {
  expect(actual, `${what}: missing`).toBeTruthy();
  expect(actual!.shape, `${what}: shape`).toEqual(expected.shape);
  expectClose(actual!, values(expected), tol, what);
}

function stateDictOf(sd: Arrs): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(sd).map(([k, a]) => [k, toTensor(a)]));
}

/** sum(y · g) for the loss whose gradient the fixture holds. */
const dot = (y: Tensor, g: Arr): Tensor => y.mul(toTensor(g)).sum();

/** Every 'state_dict.<name>' gradient of the fixture against the module's parameter of that name, and no more or fewer. */
function expectParamGrads(m: Module, grads: Arrs): void {
  const named = m.namedParameters();
  const expectedNames = Object.keys(grads).filter((k) => k.startsWith('state_dict.')).map((k) => k.slice('state_dict.'.length));
  expect(named.map(([n]) => n).sort()).toEqual(expectedNames.sort());
  for (const [name, p] of named) expectArr(p.grad, grads[`state_dict.${name}`]!, `grad of ${name}`);
}

// ---------------------------------------------------------------- GRU / LSTM

interface RnnCase {
  name: string;
  kind: 'gru' | 'lstm';
  /** Per-sequence lengths (rnn_packed.json only): PyTorch ran pack_padded_sequence / pad_packed_sequence. */
  lengths?: number[];
  config: { input_size: number; hidden_size: number; num_layers: number; bias: boolean; batch_first: boolean; bidirectional: boolean };
  inputs: Arrs;
  state_dict: Arrs;
  outputs: Arrs;
  grads: Arrs;
}

/** Builds the module from the fixture's config and state dict, runs it, backpropagates the fixture's loss. */
function runRnn(c: RnnCase) {
  const { input_size, hidden_size, num_layers, bias, batch_first, bidirectional } = c.config;
  const options = { numLayers: num_layers, bias, batchFirst: batch_first, bidirectional };
  const m = c.kind === 'gru' ? new GRU(input_size, hidden_size, options) : new LSTM(input_size, hidden_size, options);
  m.eval();
  m.loadStateDict(stateDictOf(c.state_dict)); // strict: the PyTorch names must all match
  const x = toTensor(c.inputs.input!, true);
  const h0 = toTensor(c.inputs.h0!, true);
  const c0 = c.kind === 'lstm' ? toTensor(c.inputs.c0!, true) : null;
  let output: Tensor, hN: Tensor, cN: Tensor | null = null;
  const runOptions = { lengths: c.lengths };
  if (m instanceof LSTM) [output, [hN, cN]] = m.forward(x, [h0, c0!], runOptions);
  else [output, hN] = m.forward(x, h0, runOptions);
  let loss = dot(output, c.inputs.grad_output!).add(dot(hN, c.inputs.grad_h_n!));
  if (cN) loss = loss.add(dot(cN, c.inputs.grad_c_n!));
  loss.backward();
  return { m, x, h0, c0, output, hN, cN };
}

describe('GRU and LSTM against PyTorch (nn.GRU, nn.LSTM)', () => {
  const { cases } = load<{ cases: RnnCase[] }>('rnn');
  it('covers the five fixture cases', () => {
    expect(cases.map((c) => c.name)).toEqual([
      'gru_layers1_uni_seq_first',
      'gru_layers2_bi_batch_first',
      'gru_layers1_bi_seq_first_no_bias',
      'lstm_layers1_uni_seq_first',
      'lstm_layers2_bi_batch_first',
    ]);
  });
  for (const c of cases) {
    let run: ReturnType<typeof runRnn> | undefined;
    const runOnce = () => (run ??= runRnn(c)); // one forward and backward pass, read by two tests
    const states = c.kind === 'lstm' ? 'output, h_n and c_n' : 'output and h_n';
    it(`${c.name}: ${states} equal PyTorch's from the same input, initial state and state dict`, () => {
      const r = runOnce();
      expectArr(r.output, c.outputs.output!, 'output');
      expectArr(r.hN, c.outputs.h_n!, 'h_n');
      if (c.kind === 'lstm') expectArr(r.cN, c.outputs.c_n!, 'c_n');
    });
    it(`${c.name}: gradients w.r.t. input, h0${c.kind === 'lstm' ? ', c0' : ''} and every parameter equal PyTorch's`, () => {
      const r = runOnce();
      expectArr(r.x.grad, c.grads.input!, 'grad of input');
      expectArr(r.h0.grad, c.grads.h0!, 'grad of h0');
      if (r.c0) expectArr(r.c0.grad, c.grads.c0!, 'grad of c0');
      expectParamGrads(r.m, c.grads);
    });
  }
});

describe('GRU and LSTM over padded batches with lengths against PyTorch (pack_padded_sequence, enforce_sorted=False)', () => {
  // fixtures/torch/rnn_packed.json, written by tooling/reference-fixtures/packed_rnn.py (PyTorch 1.13)
  const { cases } = load<{ cases: RnnCase[] }>('rnn_packed');
  it('covers the three fixture cases, each with unequal lengths', () => {
    expect(cases.map((c) => c.name)).toEqual(['gru_layers2_bi_batch_first_lengths5_2_3', 'gru_layers1_uni_seq_first_lengths1_4_4', 'lstm_layers2_bi_batch_first_lengths3_5_1']);
  });
  for (const c of cases) {
    let run: ReturnType<typeof runRnn> | undefined;
    const runOnce = () => (run ??= runRnn(c));
    it(`${c.name}: outputs (0 past each length) and final states equal PyTorch's packed run`, () => {
      const r = runOnce();
      expectArr(r.output, c.outputs.output!, 'output');
      expectArr(r.hN, c.outputs.h_n!, 'h_n');
      if (c.kind === 'lstm') expectArr(r.cN, c.outputs.c_n!, 'c_n');
    });
    it(`${c.name}: gradients w.r.t. input, states and every parameter equal PyTorch's (padding gets none)`, () => {
      const r = runOnce();
      expectArr(r.x.grad, c.grads.input!, 'grad of input');
      expectArr(r.h0.grad, c.grads.h0!, 'grad of h0');
      if (r.c0) expectArr(r.c0.grad, c.grads.c0!, 'grad of c0');
      expectParamGrads(r.m, c.grads);
    });
  }
});

// ---------------------------------------------------------------- losses

interface LossCase {
  name: string;
  loss: 'cross_entropy' | 'nll_loss_of_log_softmax';
  options: { reduction?: Reduction; ignore_index?: number; label_smoothing?: number };
  input: Arr;
  target: Arr;
  output: Arr;
  grad_output: Arr;
  grad_input: Arr;
}

describe('crossEntropy and nllLoss against PyTorch (F.cross_entropy, F.nll_loss)', () => {
  const { cases } = load<{ cases: LossCase[] }>('losses');
  it('covers the six fixture cases', () => {
    expect(cases.map((c) => c.name)).toEqual(['mean', 'mean_ignore_smoothing', 'sum_smoothing', 'none_ignore', 'k_dim_mean_ignore_smoothing', 'nll_of_log_softmax_ignore']);
  });
  for (const c of cases) {
    const fn = c.loss === 'cross_entropy' ? 'crossEntropy' : 'nllLoss(logSoftmax)';
    it(`${c.name}: ${fn} of input ${JSON.stringify(c.input.shape)} with ${JSON.stringify(c.options)} and its input gradient equal PyTorch's`, () => {
      // PyTorch's keyword names → qkv's option names
      const options = { reduction: c.options.reduction, ignoreIndex: c.options.ignore_index, labelSmoothing: c.options.label_smoothing };
      const x = toTensor(c.input, true);
      const target = toTensor(c.target);
      const out = c.loss === 'cross_entropy' ? crossEntropy(x, target, options) : nllLoss(x.logSoftmax(1), target, options);
      expectArr(out, c.output, 'output');
      dot(out, c.grad_output).backward();
      expectArr(x.grad, c.grad_input, 'grad of input');
    });
  }
});

// ---------------------------------------------------------------- LayerNorm, GELU, Embedding

interface NormCase { normalized_shape: number[]; input: Arr; state_dict: Arrs; output: Arr; grad_output: Arr; grads: Arrs }
interface GeluCase { approximate: 'none' | 'tanh'; input: Arr; output: Arr; grad_output: Arr; grads: Arrs }
interface EmbeddingCase { num_embeddings: number; embedding_dim: number; padding_idx: number; input: Arr; state_dict: Arrs; output: Arr; grad_output: Arr; grads: Arrs }
interface LayersFixture {
  layer_norm_last: NormCase;
  layer_norm_last_two: NormCase;
  gelu_none: GeluCase;
  gelu_tanh: GeluCase;
  embedding_padding_idx: EmbeddingCase;
}

describe('LayerNorm, GELU and Embedding against PyTorch', () => {
  const f = load<LayersFixture>('layers');
  for (const key of ['layer_norm_last', 'layer_norm_last_two'] as const) {
    const c = f[key];
    it(`LayerNorm(${JSON.stringify(c.normalized_shape)}) on ${JSON.stringify(c.input.shape)}: output and gradients w.r.t. input, weight and bias equal PyTorch's`, () => {
      const m = new LayerNorm(c.normalized_shape);
      m.loadStateDict(stateDictOf(c.state_dict));
      const x = toTensor(c.input, true);
      const y = m.forward(x);
      expectArr(y, c.output, 'output');
      dot(y, c.grad_output).backward();
      expectArr(x.grad, c.grads.input!, 'grad of input');
      expectParamGrads(m, c.grads);
    });
  }
  for (const key of ['gelu_none', 'gelu_tanh'] as const) {
    const c = f[key];
    it(`GELU('${c.approximate}') module and Tensor.gelu('${c.approximate}'): output and input gradient equal F.gelu's`, () => {
      for (const run of [(x: Tensor) => new GELU(c.approximate).forward(x), (x: Tensor) => x.gelu(c.approximate)]) {
        const x = toTensor(c.input, true);
        const y = run(x);
        expectArr(y, c.output, 'output');
        dot(y, c.grad_output).backward();
        expectArr(x.grad, c.grads.input!, 'grad of input');
      }
    });
  }
  const e = f.embedding_padding_idx;
  it(`Embedding(${e.num_embeddings}, ${e.embedding_dim}, paddingIdx ${e.padding_idx}): lookup and weight gradient equal PyTorch's, padding row gradient exactly zero`, () => {
    const m = new Embedding(e.num_embeddings, e.embedding_dim, { paddingIdx: e.padding_idx });
    m.loadStateDict(stateDictOf(e.state_dict));
    const y = m.forward(toTensor(e.input));
    expectArr(y, e.output, 'output');
    dot(y, e.grad_output).backward();
    expectParamGrads(m, e.grads);
    expect((m.weight.grad!.toArray() as number[][])[e.padding_idx]).toEqual(new Array(e.embedding_dim).fill(0));
  });
});

// ---------------------------------------------------------------- optimizers and clipping

interface OptimCase {
  name: string;
  optimizer: 'Adam' | 'AdamW' | 'SGD';
  options: { lr: number; betas?: [number, number]; eps?: number; weight_decay?: number; amsgrad?: boolean; momentum?: number; dampening?: number; nesterov?: boolean };
  params: Arrs;
  grads: Arrs[];
  trajectory: Arrs[];
}
interface ClipCase { max_norm: number; norm_type: number | 'inf'; total_norm: number; clipped: Arrs }
interface OptimFixture {
  cases: OptimCase[];
  clip_grad_norm: { params: Arrs; grads: Arrs; cases: ClipCase[] };
}

/** Sets p.grad to `g` (as backward would). */
function setGrad(p: Tensor, g: Arr): void {
  p.grad?.dispose();
  p.grad = toTensor(g);
}

/** The fixture's parameters (in its key order, w then b) as fresh Parameters. */
function paramsOf(arrs: Arrs): [string, Tensor][] {
  return Object.entries(arrs).map(([k, a]) => [k, Parameter(toTensor(a))]);
}

describe('Adam, AdamW, SGD and clipGradNorm against torch.optim', () => {
  const f = load<OptimFixture>('optim');
  it('covers the seven optimizer cases and the four clipping cases', () => {
    expect(f.cases.map((c) => c.name)).toEqual(['adam_defaults', 'adam_l2', 'adamw_transformer', 'adamw_amsgrad', 'sgd_plain', 'sgd_momentum_dampening_wd', 'sgd_nesterov']);
    expect(f.clip_grad_norm.cases.map((c) => `${c.max_norm}/${c.norm_type}`)).toEqual(['1/2', '0.5/1', '2/inf', '100/2']);
  });
  for (const c of f.cases) {
    it(`${c.name}: ${c.optimizer}(${JSON.stringify(c.options)}) follows PyTorch's parameter trajectory over ${c.grads.length} steps`, () => {
      const params = paramsOf(c.params);
      const o = c.options;
      // PyTorch's keyword names → qkv's; unset keys keep both libraries' (equal) defaults
      const common = { lr: o.lr, ...(o.weight_decay !== undefined && { weightDecay: o.weight_decay }) };
      const list = params.map(([, p]) => p);
      const opt =
        c.optimizer === 'SGD'
          ? new SGD(list, { ...common, ...(o.momentum !== undefined && { momentum: o.momentum }), ...(o.dampening !== undefined && { dampening: o.dampening }), ...(o.nesterov !== undefined && { nesterov: o.nesterov }) })
          : new (c.optimizer === 'Adam' ? Adam : AdamW)(list, { ...common, ...(o.betas && { betas: o.betas }), ...(o.eps !== undefined && { eps: o.eps }), ...(o.amsgrad !== undefined && { amsgrad: o.amsgrad }) });
      c.grads.forEach((g, step) => {
        for (const [k, p] of params) setGrad(p, g[k]!);
        opt.step();
        for (const [k, p] of params) expectArr(p, c.trajectory[step]![k]!, `${k} after step ${step + 1}`);
      });
    });
  }
  for (const c of f.clip_grad_norm.cases) {
    it(`clipGradNorm(maxNorm ${c.max_norm}, normType ${c.norm_type}): total norm and clipped gradients equal clip_grad_norm_'s`, () => {
      const params = paramsOf(f.clip_grad_norm.params);
      for (const [k, p] of params) setGrad(p, f.clip_grad_norm.grads[k]!);
      const total = clipGradNorm(params.map(([, p]) => p), c.max_norm, c.norm_type === 'inf' ? Infinity : c.norm_type);
      expectClose(total, c.total_norm, TOL);
      for (const [k, p] of params) expectArr(p.grad, c.clipped[k]!, `clipped grad of ${k}`);
    });
  }
});

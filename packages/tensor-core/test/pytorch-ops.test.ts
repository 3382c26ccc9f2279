// Tensor ops against PyTorch 2.11 itself: fixtures/torch/ops.json holds, for 62 calls, torch's
// output (CPU, float64) and the gradient of sum(output · grad_output) with respect to every float
// input, written by tooling/reference-fixtures/make_fixtures.py (`op_cases`). Broadcasting, matmul's
// shape table, reductions over several dims with keepdim, var/std's default correction, index ops
// and their scatter-back gradients, and GELU's two forms all have to agree. qkv runs in float32.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cat, embedding, layerNorm, matmul, maximum, minimum, oneHot, stack, tensor, where } from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { expectClose } from '../src/testing/index.js';

interface Encoded {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  data: (number | boolean | '-inf')[];
}

interface OpCase {
  name: string;
  inputs: Record<string, Encoded>;
  outputs: Encoded[];
  grad_outputs?: Encoded[];
  grads?: Record<string, Encoded>;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch/ops.json', import.meta.url), 'utf8')) as { generator: string; cases: OpCase[] };

function decode(e: Encoded, requiresGrad = false): Tensor {
  const data = e.data.map((v) => (v === '-inf' ? -Infinity : v));
  return tensor(data, { shape: e.shape, dtype: e.dtype, requiresGrad });
}

type Inputs = Record<string, Tensor>;

/** Each fixture's call, in qkv. The keys must be exactly the fixture's case names. */
const calls: Record<string, (i: Inputs) => Tensor | Tensor[]> = {
  exp: ({ x }) => x!.exp(),
  log: ({ x }) => x!.log(),
  sqrt: ({ x }) => x!.sqrt(),
  rsqrt: ({ x }) => x!.rsqrt(),
  abs: ({ x }) => x!.abs(),
  neg: ({ x }) => x!.neg(),
  square: ({ x }) => x!.square(),
  tanh: ({ x }) => x!.tanh(),
  sigmoid: ({ x }) => x!.sigmoid(),
  relu: ({ x }) => x!.relu(),
  gelu: ({ x }) => x!.gelu(),
  gelu_tanh: ({ x }) => x!.gelu('tanh'),
  silu: ({ x }) => x!.silu(),
  erf: ({ x }) => x!.erf(),
  sin: ({ x }) => x!.sin(),
  cos: ({ x }) => x!.cos(),
  clamp: ({ x }) => x!.clamp(-0.45, 0.55),
  pow_scalar: ({ x }) => x!.pow(3),
  pow_tensor: ({ x, y }) => x!.pow(y!),
  add_broadcast: ({ x, y }) => x!.add(y!),
  sub_broadcast: ({ x, y }) => x!.sub(y!),
  mul_broadcast: ({ x, y }) => x!.mul(y!),
  div_broadcast: ({ x, y }) => x!.div(y!),
  maximum: ({ x, y }) => maximum(x!, y!),
  minimum: ({ x, y }) => minimum(x!, y!),
  where: ({ c, x, y }) => where(c!, x!, y!),
  masked_fill: ({ x, m }) => x!.maskedFill(m!, -2.5),
  sum_all: ({ x }) => x!.sum(),
  sum_dims_keepdim: ({ x }) => x!.sum([0, 2], true),
  mean_dim: ({ x }) => x!.mean(1),
  amax_dim: ({ x }) => x!.max(-1),
  amin_dims: ({ x }) => x!.min([0, 1], true),
  argmax_dim: ({ x }) => x!.argmax(1),
  argmin_dim_keepdim: ({ x }) => x!.argmin(2, true),
  var_default: ({ x }) => x!.var(1),
  var_population: ({ x }) => x!.var([0, 2], { correction: 0, keepdim: true }),
  std_all: ({ x }) => x!.std(),
  softmax_dim0: ({ x }) => x!.softmax(0),
  log_softmax_last: ({ x }) => x!.logSoftmax(-1),
  matmul_batched_2d: ({ a, b }) => matmul(a!, b!),
  matmul_vector_matrix: ({ a, b }) => matmul(a!, b!),
  matmul_broadcast_batch: ({ a, b }) => matmul(a!, b!),
  matmul_matrix_vector: ({ a, b }) => matmul(a!, b!),
  matmul_dot: ({ a, b }) => matmul(a!, b!),
  transpose: ({ x }) => x!.transpose(0, 2),
  permute: ({ x }) => x!.permute(2, 0, 1),
  expand: ({ x }) => x!.expand(2, 3, 5),
  narrow: ({ x }) => x!.narrow(2, 1, 2),
  slice_step: ({ x }) => x!.slice(2, 1, null, 2),
  select_negative: ({ x }) => x!.select(1, -1),
  split_sizes: ({ x }) => x!.split([1, 2], 1),
  chunk_uneven: ({ x }) => x!.chunk(3, 2),
  cat_dim1: ({ x, y }) => cat([x!, y!], 1),
  stack_dim_last: ({ x, y }) => stack([x!, y!], -1),
  gather_dim1: ({ x, i }) => x!.gather(1, i!),
  index_select_repeat: ({ x, i }) => x!.indexSelect(0, i!),
  tril_minus1: ({ x }) => x!.tril(-1),
  triu_plus1: ({ x }) => x!.triu(1),
  layer_norm: ({ x, w, b }) => layerNorm(x!, [4], w, b),
  embedding: ({ i, w }) => embedding(i!, w!),
  one_hot: ({ i }) => oneHot(i!, 6),
  masked_softmax_scores: ({ q, k }) => matmul(q!, k!.transpose(-2, -1)).maskedFill(tensor([[false, true, true, true], [false, false, true, true], [false, false, false, true]]), -Infinity).softmax(-1),
};

const tol = { atol: 2e-5, rtol: 1e-4 };

describe(`tensor ops against PyTorch (${fixture.generator})`, () => {
  it('covers exactly the fixture\'s calls, no more and no fewer', () => {
    expect(Object.keys(calls).sort()).toEqual(fixture.cases.map((c) => c.name).sort());
  });

  for (const c of fixture.cases) {
    it(`${c.name}: output${c.grads ? ' and the gradient of every float input' : ''} as torch computes them`, () => {
      const differentiable = new Set(Object.keys(c.grads ?? {}));
      const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, decode(v, differentiable.has(k))]));
      const result = calls[c.name]!(inputs);
      const outs = Array.isArray(result) ? result : [result];
      expect(outs).toHaveLength(c.outputs.length);
      outs.forEach((o, i) => {
        const want = c.outputs[i]!;
        expect(o.shape).toEqual(want.shape);
        if (want.dtype === 'float32') expectClose(o, decode(want), tol);
        else expect(Array.from(o.dataSync(), Number)).toEqual(want.data.map(Number)); // indices and one-hot: exact
      });
      if (!c.grads) return;
      let loss = outs[0]!.mul(decode(c.grad_outputs![0]!)).sum();
      outs.slice(1).forEach((o, i) => (loss = loss.add(o.mul(decode(c.grad_outputs![i + 1]!)).sum())));
      loss.backward();
      for (const [name, g] of Object.entries(c.grads)) expectClose(inputs[name]!.grad!, decode(g), tol);
    });
  }
});

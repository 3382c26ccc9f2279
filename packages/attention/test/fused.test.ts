// Without weights, attention runs as one FusedAttention kernel. These tests hold it to the unfused
// path (scores, mask, softmax, weighted sum as separate ops): same outputs and gradients within
// 1e-5, and the unfused path wherever weights or dropout are asked for.
import { describe, expect, it } from 'vitest';
import { Generator, randn, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose } from '@qkv/tensor-core/testing';
import { causalMask, MultiheadAttention, paddingMask, scaledDotProductAttention } from '../src/index.js';
import type { SdpaOptions } from '../src/index.js';

const g = new Generator(5);
const tol = { atol: 1e-5, rtol: 1e-5 };

/** Output and input gradients of `f` on fresh copies of `inputs` (Σ output·w for fixed random w). */
function run(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[]): { output: Tensor; grads: Tensor[]; kernel: string | undefined } {
  const leaves = inputs.map((x) => x.detach().requiresGrad_(true));
  const output = f(...leaves);
  output.mul(randn(output.shape, { generator: new Generator(1) })).sum().backward();
  return { output, grads: leaves.map((l) => l.grad!), kernel: output.gradFn?.kernelName };
}

function expectSame(a: ReturnType<typeof run>, b: ReturnType<typeof run>): void {
  expectClose(a.output, b.output, tol);
  a.grads.forEach((gr, i) => expectClose(gr, b.grads[i]!, tol));
}

describe('scaledDotProductAttention without weights (fused)', () => {
  const [q, k, v] = [randn([2, 3, 5, 8], { generator: g }), randn([2, 3, 7, 8], { generator: g }), randn([2, 3, 7, 4], { generator: g })];
  const keep = randn([2, 1, 5, 7], { generator: g }).gt(-0.5); // bool, true = take part
  const cases: [string, SdpaOptions][] = [
    ['no mask', {}],
    ['a bool mask that hides whole rows', { attnMask: keep.logicalAnd(tensor([true, false, true, false, true]).reshape([5, 1])) }],
    ['a float mask [L, S]', { attnMask: randn([5, 7], { generator: g }) }],
    ['isCausal', { isCausal: true }],
    ['a scale', { scale: 0.2 }],
  ];
  for (const [name, options] of cases) {
    it(`equals the unfused path, forward and gradients: ${name}`, () => {
      const fused = run((a, b, c) => scaledDotProductAttention(a, b, c, options).output, [q, k, v]);
      const unfused = run((a, b, c) => scaledDotProductAttention(a, b, c, { ...options, returnWeights: true }).output, [q, k, v]);
      expect(fused.kernel).toBe('FusedAttention');
      expect(unfused.kernel).not.toBe('FusedAttention');
      expectSame(fused, unfused);
    });
  }

  it('stays unfused with dropout or with q, k, v batch dims that broadcast', () => {
    expect(run((a, b, c) => scaledDotProductAttention(a, b, c, { dropoutP: 0.5 }).output, [q, k, v]).kernel).not.toBe('FusedAttention');
    const shared = [randn([2, 3, 5, 8], { generator: g }), randn([1, 3, 7, 8], { generator: g }), randn([1, 3, 7, 4], { generator: g })];
    const fused = run((a, b, c) => scaledDotProductAttention(a, b, c).output, shared);
    expect(fused.kernel).not.toBe('FusedAttention');
    expectSame(fused, run((a, b, c) => scaledDotProductAttention(a, b, c, { returnWeights: true }).output, shared));
  });
});

describe('MultiheadAttention with needWeights false (fused)', () => {
  const E = 16;
  const x = randn([2, 6, E], { generator: g });
  const mem = randn([2, 9, E], { generator: g });
  const ids = tensor([[4, 2, 7, 1, 3, 0, 0, 0, 0], [5, 5, 1, 2, 2, 3, 6, 1, 0]], { dtype: 'int32' });
  const setups: [string, ConstructorParameters<typeof MultiheadAttention>[2], (m: MultiheadAttention, needWeights: boolean) => Tensor][] = [
    ['self-attention with a causal mask', { batchFirst: true }, (m, needWeights) => m.forward(x, x, x, { attnMask: causalMask(6), needWeights })[0]],
    ['isCausal alone', { batchFirst: true }, (m, needWeights) => m.forward(x, x, x, { isCausal: true, needWeights })[0]],
    ['cross-attention with key padding', { batchFirst: true }, (m, needWeights) => m.forward(x, mem, mem, { keyPaddingMask: paddingMask(ids, 0), needWeights })[0]],
    ['bias_k, zero_attn, sequence-first', { addBiasKv: true, addZeroAttn: true }, (m, needWeights) => m.forward(x.transpose(0, 1), mem.transpose(0, 1), mem.transpose(0, 1), { needWeights })[0]],
  ];
  for (const [name, options, forward] of setups) {
    it(`equals needWeights true, outputs and parameter gradients: ${name}`, () => {
      const mha = new MultiheadAttention(E, 4, { ...options, generator: new Generator(3) });
      const grads = (needWeights: boolean): Tensor[] => {
        mha.zeroGrad();
        const out = forward(mha, needWeights);
        out.mul(randn(out.shape, { generator: new Generator(2) })).sum().backward();
        return [out, ...mha.parameters().map((p) => p.grad!.clone())];
      };
      const [fused, unfused] = [grads(false), grads(true)];
      fused.forEach((t, i) => expectClose(t, unfused[i]!, tol));
    });
  }

  it('keeps dropout on the weights while training (the unfused path), drawing as needWeights true does', () => {
    const mha = new MultiheadAttention(E, 4, { batchFirst: true, dropout: 0.3, generator: new Generator(3) });
    mha.train();
    mha.generator = new Generator(9);
    const a = mha.forward(x, x, x, { needWeights: false })[0];
    mha.generator = new Generator(9);
    const b = mha.forward(x, x, x, { needWeights: true })[0];
    expectClose(a, b, tol);
  });
});

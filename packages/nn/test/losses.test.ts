import { describe, expect, it } from 'vitest';
import { Generator, randn, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import { binaryCrossEntropyWithLogits, crossEntropy, mseLoss, nllLoss } from '../src/index.js';

/** log-softmax of one row, in float64. */
function logSoftmaxRow(r: number[]): number[] {
  const m = Math.max(...r);
  const lse = m + Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0));
  return r.map((v) => v - lse);
}

const logits = [[1, 2, 0.5], [0.1, -1, 3], [2, 2, 2], [-1, 0, 1]];
const targets = [1, 2, 0, -100];
const ids = (v: number[]) => tensor(v, { dtype: 'int32' });

/** PyTorch's formula, written out: per-row losses with optional weights and smoothing. */
function reference(eps: number, weight: number[] | null) {
  const C = 3;
  const w = weight ?? [1, 1, 1];
  let nll = 0, wsum = 0, smooth = 0, count = 0;
  const none: number[] = [];
  logits.forEach((row, i) => {
    const t = targets[i]!;
    if (t === -100) return none.push(0);
    const lp = logSoftmaxRow(row);
    const n = -w[t]! * lp[t]!;
    const s = -lp.reduce((a, v, c) => a + w[c]! * v, 0);
    nll += n; wsum += w[t]!; smooth += s; count++;
    none.push((1 - eps) * n + (eps / C) * s);
  });
  const mean = (1 - eps) * (nll / wsum) + (eps / C) * (smooth / (weight ? wsum : count));
  return { none, sum: none.reduce((a, b) => a + b, 0), mean };
}

describe('crossEntropy', () => {
  for (const eps of [0, 0.1]) {
    for (const weight of [null, [0.5, 2, 1]]) {
      it(`matches the written-out formula (labelSmoothing ${eps}, weight ${weight ? 'yes' : 'no'}) for every reduction, ignoring -100`, () => {
        const ref = reference(eps, weight);
        const opts = { labelSmoothing: eps, weight: weight ? tensor(weight) : null };
        expectClose(crossEntropy(tensor(logits), ids(targets), { ...opts, reduction: 'none' }), ref.none);
        expectClose(crossEntropy(tensor(logits), ids(targets), { ...opts, reduction: 'sum' }), ref.sum);
        expectClose(crossEntropy(tensor(logits), ids(targets), opts), ref.mean);
      });
    }
  }

  it('uses a custom ignoreIndex', () => {
    const a = crossEntropy(tensor(logits), ids([1, 2, 0, 0]), { ignoreIndex: 0 });
    const expected = (-logSoftmaxRow(logits[0]!)[1]! - logSoftmaxRow(logits[1]!)[2]!) / 2;
    expectClose(a, expected);
  });

  it('takes [N, C, T] logits with [N, T] targets, like PyTorch', () => {
    const x = randn([2, 3, 4], { generator: new Generator(1) });
    const t = ids([0, 1, 2, 1, 2, 2, 0, 0]).reshape([2, 4]);
    const flat = crossEntropy(x.permute(0, 2, 1).reshape([8, 3]), t.reshape([8]));
    expectClose(crossEntropy(x, t), flat, { atol: 1e-6 });
  });

  it('accepts class probabilities as targets', () => {
    const probs = [[0.2, 0.8, 0], [0, 0, 1], [1 / 3, 1 / 3, 1 / 3], [1, 0, 0]];
    const expected = logits.map((r, i) => -logSoftmaxRow(r).reduce((s, v, c) => s + v * probs[i]![c]!, 0)).reduce((a, b) => a + b) / 4;
    expectClose(crossEntropy(tensor(logits), tensor(probs)), expected);
  });

  it('has the gradient softmax − one-hot (divided by N), and passes gradCheck', () => {
    const x = tensor(logits.slice(0, 3), { requiresGrad: true });
    crossEntropy(x, ids([1, 2, 0])).backward();
    const expected = logits.slice(0, 3).map((r, i) => logSoftmaxRow(r).map((lp, c) => (Math.exp(lp) - (c === [1, 2, 0][i] ? 1 : 0)) / 3));
    expectClose(x.grad!, expected);
    gradCheck((z) => crossEntropy(z, ids([1, 2, -100, 0]), { labelSmoothing: 0.2 }), [tensor(logits)]);
  });

  it('rejects a target out of range and a wrong target shape by name', () => {
    expect(() => crossEntropy(tensor(logits), ids([1, 2, 3, 0]))).toThrow('crossEntropy: target 3 is out of bounds for 3 classes (ignoreIndex -100)');
    expect(() => crossEntropy(tensor(logits), ids([1, 2]))).toThrow('crossEntropy: target must be [4] for input [4,3], got [2]');
  });
});

describe('nllLoss', () => {
  it('averages −logp[target] over the non-ignored targets', () => {
    const lp = tensor(logits.map(logSoftmaxRow));
    const expected = -(logSoftmaxRow(logits[0]!)[1]! + logSoftmaxRow(logits[1]!)[2]! + logSoftmaxRow(logits[2]!)[0]!) / 3;
    expectClose(nllLoss(lp, ids(targets)), expected);
  });
});

describe('mseLoss and binaryCrossEntropyWithLogits', () => {
  it('mseLoss is the mean of squared differences', () => {
    expectClose(mseLoss(tensor([1, 2, 3]), tensor([1, 0, 0])), (0 + 4 + 9) / 3);
    expectClose(mseLoss(tensor([1, 2, 3]), tensor([1, 0, 0]), { reduction: 'sum' }), 13);
    expect(() => mseLoss(tensor([1, 2]), tensor([1]))).toThrow("mseLoss: target must have the input's shape [2], got [1]");
  });

  it('binaryCrossEntropyWithLogits matches −[p·t·log σ(x) + (1−t)·log(1−σ(x))] and stays finite for large logits', () => {
    const x = [-3, -0.5, 0, 2, 80, -80];
    const t = [0, 1, 0.5, 1, 0, 1];
    const pw = 2;
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const ref = x.map((v, i) => -(pw * t[i]! * Math.log(sig(v)) + (1 - t[i]!) * Math.log(1 - sig(v))));
    ref[4] = 80; // log(1 − σ(80)) underflows in float64 too: the exact value is 80 + log(1 + e^−80)
    ref[5] = pw * 80;
    const got = binaryCrossEntropyWithLogits(tensor(x), tensor(t), { posWeight: tensor([pw]), reduction: 'none' });
    expectClose(got, ref, { rtol: 1e-5 });
    gradCheck((z: Tensor) => binaryCrossEntropyWithLogits(z, tensor([0, 1, 0.3])), [tensor([-1, 0.5, 2])]);
  });
});

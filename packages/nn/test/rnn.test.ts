import { describe, expect, it } from 'vitest';
import { Generator, noGrad, randn, tensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { expectClose, gradCheck } from '@qkv/tensor-core/testing';
import { GRU, GRUCell, LSTM, LSTMCell } from '../src/index.js';
import type { Module } from '../src/index.js';

type Mat = number[][];
const mat = (t: Tensor) => t.toArray() as Mat;
const vec = (t: Tensor | undefined) => (t ? (t.toArray() as number[]) : null);
const sig = (v: number) => 1 / (1 + Math.exp(-v));
/** W·x + b in float64. */
const mv = (W: Mat, x: number[], b: number[] | null) => W.map((row, i) => row.reduce((s, w, k) => s + w * x[k]!, b ? b[i]! : 0));

/** The GRU equations as PyTorch documents them, one sample, float64. */
function gruRef(W: { ih: Mat; hh: Mat; bih: number[] | null; bhh: number[] | null }, x: number[], h: number[]): number[] {
  const H = h.length;
  const gi = mv(W.ih, x, W.bih);
  const gh = mv(W.hh, h, W.bhh);
  return h.map((hj, j) => {
    const r = sig(gi[j]! + gh[j]!);
    const z = sig(gi[H + j]! + gh[H + j]!);
    const n = Math.tanh(gi[2 * H + j]! + r * gh[2 * H + j]!);
    return (1 - z) * n + z * hj;
  });
}

/** The LSTM equations, one sample, float64. */
function lstmRef(W: { ih: Mat; hh: Mat; bih: number[] | null; bhh: number[] | null }, x: number[], h: number[], c: number[]): [number[], number[]] {
  const H = h.length;
  const g = mv(W.ih, x, W.bih).map((v, i) => v + mv(W.hh, h, W.bhh)[i]!);
  const c2 = c.map((cj, j) => sig(g[H + j]!) * cj + sig(g[j]!) * Math.tanh(g[2 * H + j]!));
  const h2 = c2.map((cj, j) => sig(g[3 * H + j]!) * Math.tanh(cj));
  return [h2, c2];
}

function weightsOf(m: Module, layer: number, reverse: boolean) {
  const sd = m.stateDict();
  const s = `_l${layer}${reverse ? '_reverse' : ''}`;
  return { ih: mat(sd[`weight_ih${s}`]!), hh: mat(sd[`weight_hh${s}`]!), bih: vec(sd[`bias_ih${s}`]), bhh: vec(sd[`bias_hh${s}`]) };
}

/**
 * Unrolls a stacked (bi)directional RNN by hand: xs [T][B][in] → outputs [T][B][D·H] and final
 * states per layer·direction.
 */
function unroll(m: GRU | LSTM, xs: number[][][]) {
  const T = xs.length;
  const B = xs[0]!.length;
  const H = m.hiddenSize;
  const D = m.numDirections;
  let input = xs;
  const hN: number[][][] = [];
  const cN: number[][][] = [];
  for (let layer = 0; layer < m.numLayers; layer++) {
    const out: number[][][] = Array.from({ length: T }, () => Array.from({ length: B }, () => [] as number[]));
    for (let d = 0; d < D; d++) {
      const W = weightsOf(m, layer, d === 1);
      const hFinal: number[][] = [];
      const cFinal: number[][] = [];
      for (let b = 0; b < B; b++) {
        let h = new Array<number>(H).fill(0);
        let c = new Array<number>(H).fill(0);
        for (let k = 0; k < T; k++) {
          const t = d === 0 ? k : T - 1 - k;
          if (m instanceof GRU) h = gruRef(W, input[t]![b]!, h);
          else [h, c] = lstmRef(W, input[t]![b]!, h, c);
          out[t]![b]!.push(...h);
        }
        hFinal.push(h);
        cFinal.push(c);
      }
      hN.push(hFinal);
      cN.push(cFinal);
    }
    // out[t][b] was filled direction by direction: forward H values first, then reverse.
    input = out;
  }
  return { out: input, hN, cN };
}

const G = () => new Generator(7);

describe('GRU', () => {
  for (const [layers, bi] of [[1, false], [1, true], [2, true]] as const) {
    it(`matches the hand-unrolled equations step by step (layers ${layers}, bidirectional ${bi})`, () => {
      const gru = new GRU(3, 4, { numLayers: layers, bidirectional: bi, generator: G() });
      const x = randn([5, 2, 3], { generator: G() });
      const [out, hN] = gru.forward(x);
      const ref = unroll(gru, x.toArray() as number[][][]);
      expect(out.shape).toEqual([5, 2, 4 * (bi ? 2 : 1)]);
      expectClose(out, ref.out, { atol: 1e-5 });
      expectClose(hN, ref.hN, { atol: 1e-5 });
    });
  }

  it('has PyTorch parameter names and shapes: (r,z,n) stacked into 3H rows, layer 1 input D·H', () => {
    const gru = new GRU(10, 20, { numLayers: 2, bidirectional: true });
    const shapes = Object.fromEntries(Object.entries(gru.stateDict()).map(([k, v]) => [k, v.shape]));
    expect(shapes).toEqual({
      weight_ih_l0: [60, 10], weight_hh_l0: [60, 20], bias_ih_l0: [60], bias_hh_l0: [60],
      weight_ih_l0_reverse: [60, 10], weight_hh_l0_reverse: [60, 20], bias_ih_l0_reverse: [60], bias_hh_l0_reverse: [60],
      weight_ih_l1: [60, 40], weight_hh_l1: [60, 20], bias_ih_l1: [60], bias_hh_l1: [60],
      weight_ih_l1_reverse: [60, 40], weight_hh_l1_reverse: [60, 20], bias_ih_l1_reverse: [60], bias_hh_l1_reverse: [60],
    });
    const bound = 1 / Math.sqrt(20);
    for (const p of gru.parameters()) expect(Math.max(...Array.from(p.dataSync(), Math.abs))).toBeLessThanOrEqual(bound);
  });

  it('batchFirst transposes input and output only; h0 is used; unbatched input works', () => {
    const a = new GRU(3, 4, { generator: G() });
    const b = new GRU(3, 4, { generator: G(), batchFirst: true });
    const x = randn([5, 2, 3], { generator: G() });
    const h0 = randn([1, 2, 4], { generator: G() });
    const [outA, hA] = a.forward(x, h0);
    const [outB, hB] = b.forward(x.transpose(0, 1), h0);
    expect(outB.transpose(0, 1).toArray()).toEqual(outA.toArray());
    expect(hB.toArray()).toEqual(hA.toArray());
    const [outU] = a.forward(x.select(1, 0), h0.select(1, 0));
    expectClose(outU, outA.select(1, 0), { atol: 1e-6 });
    expect(() => a.forward(x, randn([2, 2, 4]))).toThrow('GRU.forward: h0 must be [1,2,4], got [2,2,4]');
  });

  it('lengths: one integer in [1, T] per sequence, else a clear error; each row then equals its own unpadded run', () => {
    const gru = new GRU(3, 4, { bidirectional: true, batchFirst: true, generator: G() });
    const x = randn([2, 5, 3], { generator: G() });
    expect(() => gru.forward(x, undefined, { lengths: [5] })).toThrow('GRU.forward: lengths must hold one length per sequence (2), got 1');
    expect(() => gru.forward(x, undefined, { lengths: [5, 0] })).toThrow('GRU.forward: lengths[1] must be an integer in [1, 5], got 0');
    expect(() => gru.forward(x, undefined, { lengths: [6, 2] })).toThrow('GRU.forward: lengths[0] must be an integer in [1, 5], got 6');
    expect(() => new LSTM(3, 4).forward(randn([5, 2, 3]), undefined, { lengths: [2.5, 1] })).toThrow('LSTM.forward: lengths[0] must be an integer in [1, 5], got 2.5');
    const [out, hN] = gru.forward(x, undefined, { lengths: [5, 2] });
    const [outAlone, hAlone] = gru.forward(x.narrow(0, 1, 1).narrow(1, 0, 2));
    expectClose(out.narrow(0, 1, 1).narrow(1, 0, 2), outAlone, { atol: 1e-6 });
    expectClose(hN.narrow(1, 1, 1), hAlone, { atol: 1e-6 });
  });

  it('passes gradCheck with respect to the input and the initial state (bidirectional)', () => {
    const gru = new GRU(2, 2, { bidirectional: true, generator: G() });
    gradCheck((x, h) => gru.forward(x, h)[0], [randn([3, 1, 2], { generator: G() }), randn([2, 1, 2], { generator: G() })]);
  });

  it('gives every weight the finite-difference gradient', () => {
    const gru = new GRU(2, 2, { bidirectional: true, generator: G() });
    const x = randn([3, 2, 2], { generator: G() });
    checkParamGrads(gru, () => gru.forward(x)[0].square().sum());
  });
});

describe('LSTM', () => {
  for (const [layers, bi] of [[1, false], [2, true]] as const) {
    it(`matches the hand-unrolled equations step by step (layers ${layers}, bidirectional ${bi})`, () => {
      const lstm = new LSTM(3, 4, { numLayers: layers, bidirectional: bi, generator: G() });
      const x = randn([4, 2, 3], { generator: G() });
      const [out, [hN, cN]] = lstm.forward(x);
      const ref = unroll(lstm, x.toArray() as number[][][]);
      expectClose(out, ref.out, { atol: 1e-5 });
      expectClose(hN, ref.hN, { atol: 1e-5 });
      expectClose(cN, ref.cN, { atol: 1e-5 });
    });
  }

  it('has 4H gate rows named as PyTorch', () => {
    const shapes = Object.entries(new LSTM(5, 3, { bias: false }).stateDict()).map(([k, v]) => [k, v.shape]);
    expect(shapes).toEqual([['weight_ih_l0', [12, 5]], ['weight_hh_l0', [12, 3]]]);
  });

  it('gives every weight the finite-difference gradient', () => {
    const lstm = new LSTM(2, 2, { generator: G() });
    const x = randn([3, 1, 2], { generator: G() });
    checkParamGrads(lstm, () => {
      const [out, [, c]] = lstm.forward(x);
      return out.square().sum().add(c.sum());
    });
  });
});

describe('GRUCell and LSTMCell', () => {
  it('GRUCell is one GRU step: same weights, same result', () => {
    const cell = new GRUCell(3, 4, { generator: G() });
    const x = randn([2, 3], { generator: G() });
    const h = randn([2, 4], { generator: G() });
    const W = { ih: mat(cell.weightIh), hh: mat(cell.weightHh), bih: vec(cell.biasIh!), bhh: vec(cell.biasHh!) };
    expectClose(cell.forward(x, h), mat(x).map((xi, b) => gruRef(W, xi, mat(h)[b]!)), { atol: 1e-6 });
    expect(Object.keys(cell.stateDict())).toEqual(['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']);
    expect(cell.forward(x.select(0, 1), h.select(0, 1)).shape).toEqual([4]);
  });

  it('LSTMCell is one LSTM step', () => {
    const cell = new LSTMCell(3, 2, { generator: G() });
    const x = randn([1, 3], { generator: G() });
    const W = { ih: mat(cell.weightIh), hh: mat(cell.weightHh), bih: vec(cell.biasIh!), bhh: vec(cell.biasHh!) };
    const [h, c] = cell.forward(x);
    const [hr, cr] = lstmRef(W, mat(x)[0]!, [0, 0], [0, 0]);
    expectClose(h, [hr], { atol: 1e-6 });
    expectClose(c, [cr], { atol: 1e-6 });
  });
});

/** Central differences of `loss` in every element of every parameter, against autograd. */
function checkParamGrads(m: Module, loss: () => Tensor, eps = 1e-2): void {
  m.zeroGrad();
  loss().backward();
  for (const [name, p] of m.namedParameters()) {
    const analytic = Array.from(p.grad!.dataSync());
    const base = Float32Array.from(p.dataSync());
    const at = (values: Float32Array) => noGrad(() => {
      p.assign(tensor(values, { shape: p.shape }));
      return loss().item();
    });
    for (let i = 0; i < base.length; i++) {
      const plus = Float32Array.from(base);
      plus[i]! += eps;
      const minus = Float32Array.from(base);
      minus[i]! -= eps;
      const numeric = (at(plus) - at(minus)) / (2 * eps);
      expect(Math.abs(analytic[i]! - numeric), `${name}[${i}]`).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
    }
    noGrad(() => p.assign(tensor(base, { shape: p.shape })));
  }
}

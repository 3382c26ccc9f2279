// The conformance cases: each public op at small, odd and block-crossing sizes.
import type { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';

/** How to generate one input. */
export interface InputSpec {
  shape: number[];
  /** float: N(0,1); positive: U(0.5, 2); distinct: no ties; int: U{0..high−1}; bool: fair coin. */
  kind?: 'float' | 'positive' | 'distinct' | 'int' | 'bool';
  high?: number;
  /** Do not differentiate with respect to this float input. */
  noGrad?: boolean;
}

/** One op application to compare across backends. */
export interface ConformanceCase {
  name: string;
  inputs: InputSpec[];
  fn: (...xs: Tensor[]) => Tensor;
  /** Also compare gradients of the float inputs. */
  grad: boolean;
  atol?: number;
  rtol?: number;
}

const f = (...shape: number[]): InputSpec => ({ shape });
const pos = (...shape: number[]): InputSpec => ({ shape, kind: 'positive' });

const unary: [string, (x: Tensor) => Tensor, boolean][] = [
  ['neg', (x) => x.neg(), false],
  ['exp', (x) => x.exp(), false],
  ['log', (x) => x.log(), true],
  ['sqrt', (x) => x.sqrt(), true],
  ['rsqrt', (x) => x.rsqrt(), true],
  ['abs', (x) => x.abs(), false],
  ['tanh', (x) => x.tanh(), false],
  ['sigmoid', (x) => x.sigmoid(), false],
  ['relu', (x) => x.relu(), false],
  ['gelu', (x) => x.gelu(), false],
  ['gelu-tanh', (x) => x.gelu('tanh'), false],
  ['silu', (x) => x.silu(), false],
  ['erf', (x) => ops.erf(x), false],
  ['sin', (x) => x.sin(), false],
  ['cos', (x) => x.cos(), false],
];

const binary: [string, (a: Tensor, b: Tensor) => Tensor, boolean][] = [
  ['add', (a, b) => a.add(b), false],
  ['sub', (a, b) => a.sub(b), false],
  ['mul', (a, b) => a.mul(b), false],
  ['div', (a, b) => a.div(b), true],
  ['pow', (a, b) => a.pow(b), true],
  ['maximum', (a, b) => a.maximum(b), false],
  ['minimum', (a, b) => a.minimum(b), false],
];

const sizes = [[1], [3], [17], [63, 65], [5, 257]];
const broadcasts: [number[], number[]][] = [
  [[3, 17], [17]],
  [[4, 1, 5], [3, 1]],
  [[2, 3, 65], [2, 1, 65]],
  [[1], [7, 63]],
];
const matmuls: [number[], number[]][] = [
  [[1, 1], [1, 1]],
  [[3, 17], [17, 5]],
  [[63, 65], [65, 17]],
  [[17, 257], [257, 63]],
  [[2, 3, 5, 7], [7, 9]],
  [[2, 1, 5, 7], [3, 7, 4]],
  [[7], [7, 3]],
  [[4, 6], [6]],
];

/** 0 where `keep`, −∞ elsewhere: an additive mask from a bool input. */
const additive = (keep: Tensor): Tensor => ops.where(keep, 0, -Infinity);
/** −∞ on the first `rows` rows of an [L, S] mask, 0 below: queries that see no key at all. */
const hideRows = (rows: number, L: number, S: number): Tensor => ops.cat([ops.full([rows, S], -Infinity), ops.zeros([L - rows, S])], 0);

const fused = (name: string, inputs: InputSpec[], fn: ConformanceCase['fn']): ConformanceCase => ({ name: `fusedAttention ${name}`, inputs, fn, grad: true, atol: 5e-4 });
const keepBool = (...shape: number[]): InputSpec => ({ shape, kind: 'bool' });

/** fusedAttention at odd sizes (S crosses the 8-key panels, L the 4-row blocks, E 64): masks of every broadcast, causal, rows with no visible key. */
const fusedAttentionCases: ConformanceCase[] = [
  fused('[1,1]·[1,1]·[1,1]', [f(1, 1), f(1, 1), f(1, 1)], (q, k, v) => ops.fusedAttention(q, k, v)),
  fused('[3,17,8]·[3,65,8]·[3,65,17]', [f(3, 17, 8), f(3, 65, 8), f(3, 65, 17)], (q, k, v) => ops.fusedAttention(q, k, v)),
  fused('float mask [17,63] (learned) over [2,3,…]', [f(2, 3, 17, 8), f(2, 3, 63, 8), f(2, 3, 63, 5), f(17, 63)], (q, k, v, m) =>
    ops.fusedAttention(q, k, v, { mask: m, scale: 0.3 }),
  ),
  fused('padding mask [2,1,1,63] and hidden rows', [f(2, 3, 17, 8), f(2, 3, 63, 8), f(2, 3, 63, 5), keepBool(2, 1, 1, 63), f(2, 3, 17, 63)], (q, k, v, keep, bias) =>
    ops.fusedAttention(q, k, v, { mask: additive(keep).add(bias).add(hideRows(3, 17, 63)) }),
  ),
  fused('causal [2,63,65]', [f(2, 63, 65), f(2, 63, 65), f(2, 63, 3)], (q, k, v) => ops.fusedAttention(q, k, v, { causal: true })),
  fused('causal L > S, mask [5,3] and a hidden batch', [f(2, 5, 4), f(2, 3, 4), f(2, 3, 3), keepBool(5, 3)], (q, k, v, keep) =>
    ops.fusedAttention(q, k, v, { mask: additive(keep).add(ops.cat([ops.zeros([1, 1, 3]), ops.full([1, 1, 3], -Infinity)], 0)), causal: true }),
  ),
  fused('every row hidden [3,5,7]', [f(3, 5, 4), f(3, 7, 4), f(3, 7, 3), f(5, 7)], (q, k, v, m) => ops.fusedAttention(q, k, v, { mask: m.add(ops.full([5, 7], -Infinity)) })),
];

/** Every case, named `op shape…`. */
export const conformanceCases: ConformanceCase[] = [
  ...unary.flatMap(([name, fn, positive]) =>
    sizes.map((s) => ({ name: `${name} [${s.join(',')}]`, inputs: [positive ? pos(...s) : f(...s)], fn: (x: Tensor) => fn(x), grad: true })),
  ),
  ...binary.flatMap(([name, fn, positiveRhs]) =>
    broadcasts.map(([a, b]) => ({
      name: `${name} [${a.join(',')}]·[${b.join(',')}]`,
      inputs: name === 'pow' ? [pos(...a), f(...b)] : [f(...a), positiveRhs ? pos(...b) : f(...b)],
      fn: (x: Tensor, y: Tensor) => fn(x, y),
      grad: true,
      rtol: 2e-3,
    })),
  ),
  ...(['eq', 'lt', 'ge'] as const).map((name) => ({
    name: `${name} [17,3]·[3]`,
    inputs: [{ shape: [17, 3], kind: 'int' as const, high: 3 }, { shape: [3], kind: 'int' as const, high: 3 }],
    fn: (a: Tensor, b: Tensor) => a[name](b).to('int32'),
    grad: false,
  })),
  { name: 'where [4,1,5]', inputs: [{ shape: [4, 1, 5], kind: 'bool' }, f(4, 3, 5), f(3, 1)], fn: (c, a, b) => ops.where(c, a, b), grad: true },
  { name: 'maskedFill -inf softmax', inputs: [f(3, 17), { shape: [1, 17], kind: 'bool' }], fn: (x, m) => x.maskedFill(m, -Infinity).softmax(-1), grad: true },
  { name: 'softmax all -inf row', inputs: [f(2, 5)], fn: (x) => ops.cat([x, ops.full([1, 5], -Infinity)], 0).softmax(-1), grad: true },
  ...([[[17], 0], [[3, 65], -1], [[4, 5, 6], 1], [[2, 257], 1]] as [number[], number][]).flatMap(([s, d]) => [
    { name: `softmax [${s.join(',')}] dim ${d}`, inputs: [f(...s)], fn: (x: Tensor) => x.softmax(d), grad: true },
    { name: `logSoftmax [${s.join(',')}] dim ${d}`, inputs: [f(...s)], fn: (x: Tensor) => x.logSoftmax(d), grad: true },
  ]),
  ...([[[17], undefined], [[3, 65], 1], [[4, 5, 6], [0, 2]], [[63, 3], 0]] as [number[], number | number[] | undefined][]).flatMap(([s, d]) => [
    { name: `sum [${s.join(',')}] dim ${String(d)}`, inputs: [f(...s)], fn: (x: Tensor) => x.sum(d), grad: true },
    { name: `mean keepdim [${s.join(',')}] dim ${String(d)}`, inputs: [f(...s)], fn: (x: Tensor) => x.mean(d, true), grad: true },
    { name: `max [${s.join(',')}] dim ${String(d)}`, inputs: [{ shape: s, kind: 'distinct' as const }], fn: (x: Tensor) => x.max(d), grad: true },
    { name: `min [${s.join(',')}] dim ${String(d)}`, inputs: [{ shape: s, kind: 'distinct' as const }], fn: (x: Tensor) => x.min(d), grad: true },
    { name: `var [${s.join(',')}] dim ${String(d)}`, inputs: [f(...s)], fn: (x: Tensor) => x.var(d), grad: true },
  ]),
  { name: 'argmax [5,17] dim 1', inputs: [{ shape: [5, 17], kind: 'distinct' }], fn: (x) => x.argmax(1), grad: false },
  { name: 'argmin [17,5] dim 0', inputs: [{ shape: [17, 5], kind: 'distinct' }], fn: (x) => x.argmin(0), grad: false },
  ...matmuls.map(([a, b]) => ({
    name: `matmul [${a.join(',')}]·[${b.join(',')}]`,
    inputs: [f(...a), f(...b)],
    fn: (x: Tensor, y: Tensor) => x.matmul(y),
    grad: true,
    atol: 5e-4,
    rtol: 2e-3,
  })),
  ...([[false, true], [true, false], [true, true]] as const).map(([ta, tb]) => ({
    name: `batchMatMul transposeA=${ta} transposeB=${tb} [3,17,65]`,
    inputs: [f(...(ta ? [3, 65, 17] : [3, 17, 65])), f(...(tb ? [3, 63, 65] : [3, 65, 63]))],
    fn: (x: Tensor, y: Tensor) => ops.batchMatMul(x, y, ta, tb),
    grad: true,
    atol: 5e-4,
    rtol: 2e-3,
  })),
  { name: 'transpose [3,5,17]', inputs: [f(3, 5, 17)], fn: (x) => x.transpose(0, 2), grad: true },
  { name: 'permute [2,3,4,5]', inputs: [f(2, 3, 4, 5)], fn: (x) => x.permute(0, 2, 1, 3), grad: true },
  { name: 'expand [3,1]→[2,3,17]', inputs: [f(3, 1)], fn: (x) => x.expand(2, 3, 17), grad: true },
  { name: 'cat dim 1', inputs: [f(3, 5), f(3, 17), f(3, 1)], fn: (a, b, c) => ops.cat([a, b, c], 1), grad: true },
  { name: 'stack dim -1', inputs: [f(4, 3), f(4, 3)], fn: (a, b) => ops.stack([a, b], -1), grad: true },
  { name: 'split + mul', inputs: [f(17, 6)], fn: (x) => { const [a, b] = x.split([4, 13], 0); return a!.sum(0).mul(b!.sum(0)); }, grad: true },
  { name: 'narrow [65]', inputs: [f(65, 3)], fn: (x) => x.narrow(0, 17, 31), grad: true },
  { name: 'slice step 3', inputs: [f(4, 17)], fn: (x) => x.slice(1, 1, null, 3), grad: true },
  { name: 'pad [3,5]', inputs: [f(3, 5)], fn: (x) => ops.pad(x, [1, 2, 0, 3], 0.5), grad: true },
  { name: 'gather dim 1', inputs: [f(4, 17), { shape: [4, 5], kind: 'int', high: 17 }], fn: (x, i) => x.gather(1, i), grad: true },
  { name: 'indexSelect dim 0', inputs: [f(17, 5), { shape: [9], kind: 'int', high: 17 }], fn: (x, i) => x.indexSelect(0, i), grad: true },
  { name: 'embedding [2,5]', inputs: [{ shape: [2, 5], kind: 'int', high: 63 }, f(63, 17)], fn: (i, w) => ops.embedding(i, w), grad: true },
  { name: 'scatterAdd dim 0', inputs: [f(5, 3), { shape: [7, 3], kind: 'int', high: 5 }, f(7, 3)], fn: (x, i, s) => ops.scatterAdd(x, 0, i, s), grad: true },
  { name: 'indexAdd dim 1', inputs: [f(3, 5), { shape: [4], kind: 'int', high: 5 }, f(3, 4)], fn: (x, i, s) => ops.indexAdd(x, 1, i, s), grad: true },
  { name: 'layerNorm [3,65]', inputs: [f(3, 65), f(65), f(65)], fn: (x, w, b) => ops.layerNorm(x, [65], w, b), grad: true, atol: 5e-4 },
  { name: 'layerNorm [2,3,4] over 2 dims', inputs: [f(2, 3, 4)], fn: (x) => ops.layerNorm(x, [3, 4]), grad: true, atol: 5e-4 },
  { name: 'tril/triu', inputs: [f(2, 5, 7)], fn: (x) => x.tril(1).add(x.triu(-2)), grad: true },
  { name: 'cast float→int32', inputs: [f(17)], fn: (x) => x.mul(3).to('int32'), grad: false },
  { name: 'oneHot', inputs: [{ shape: [3, 4], kind: 'int', high: 6 }], fn: (i) => ops.oneHot(i, 6), grad: false },
  { name: 'attention block', inputs: [f(2, 5, 8), f(2, 7, 8), f(2, 7, 8)], fn: (q, k, v) => q.matmul(k.transpose(-2, -1)).mul(1 / Math.sqrt(8)).softmax(-1).matmul(v), grad: true, atol: 5e-4 },
  ...fusedAttentionCases,
];

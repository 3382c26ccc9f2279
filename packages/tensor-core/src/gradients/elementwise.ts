// Gradients of the element-wise kernels, written with public ops so every backend runs them.
import type { GradFunc } from '../autograd/tape.js';
import { erf, exp, sign, tanh } from '../ops/unary.js';
import { sumToShape } from '../ops/util.js';
import { where } from '../ops/binary.js';
import type { BinaryKernel, DifferentiableKernel, UnaryKernel } from '../kernel-names.js';

type DiffUnary = Extract<UnaryKernel, DifferentiableKernel>;
type DiffBinary = Extract<BinaryKernel, DifferentiableKernel>;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** One gradient per differentiable unary kernel. */
export const unaryGradients = {
  // d(−x) = −dy
  Neg: (dy) => [dy.neg()],
  // d eˣ = dy·y
  Exp: (dy, { output }) => [dy.mul(output)],
  // d log x = dy / x
  Log: (dy, { inputs: [x] }) => [dy.div(x!)],
  // d √x = dy / (2√x)
  Sqrt: (dy, { output }) => [dy.div(output.mul(2))],
  // d x^(−½) = −½·x^(−3/2)·dy = −½·y³·dy
  Rsqrt: (dy, { output }) => [dy.mul(output.pow(3)).mul(-0.5)],
  // d |x| = sign(x)·dy (0 at 0, as PyTorch)
  Abs: (dy, { inputs: [x] }) => [dy.mul(sign(x!))],
  // d tanh = (1 − y²)·dy
  Tanh: (dy, { output }) => [dy.mul(output.mul(output).neg().add(1))],
  // d σ = y(1 − y)·dy
  Sigmoid: (dy, { output }) => [dy.mul(output.mul(output.neg().add(1)))],
  // d relu = [x > 0]·dy
  Relu: (dy, { inputs: [x] }) => [where(x!.gt(0), dy, 0)],
  // exact: d x·Φ(x) = Φ(x) + x·φ(x); tanh form: ½(1+t) + ½x(1−t²)·√(2/π)(1 + 3·0.044715x²)
  Gelu: (dy, { inputs: [x], attrs }) => {
    const xv = x!;
    if (attrs.approximate === 'tanh') {
      const x2 = xv.mul(xv);
      const t = tanh(xv.add(x2.mul(xv).mul(0.044715)).mul(SQRT_2_OVER_PI));
      const dt = t.mul(t).neg().add(1).mul(x2.mul(3 * 0.044715).add(1)).mul(SQRT_2_OVER_PI);
      return [dy.mul(t.add(1).mul(0.5).add(xv.mul(dt).mul(0.5)))];
    }
    const cdf = erf(xv.mul(Math.SQRT1_2)).add(1).mul(0.5);
    const pdf = exp(xv.mul(xv).mul(-0.5)).mul(INV_SQRT_2PI);
    return [dy.mul(cdf.add(xv.mul(pdf)))];
  },
  // d x·σ(x) = σ(x)·(1 + x(1 − σ(x)))
  Silu: (dy, { inputs: [x] }) => {
    const s = x!.sigmoid();
    return [dy.mul(s.mul(x!.mul(s.neg().add(1)).add(1)))];
  },
  // d erf = 2/√π · e^(−x²)
  Erf: (dy, { inputs: [x] }) => [dy.mul(exp(x!.mul(x!).neg()).mul(2 / Math.sqrt(Math.PI)))],
  // d sin = cos·dy, d cos = −sin·dy
  Sin: (dy, { inputs: [x] }) => [dy.mul(x!.cos())],
  Cos: (dy, { inputs: [x] }) => [dy.mul(x!.sin()).neg()],
  // a float→float cast passes the gradient through; casts from integers have none
  Cast: (dy, { inputs: [x] }) => [x!.dtype === 'float32' ? dy : null],
} satisfies { [K in DiffUnary]: GradFunc<K> };

/** One gradient per differentiable binary kernel; each sums over the broadcast dims. */
export const binaryGradients = {
  // d(a+b) = dy, dy
  Add: (dy, { inputs: [a, b] }) => [sumToShape(dy, a!.shape), sumToShape(dy, b!.shape)],
  // d(a−b) = dy, −dy
  Sub: (dy, { inputs: [a, b], needs }) => [sumToShape(dy, a!.shape), needs[1] ? sumToShape(dy.neg(), b!.shape) : null],
  // d(a·b) = dy·b, dy·a
  Mul: (dy, { inputs: [a, b], needs }) => [
    needs[0] ? sumToShape(dy.mul(b!), a!.shape) : null,
    needs[1] ? sumToShape(dy.mul(a!), b!.shape) : null,
  ],
  // d(a/b) = dy/b, −dy·a/b²
  Div: (dy, { inputs: [a, b], needs }) => [
    needs[0] ? sumToShape(dy.div(b!), a!.shape) : null,
    needs[1] ? sumToShape(dy.mul(a!).div(b!.mul(b!)).neg(), b!.shape) : null,
  ],
  // d aᵇ = b·a^(b−1)·dy, log(a)·aᵇ·dy
  Pow: (dy, { inputs: [a, b], output, needs }) => [
    needs[0] ? sumToShape(dy.mul(b!).mul(a!.pow(b!.sub(1))), a!.shape) : null,
    needs[1] ? sumToShape(dy.mul(a!.log()).mul(output), b!.shape) : null,
  ],
  // max: dy goes to the larger input; ties split it in half (as PyTorch)
  Maximum: (dy, { inputs: [a, b] }) => {
    const share = a!.eq(b!).float().mul(0.5).add(a!.gt(b!).float());
    return [sumToShape(dy.mul(share), a!.shape), sumToShape(dy.mul(share.neg().add(1)), b!.shape)];
  },
  Minimum: (dy, { inputs: [a, b] }) => {
    const share = a!.eq(b!).float().mul(0.5).add(a!.lt(b!).float());
    return [sumToShape(dy.mul(share), a!.shape), sumToShape(dy.mul(share.neg().add(1)), b!.shape)];
  },
} satisfies { [K in DiffBinary]: GradFunc<K> };

// Element-wise kernels of one input: y = f(x), plus Cast. `x` is the input cell in each body.
import type { Backend, DType, KernelFunc, KernelOutput, TensorInfo, unaryKernels } from '@qkv/tensor-core';
import { storeAs } from '../program.js';

/** Names of the one-input element-wise kernels. */
export type UnaryKernel = (typeof unaryKernels)[number];
import { runProgram } from './util.js';

// erf by Abramowitz–Stegun 7.1.26 (|error| ≤ 1.5e-7, below float32 resolution near 1)
const erfOf = (z: string, v: string): string =>
  `  const ${v}a = Math.abs(${z});\n  const ${v}t = 1 / (1 + 0.3275911 * ${v}a);\n` +
  `  const ${v}p = 1 - ((((1.061405429 * ${v}t - 1.453152027) * ${v}t + 1.421413741) * ${v}t - 0.284496736) * ${v}t + 0.254829592) * ${v}t * Math.exp(-${v}a * ${v}a);\n` +
  `  const ${v} = ${z} < 0 ? -${v}p : ${v}p;`;

// tanh through exp of a clamped argument: GLSL tanh overflows to NaN past |x| ≈ 44 on some drivers
const tanhOf = (z: string, v: string): string =>
  `  const ${v}e = Math.exp(2 * Math.min(Math.max(${z}, -15), 15));\n  const ${v} = (${v}e - 1) / (${v}e + 1);`;

/** Kernel bodies (statements ending in `return`), by kernel name. */
const bodies: Record<Exclude<UnaryKernel, 'Cast' | 'Gelu'>, string> = {
  Neg: 'return -x;',
  Exp: 'return Math.exp(x);',
  Log: 'return Math.log(x);',
  Sqrt: 'return Math.sqrt(x);',
  Rsqrt: 'return 1 / Math.sqrt(x);',
  Abs: 'return Math.abs(x);',
  Tanh: `${tanhOf('x', 'th')}\n  return th;`,
  Sigmoid: 'return 1 / (1 + Math.exp(-x));',
  Relu: 'return x > 0 ? x : 0;',
  Silu: 'return x / (1 + Math.exp(-x));',
  Erf: `${erfOf('x', 'ef')}\n  return ef;`,
  Sign: 'return x > 0 ? 1 : (x < 0 ? -1 : 0);',
  Sin: 'return Math.sin(x);',
  Cos: 'return Math.cos(x);',
  Floor: 'return Math.floor(x);',
  LogicalNot: 'return x != 0 ? 0 : 1;',
  IsNan: 'return x != x ? 1 : 0;',
};

const GELU_ERF = `${erfOf('x * 0.70710678118', 'ef')}\n  return 0.5 * x * (1 + ef);`;
const GELU_TANH = `${tanhOf('0.7978845608 * (x + 0.044715 * x * x * x)', 'th')}\n  return 0.5 * x * (1 + th);`;

/** Runs `body` (of `x = a[i]`) over every cell: output shape = input shape. */
function mapKernel(op: UnaryKernel, backend: Backend, x: TensorInfo, body: string, dtype: DType): KernelOutput {
  const size = x.shape.reduce((a, b) => a * b, 1);
  return runProgram(backend, { op, size, args: ['a'], body: `  const x = a[i];\n  ${body}` }, [x], [...x.shape], dtype);
}

type MapUnary = Exclude<UnaryKernel, 'Cast' | 'Gelu'>;

/** The kernel for one unary op without attributes. */
export function unaryKernel(name: MapUnary): KernelFunc<MapUnary> {
  return ({ inputs: [x], backend }) => mapKernel(name, backend, x!, bodies[name], name === 'IsNan' ? 'bool' : x!.dtype);
}

/** x converted to `dtype`. */
export const castKernel: KernelFunc<'Cast'> = ({ inputs: [x], attrs: { dtype }, backend }) => mapKernel('Cast', backend, x!, `return ${storeAs(dtype, 'x')};`, dtype);

/** x·Φ(x), or PyTorch's tanh approximation. */
export const geluKernel: KernelFunc<'Gelu'> = ({ inputs: [x], attrs: { approximate }, backend }) =>
  mapKernel('Gelu', backend, x!, approximate === 'tanh' ? GELU_TANH : GELU_ERF, x!.dtype);

/** Every attribute-free unary kernel name this file implements (Cast and Gelu are their own kernels). */
export const unaryKernelNames = Object.keys(bodies) as MapUnary[];

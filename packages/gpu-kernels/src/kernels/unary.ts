// Element-wise kernels of one input: y = f(x), plus Cast. `x` is the input cell in each body.
import type { DType, KernelFunc, unaryKernels } from '@qkv/tensor-core';
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

function bodyFor(name: UnaryKernel, attrs: Record<string, unknown>, outDType: DType): string {
  if (name === 'Cast') return `return ${storeAs(outDType, 'x')};`;
  if (name === 'Gelu') return attrs.approximate === 'tanh' ? GELU_TANH : GELU_ERF;
  return bodies[name];
}

/** The kernel for one unary op: output shape = input shape. */
export function unaryKernel(name: UnaryKernel): KernelFunc {
  return ({ inputs: [x], attrs, backend }) => {
    const dtype: DType = name === 'Cast' ? (attrs.dtype as DType) : name === 'IsNan' ? 'bool' : x!.dtype;
    const size = x!.shape.reduce((a, b) => a * b, 1);
    const body = `  const x = a[i];\n  ${bodyFor(name, attrs, dtype)}`;
    return runProgram(backend, { op: name, size, args: ['a'], body }, [x!], [...x!.shape], dtype);
  };
}

/** Every unary kernel name this file implements. */
export const unaryKernelNames: UnaryKernel[] = [...(Object.keys(bodies) as UnaryKernel[]), 'Cast', 'Gelu'];

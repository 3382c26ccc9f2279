// Element-wise kernels of two inputs with NumPy broadcasting, and where(c, a, b).
import { broadcastShapes } from '@qkv/tensor-core';
import type { binaryKernels, DType, KernelFunc, TensorInfo } from '@qkv/tensor-core';
import { broadcastStrides, coordNames, offset, storeAs, unravel } from '../program.js';
import { runProgram, sizeOf } from './util.js';

/** Names of the two-input element-wise kernels. */
export type BinaryKernel = (typeof binaryKernels)[number];

/** Expressions over the operand cells `p` and `q`. */
const exprs: Record<BinaryKernel, string> = {
  Add: 'p + q',
  Sub: 'p - q',
  Mul: 'p * q',
  Div: 'p / q',
  // GLSL/WGSL pow is undefined for p < 0: use −p and restore the sign for odd integer exponents;
  // a fractional power of a negative base is sqrt(p < 0), NaN where the driver produces one
  Pow: '(q == 0 ? 1 : (p < 0 ? (Math.floor(q) == q ? (Math.floor(q * 0.5) * 2 == q ? 1 : -1) * Math.pow(-p, q) : Math.sqrt(p)) : Math.pow(p, q)))',
  Maximum: 'Math.max(p, q)',
  Minimum: 'Math.min(p, q)',
  Equal: '(p == q ? 1 : 0)',
  NotEqual: '(p != q ? 1 : 0)',
  Less: '(p < q ? 1 : 0)',
  LessEqual: '(p <= q ? 1 : 0)',
  Greater: '(p > q ? 1 : 0)',
  GreaterEqual: '(p >= q ? 1 : 0)',
  LogicalAnd: '(p != 0 && q != 0 ? 1 : 0)',
  LogicalOr: '(p != 0 || q != 0 ? 1 : 0)',
};

const boolOutput = new Set<BinaryKernel>(['Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'LogicalAnd', 'LogicalOr']);

/** Source reading operand `arg` (of shape `inShape`) at the output coordinates `c…`. */
function operand(arg: string, inShape: readonly number[], outShape: readonly number[]): string {
  if (sizeOf(inShape) === sizeOf(outShape)) return `${arg}[i]`;
  if (sizeOf(inShape) === 1) return `${arg}[0]`;
  return `${arg}[${offset(coordNames('c', outShape.length), broadcastStrides(inShape, outShape))}]`;
}

function needsCoords(infos: readonly TensorInfo[], size: number): boolean {
  return infos.some((t) => sizeOf(t.shape) !== size && sizeOf(t.shape) !== 1);
}

/** The kernel for one binary op: output shape = broadcast of the input shapes. */
export function binaryKernel(name: BinaryKernel): KernelFunc<BinaryKernel> {
  return ({ inputs: [a, b], backend }) => {
    const shape = broadcastShapes(name, a!.shape, b!.shape);
    const dtype: DType = boolOutput.has(name) ? 'bool' : a!.dtype;
    const size = sizeOf(shape);
    const coords = needsCoords([a!, b!], size) ? unravel('i', shape, 'c') + '\n' : '';
    const body = `${coords}  const p = ${operand('a', a!.shape, shape)};\n  const q = ${operand('b', b!.shape, shape)};\n  return ${storeAs(dtype, exprs[name])};`;
    return runProgram(backend, { op: name, size, args: ['a', 'b'], body }, [a!, b!], shape, dtype);
  };
}

/** where(c, a, b) with three-way broadcasting: a where c ≠ 0, else b. */
export const whereKernel: KernelFunc<'Where'> = ({ inputs: [c, a, b], backend }) => {
  const shape = broadcastShapes('where', broadcastShapes('where', c!.shape, a!.shape), b!.shape);
  const size = sizeOf(shape);
  const coords = needsCoords([c!, a!, b!], size) ? unravel('i', shape, 'c') + '\n' : '';
  const body = `${coords}  return ${operand('m', c!.shape, shape)} != 0 ? ${operand('a', a!.shape, shape)} : ${operand('b', b!.shape, shape)};`;
  return runProgram(backend, { op: 'Where', size, args: ['m', 'a', 'b'], body }, [c!, a!, b!], shape, a!.dtype);
};

/** Every binary kernel name. */
export const binaryKernelNames = Object.keys(exprs) as BinaryKernel[];

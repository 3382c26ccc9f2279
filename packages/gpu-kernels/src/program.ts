// gpu.js kernel sources as strings. Every kernel writes a flat 1-d output of `size` cells; shapes
// and strides are baked in as literals, so each distinct shape compiles (once) to its own kernel.
import type { DType } from '@qkv/tensor-core';

/** One gpu.js kernel: a source string over named array arguments, producing `size` cells. */
export interface Program {
  /** Kernel name for error messages, e.g. `'BatchMatMul'`. */
  readonly op: string;
  /** Output cells (the kernel's 1-d output size). */
  readonly size: number;
  /** Argument names, in call order. */
  readonly args: readonly string[];
  /** Statements of the kernel body; `i` is the flat output index; must `return` a number. */
  readonly body: string;
}

/** The full kernel source gpu.js compiles. Kept a string so minifiers cannot break it. */
export function kernelSource(p: Program): string {
  return `function(${p.args.join(', ')}) {\n  const i = this.thread.x;\n${p.body}\n}`;
}

/** A finite JavaScript number as a source literal (integers stay integers). */
export function lit(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`gpu-kernels: cannot inline the non-finite constant ${x}`);
  return Number.isInteger(x) ? String(x) : x.toExponential(9);
}

/** Row-major strides of `shape`. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) s[d] = s[d + 1]! * shape[d + 1]!;
  return s;
}

/**
 * Statements that split flat index `flat` of `shape` into coordinates `${prefix}0…`. Division is
 * done as floor((r + 0.5) / s) so an inexact float quotient cannot round to the wrong integer.
 */
export function unravel(flat: string, shape: readonly number[], prefix: string): string {
  const st = strides(shape);
  const lines = [`  let ${prefix}r = ${flat};`];
  shape.forEach((size, d) => {
    if (size === 1) lines.push(`  const ${prefix}${d} = 0;`);
    else if (d === shape.length - 1) lines.push(`  const ${prefix}${d} = ${prefix}r;`);
    else lines.push(`  const ${prefix}${d} = Math.floor((${prefix}r + 0.5) / ${st[d]!});`, `  ${prefix}r = ${prefix}r - ${prefix}${d} * ${st[d]!};`);
  });
  return lines.join('\n');
}

/** Σ coord[d]·stride[d] as source, skipping zero strides; `coords[d]` are expressions. */
export function offset(coords: readonly string[], st: readonly number[]): string {
  const terms = coords.flatMap((c, d) => (st[d] === 0 ? [] : [st[d] === 1 ? c : `${c} * ${st[d]!}`]));
  return terms.length ? terms.join(' + ') : '0';
}

/** Strides of `inShape` aligned right to `outShape`, 0 along broadcast dims (NumPy rules). */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const s = strides(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_, d) => (d < lead || inShape[d - lead] === 1 ? 0 : s[d - lead]!));
}

/** Coordinate names `${prefix}0 … ${prefix}(rank−1)`. */
export function coordNames(prefix: string, rank: number): string[] {
  return Array.from({ length: rank }, (_, d) => `${prefix}${d}`);
}

/** Rounds a float expression to what storing it as `dtype` keeps: trunc for int32, ≠0 for bool. */
export function storeAs(dtype: DType, expr: string): string {
  if (dtype === 'int32') return `(${expr} < 0 ? Math.ceil(${expr}) : Math.floor(${expr}))`;
  if (dtype === 'bool') return `(${expr} != 0 ? 1 : 0)`;
  return expr;
}

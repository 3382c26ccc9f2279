// Sum/Max/Min over a set of dims, and ArgMax/ArgMin along one dim. One thread per output cell
// loops over the reduced cells (gpu.js has no shared memory for a tree reduction).
import type { KernelFunc } from '@qkv/tensor-core';
import { coordNames, offset, strides, unravel } from '../program.js';
import { around, runProgram, sizeOf } from './util.js';

/** Source of the input offset of reduced cell `r` of the cell whose kept coordinates are `k…`. */
function reductionLoop(shape: readonly number[], dims: readonly number[], update: string): string {
  const st = strides(shape);
  const kept = shape.map((s, d) => (dims.includes(d) ? 1 : s));
  const reducedShape = dims.map((d) => shape[d]!);
  const rsize = sizeOf(reducedShape);
  const base = offset(coordNames('k', shape.length), kept.map((s, d) => (s === 1 ? 0 : st[d]!)));
  const trailing = dims.every((d, j) => d === shape.length - dims.length + j);
  // reduced dims at the end are contiguous: offset = base + r; otherwise split r into coordinates
  const inner = trailing
    ? `      const v = x[base + r];`
    : `${unravel('r', reducedShape, 'q').replace(/^/gm, '    ')}\n      const v = x[base + ${offset(coordNames('q', dims.length), dims.map((d) => st[d]!))}];`;
  return [
    unravel('i', kept, 'k'),
    `  const base = ${base};`,
    `  for (let r = 0; r < ${rsize}; r++) {`,
    inner,
    `      ${update}`,
    `  }`,
  ].join('\n');
}

/** Sum, Max or Min over `attrs.dims`, keeping them as size 1 when `attrs.keepdim`. */
export function reduceKernel<K extends 'Sum' | 'Max' | 'Min'>(kind: K): KernelFunc<K> {
  return ({ inputs: [x], attrs: { dims, keepdim }, backend }) => {
    const shape = x!.shape;
    const keep = shape.map((s, d) => (dims.includes(d) ? 1 : s));
    const squeezed = shape.filter((_, d) => !dims.includes(d));
    const update =
      kind === 'Sum' ? 'acc += v;' : kind === 'Max' ? 'if (r == 0 || v > acc) { acc = v; }' : 'if (r == 0 || v < acc) { acc = v; }';
    const body = `  let acc = 0;\n${reductionLoop(shape, dims, update)}\n  return acc;`;
    const out = keepdim ? keep : squeezed;
    return runProgram(backend, { op: kind, size: sizeOf(keep), args: ['x'], body }, [x!], out, x!.dtype);
  };
}

/** Index of the first largest (ArgMax) or smallest (ArgMin) cell along `attrs.dim`, as int32. */
export function argKernel<K extends 'ArgMax' | 'ArgMin'>(kind: K): KernelFunc<K> {
  return ({ inputs: [x], attrs: { dim, keepdim }, backend }) => {
    const [outer, size, inner] = around(x!.shape, dim);
    const cmp = kind === 'ArgMax' ? '>' : '<';
    const body = [
      `  const o = Math.floor((i + 0.5) / ${inner});`,
      `  const base = o * ${size * inner} + (i - o * ${inner});`,
      `  let best = x[base];`,
      `  let bestK = 0;`,
      `  for (let k = 1; k < ${size}; k++) {`,
      `    const v = x[base + k * ${inner}];`,
      `    if (v ${cmp} best) { best = v; bestK = k; }`,
      `  }`,
      `  return bestK;`,
    ].join('\n');
    const shape = x!.shape.flatMap((s, d) => (d === dim ? (keepdim ? [1] : []) : [s]));
    return runProgram(backend, { op: kind, size: outer * inner, args: ['x'], body }, [x!], shape, 'int32');
  };
}

// Gather/scatter-add and index_select/index_add. Indices arrive as float cells (exact to 2²⁴) and
// were range-checked by tensor-core's ops. Scatters are written gather-style: each output cell
// loops over the index entries that could land on it, so no two threads write the same cell.
import type { KernelFunc } from '@qkv/tensor-core';
import { coordNames, offset, strides, unravel } from '../program.js';
import { around, runProgram, sizeOf } from './util.js';

/** out[c] = x[c with c[dim] := index[c]] (output has index's shape). */
export const gatherKernel: KernelFunc<'Gather'> = ({ inputs: [x, index], attrs: { dim }, backend }) => {
  const shape = [...index!.shape];
  const coords = coordNames('c', shape.length).map((c, d) => (d === dim ? 'ix[i]' : c));
  const body = `${unravel('i', shape, 'c')}\n  return x[${offset(coords, strides(x!.shape))}];`;
  return runProgram(backend, { op: 'Gather', size: sizeOf(shape), args: ['x', 'ix'], body }, [x!, index!], shape, x!.dtype);
};

/** out = x; out[c with c[dim] := index[c]] += src[c] for every c of index's shape. */
export const scatterAddKernel: KernelFunc<'ScatterAdd'> = ({ inputs: [x, index, src], attrs: { dim }, backend }) => {
  const shape = [...x!.shape];
  const ishape = index!.shape;
  // only index cells sharing this cell's other coordinates can land here: loop over index dim `dim`
  const inRange = shape.flatMap((_, d) => (d !== dim && ishape[d]! < shape[d]! ? [`c${d} < ${ishape[d]!}`] : []));
  const at = (st: number[]): string => offset(coordNames('c', shape.length).map((c, d) => (d === dim ? 'j' : c)), st);
  const body = [
    unravel('i', shape, 'c'),
    '  let acc = x[i];',
    `  if (${inRange.length ? inRange.join(' && ') : 'true'}) {`,
    `    for (let j = 0; j < ${ishape[dim]!}; j++) {`,
    `      if (ix[${at(strides(ishape))}] == c${dim}) { acc += s[${at(strides(src!.shape))}]; }`,
    '    }',
    '  }',
    '  return acc;',
  ].join('\n');
  return runProgram(backend, { op: 'ScatterAdd', size: sizeOf(shape), args: ['x', 'ix', 's'], body }, [x!, index!, src!], shape, x!.dtype);
};

/** out = x with dim `attrs.dim` replaced by the slices at `index` (1-d). */
export const indexSelectKernel: KernelFunc<'IndexSelect'> = ({ inputs: [x, index], attrs: { dim }, backend }) => {
  const shape = x!.shape.map((s, d) => (d === dim ? index!.shape[0]! : s));
  const coords = coordNames('c', shape.length).map((c, d) => (d === dim ? `ix[${c}]` : c));
  const body = `${unravel('i', shape, 'c')}\n  return x[${offset(coords, strides(x!.shape))}];`;
  return runProgram(backend, { op: 'IndexSelect', size: sizeOf(shape), args: ['x', 'ix'], body }, [x!, index!], shape, x!.dtype);
};

/** out = x; out[…, index[k], …] += src[…, k, …] along `attrs.dim`. */
export const indexAddKernel: KernelFunc<'IndexAdd'> = ({ inputs: [x, index, src], attrs: { dim }, backend }) => {
  const [, size, inner] = around(x!.shape, dim);
  const count = index!.shape[0]!;
  const body = [
    `  const o = Math.floor((i + 0.5) / ${size * inner});`,
    `  const rest = i - o * ${size * inner};`,
    `  const t = Math.floor((rest + 0.5) / ${inner});`,
    `  const j = rest - t * ${inner};`,
    '  let acc = x[i];',
    `  for (let k = 0; k < ${count}; k++) {`,
    `    if (ix[k] == t) { acc += s[(o * ${count} + k) * ${inner} + j]; }`,
    '  }',
    '  return acc;',
  ].join('\n');
  return runProgram(backend, { op: 'IndexAdd', size: sizeOf(x!.shape), args: ['x', 'ix', 's'], body }, [x!, index!, src!], [...x!.shape], x!.dtype);
};

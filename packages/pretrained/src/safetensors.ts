// safetensors read a tensor at a time (header first, validated in full against the file's size,
// then one byte range per tensor), so a checkpoint is never held in memory beside the model.
// F32 on a little-endian machine becomes a view over the bytes read; F16 and BF16 are upcast.
import { makeTensor } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { PretrainedError } from './config.js';
import type { PretrainedSource } from './source.js';

/** Element sizes of the dtypes a Hub checkpoint may hold; only the float ones load as weights. */
const ITEM_SIZE = new Map<string, number>([['F32', 4], ['F16', 2], ['BF16', 2], ['F64', 8], ['I64', 8], ['I32', 4], ['I16', 2], ['I8', 1], ['U8', 1], ['BOOL', 1]]);
const MAX_HEADER = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One tensor of a file, after validation. Offsets are absolute in the file. */
export interface StoredTensor {
  file: string;
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Reads and validates the header of `file`: the length field, a UTF-8 JSON object, each entry's
 * dtype, shape and byte range (inside the file, matching the shape, no overlaps, no gaps).
 */
export async function readHeader(source: PretrainedSource, file: string, where: string): Promise<StoredTensor[]> {
  const fail = (m: string): never => {
    throw new PretrainedError(`${where}: ${file}: ${m}`);
  };
  const size = await source.size(file);
  if (size < 8) fail(`is ${size} bytes, too short for the 8-byte header length`);
  const head = await source.read(file, 0, 8);
  const view = new DataView(head.buffer, head.byteOffset, 8);
  const n = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (n < 2 || n > MAX_HEADER || n > size - 8) fail(`header length ${n} is impossible for a ${size}-byte file`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(await source.read(file, 8, 8 + n)));
  } catch (err) {
    return fail(`the header is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('the header must be a JSON object');
  const start = 8 + n;
  const tensors: StoredTensor[] = [];
  for (const [name, raw] of Object.entries(json)) {
    if (name === '__metadata__') continue;
    if (typeof raw !== 'object' || raw === null) return fail(`tensor '${name}' must be an object`);
    const { dtype, shape, data_offsets: offsets } = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const item = typeof dtype === 'string' ? ITEM_SIZE.get(dtype) : undefined;
    if (item === undefined) return fail(`tensor '${name}' has dtype ${JSON.stringify(dtype)?.slice(0, 20)}, not one of ${[...ITEM_SIZE.keys()].join(', ')}`);
    if (!Array.isArray(shape) || shape.length > 8 || !shape.every(isCount)) return fail(`tensor '${name}' shape must be at most 8 non-negative integers, got ${JSON.stringify(shape)?.slice(0, 60)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) return fail(`tensor '${name}' data_offsets must be [begin, end], got ${JSON.stringify(offsets)?.slice(0, 60)}`);
    const [begin, end] = offsets as [number, number];
    const bytes = (shape).reduce((a, s) => Math.min(a * s, Number.MAX_SAFE_INTEGER), item);
    if (begin > end || start + end > size || bytes !== end - begin) fail(`tensor '${name}' [${(shape).join(', ')}] ${dtype as string} needs ${bytes} bytes, data_offsets [${begin}, ${end}] in a ${size - start}-byte buffer`);
    tensors.push({ file, name, dtype: dtype as string, shape: shape, begin: start + begin, end: start + end });
  }
  const sorted = [...tensors].sort((a, b) => a.begin - b.begin);
  let covered = start;
  for (const t of sorted) {
    if (t.begin !== covered) fail(`tensor '${t.name}' starts at byte ${t.begin}, where ${t.begin < covered ? 'the previous tensor still runs' : 'a gap begins'} (expected ${covered})`);
    covered = t.end;
  }
  if (covered !== size) fail(`bytes ${covered}…${size} belong to no tensor`);
  return sorted;
}

/** Reads one tensor's bytes as float32 [shape]: a view for aligned little-endian F32, else a decoded copy. */
export async function readTensor(source: PretrainedSource, t: StoredTensor, where: string): Promise<Tensor> {
  if (t.dtype !== 'F32' && t.dtype !== 'F16' && t.dtype !== 'BF16') {
    throw new PretrainedError(`${where}: ${t.file}: tensor '${t.name}' is ${t.dtype}; weights must be F32, F16 or BF16`);
  }
  const bytes = await source.read(t.file, t.begin, t.end);
  return makeTensor(toFloat32(bytes, t.dtype), [...t.shape], 'float32');
}

function toFloat32(bytes: Uint8Array, dtype: 'F32' | 'F16' | 'BF16'): Float32Array {
  if (dtype === 'F32') {
    if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    const out = new Float32Array(bytes.length / 4);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }
  const n = bytes.length / 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float32Array(n);
  if (dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16; // bfloat16 is float32's top half
    return out;
  }
  for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  return out;
}

/** IEEE 754 half → float (exact). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

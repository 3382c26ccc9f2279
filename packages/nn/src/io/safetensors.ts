// safetensors read and write (https://github.com/huggingface/safetensors): 8-byte little-endian
// header length N, N bytes of UTF-8 JSON, then the tensors' bytes. Everything in the header is
// validated before any tensor byte is read, so a corrupt or hostile file gives a clear error.
import { QkvError, tensor, ValueError } from '@qkv/tensor-core';
import type { Tensor, TypedArray } from '@qkv/tensor-core';
import { decode, encode, itemSize, loadedDType, unsupported } from './dtypes.js';
import type { SafetensorsDType } from './dtypes.js';

/** A malformed safetensors file. The message says which check failed and on what. */
export class SafetensorsError extends QkvError {}

/** One tensor's entry in the header, after validation. */
export interface TensorEntry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  /** Byte range [begin, end) relative to the start of the data buffer. */
  dataOffsets: [number, number];
}

/** A validated header: the tensors, the free-form metadata, where the buffer starts. */
export interface SafetensorsHeader {
  tensors: TensorEntry[];
  metadata: Record<string, string>;
  /** Byte offset of the data buffer in the file (8 + N). */
  bufferStart: number;
}

/** The header may not exceed 100 MB, the reference implementation's limit. */
const MAX_HEADER = 100_000_000;

const fail = (message: string): never => {
  throw new SafetensorsError(`safetensors.load: ${message}`);
};

function asBytes(data: Uint8Array | ArrayBuffer): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new ValueError(`safetensors.load: expected a Uint8Array or ArrayBuffer, got ${typeof data}`);
}

function parseJson(bytes: Uint8Array, n: number): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail('the header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail(`the header is not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(`the header must be a JSON object, got ${Array.isArray(json) ? 'an array' : String(json === null ? 'null' : typeof json)}`);
  return json as Record<string, unknown>;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function parseEntry(name: string, raw: unknown, bufferLength: number): TensorEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`tensor '${name}': entry must be an object`);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string') return fail(`tensor '${name}': dtype must be a string, got ${typeof dtype}`);
  if (!(dtype in itemSize)) return fail(`tensor '${name}': ${unsupported.has(dtype) ? 'unsupported' : 'unknown'} dtype '${dtype.slice(0, 20)}'`);
  if (!Array.isArray(shape) || !shape.every(isCount)) return fail(`tensor '${name}': shape must be an array of non-negative integers, got ${JSON.stringify(shape)?.slice(0, 60)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    return fail(`tensor '${name}': data_offsets must be [begin, end] non-negative integers, got ${JSON.stringify(offsets)?.slice(0, 60)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) fail(`tensor '${name}': data_offsets [${begin}, ${end}] has begin > end`);
  if (end > bufferLength) fail(`tensor '${name}': data_offsets [${begin}, ${end}] lie outside the ${bufferLength}-byte buffer`);
  const d = dtype as SafetensorsDType;
  let bytes = itemSize[d];
  for (const s of shape) {
    bytes *= s;
    if (bytes > bufferLength) break; // already too big, and keeps the product a safe integer
  }
  if (bytes !== end - begin) fail(`tensor '${name}': shape [${(shape).join(',')}] of ${d} needs ${bytes > bufferLength ? `more than ${bufferLength}` : bytes} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  return { name, dtype: d, shape: shape, dataOffsets: [begin, end] };
}

/**
 * Reads and validates the header: the length field, UTF-8 JSON object, metadata of strings,
 * each tensor's dtype, shape and byte range, that ranges do not overlap and cover the buffer.
 * @example parseHeader(bytes).tensors.map((t) => t.name)
 */
export function parseHeader(data: Uint8Array | ArrayBuffer): SafetensorsHeader {
  const bytes = asBytes(data);
  if (bytes.length < 8) fail(`the file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  const n = hi * 2 ** 32 + lo;
  if (n > bytes.length - 8) fail(`header length ${n} exceeds the ${bytes.length - 8} bytes after the length field`);
  if (n > MAX_HEADER) fail(`header length ${n} exceeds the ${MAX_HEADER}-byte limit`);
  if (n < 2) fail(`header length ${n} is too short for a JSON object`);
  const json = parseJson(bytes, n);
  const bufferStart = 8 + n;
  const bufferLength = bytes.length - bufferStart;
  const metadata: Record<string, string> = {};
  const tensors: TensorEntry[] = [];
  for (const [name, raw] of Object.entries(json)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(raw as object)) {
        if (typeof v !== 'string') fail(`__metadata__['${k}'] must be a string, got ${typeof v}`);
        metadata[k] = v as string;
      }
    } else {
      if (name === '') fail('a tensor has an empty name');
      tensors.push(parseEntry(name, raw, bufferLength));
    }
  }
  const sorted = [...tensors].sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let covered = 0;
  for (const t of sorted) {
    const [begin, end] = t.dataOffsets;
    if (begin < covered) fail(`tensor '${t.name}' at [${begin}, ${end}] overlaps the previous tensor, which ends at ${covered}`);
    if (begin > covered) fail(`bytes [${covered}, ${begin}) of the buffer belong to no tensor`);
    covered = end;
  }
  if (covered !== bufferLength) fail(`bytes [${covered}, ${bufferLength}) of the buffer belong to no tensor`);
  return { tensors, metadata, bufferStart };
}

/** What `load` returns. */
export interface Loaded {
  /** Tensors by name, in header order. F16/BF16/F64 load as float32, I64/I16/I8/U8 as int32. */
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/**
 * Parses a safetensors file from memory (Node or browser). I64 values outside the int32 range
 * are an error, not a silent wrap.
 * @example const { tensors } = load(new Uint8Array(await (await fetch(url)).arrayBuffer())); model.loadStateDict(tensors)
 */
export function load(data: Uint8Array | ArrayBuffer): Loaded {
  const bytes = asBytes(data);
  const header = parseHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors: Record<string, Tensor> = {};
  for (const t of header.tensors) {
    const count = (t.dataOffsets[1] - t.dataOffsets[0]) / itemSize[t.dtype];
    const values = decode(view, header.bufferStart + t.dataOffsets[0], count, t.dtype);
    if ('outOfRange' in values) fail(`tensor '${t.name}': I64 value ${values.outOfRange} does not fit in int32`);
    tensors[t.name] = tensor(values as TypedArray, { shape: t.shape, dtype: loadedDType(t.dtype) });
  }
  return { tensors, metadata: header.metadata };
}

/** Options of `save`. */
export interface SaveOptions {
  /** Free-form string metadata, stored as `__metadata__`. */
  metadata?: Record<string, string>;
  /** How float32 tensors are stored (default 'F32'). */
  floatDType?: 'F32' | 'F16' | 'BF16';
  /** How int32 tensors are stored (default 'I32'; 'I64' as PyTorch's default integer type). */
  intDType?: 'I32' | 'I64';
}

/**
 * Writes tensors as a safetensors file: the header padded with spaces to 8 bytes, then the data,
 * larger element types first so every tensor stays aligned.
 * @example const bytes = save(model.stateDict(), { metadata: { format: 'pt' } })
 */
export function save(tensors: Readonly<Record<string, Tensor>>, options: SaveOptions = {}): Uint8Array {
  const { metadata, floatDType = 'F32', intDType = 'I32' } = options;
  const entries = Object.entries(tensors).map(([name, t]) => {
    if (name === '' || name === '__metadata__') throw new ValueError(`safetensors.save: invalid tensor name '${name}'`);
    const dtype: SafetensorsDType = t.dtype === 'float32' ? floatDType : t.dtype === 'int32' ? intDType : 'BOOL';
    return { name, t, dtype, bytes: t.size * itemSize[dtype] };
  });
  entries.sort((a, b) => itemSize[b.dtype] - itemSize[a.dtype]);
  const header: Record<string, unknown> = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new ValueError(`safetensors.save: metadata['${k}'] must be a string, got ${typeof v}`);
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const e of entries) {
    header[e.name] = { dtype: e.dtype, shape: e.t.shape, data_offsets: [offset, offset + e.bytes] };
    offset += e.bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(padded - json.length));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const e of entries) {
    encode(view, at, e.t.dataSync(), e.dtype);
    at += e.bytes;
  }
  return out;
}

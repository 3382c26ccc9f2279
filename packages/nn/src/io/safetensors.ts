// safetensors read and write (https://github.com/huggingface/safetensors): 8-byte little-endian
// header length N, N bytes of UTF-8 JSON, then the tensors' bytes. Everything in the header is
// validated before any tensor byte is read, so a corrupt or hostile file gives a clear error.
// Names live in a Map and null-prototype objects, so `__proto__` or `constructor` is just a name.
import { tensor, ValueError } from '@qkv/tensor-core';
import type { Tensor, TypedArray } from '@qkv/tensor-core';
import { decode, encode, isSafetensorsDType, itemSize, loadedDType, unsupported } from './dtypes.js';
import type { SafetensorsDType } from './dtypes.js';
import { describeValue, duplicateKey, ioError } from './errors.js';
import type { IOContext } from './errors.js';

export { SafetensorsError } from './errors.js';

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
  /** `__metadata__`, string → string, in a null-prototype object. */
  metadata: Record<string, string>;
  /** Byte offset of the data buffer in the file (8 + N). */
  bufferStart: number;
}

/** Options of `parseHeader` and `load`. */
export interface SafetensorsLoadOptions {
  /** The file's name, for error messages (`loadFile` passes its path). */
  file?: string;
  /**
   * What to do with NaN or ±∞ in a float tensor: `'allow'` (default) keeps them, `'error'` throws
   * a SafetensorsError naming the tensor (a sign of corrupted weights).
   */
  nonFinite?: 'allow' | 'error';
}

/** The header may not exceed 100 MB, the reference implementation's limit. */
export const MAX_HEADER_BYTES = 100_000_000;
/** Tensors of higher rank are refused (PyTorch allows 64 dimensions at most, too). */
export const MAX_RANK = 64;

function asBytes(data: Uint8Array | ArrayBuffer, fn: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new ValueError(`${fn}: expected a Uint8Array or ArrayBuffer, got ${data === null ? 'null' : typeof data}`);
}

function parseJson(ctx: IOContext, bytes: Uint8Array, n: number): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw ioError(ctx, 'header', 'the header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw ioError(ctx, 'header', `the header is not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw ioError(ctx, 'header', `the header must be a JSON object, got ${Array.isArray(json) ? 'an array' : json === null ? 'null' : typeof json}`);
  }
  const dup = duplicateKey(text);
  if (dup !== undefined) throw ioError(ctx, 'header', `expected unique keys, got ${describeValue(dup)} twice`);
  return json as Record<string, unknown>;
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Bytes that `shape` of `d` needs; any zero dimension makes it 0, a product past `cap` stops at cap + 1. */
function byteCount(shape: readonly number[], d: SafetensorsDType, cap: number): number {
  if (shape.includes(0)) return 0;
  let bytes = itemSize[d];
  for (const s of shape) {
    bytes *= s;
    if (bytes > cap) return cap + 1; // too big already; keeps the product a safe integer
  }
  return bytes;
}

function parseEntry(ctx: IOContext, name: string, raw: unknown, bufferLength: number): TensorEntry {
  const field = `tensor ${describeValue(name)}`;
  const fail = (what: string): never => {
    throw ioError(ctx, field, what);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`entry must be an object {dtype, shape, data_offsets}, got ${describeValue(raw)}`);
  const own = (key: string): unknown => (Object.hasOwn(raw, key) ? (raw as Record<string, unknown>)[key] : undefined);
  const dtype = own('dtype');
  const shape = own('shape');
  const offsets = own('data_offsets');
  if (typeof dtype !== 'string') return fail(`dtype must be a string, got ${describeValue(dtype)}`);
  if (!isSafetensorsDType(dtype)) return fail(`${unsupported.has(dtype) ? 'unsupported' : 'unknown'} dtype ${describeValue(dtype)}; expected one of ${Object.keys(itemSize).join(', ')}`);
  if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every(isCount)) {
    return fail(`shape must be an array of at most ${MAX_RANK} non-negative integers, got ${describeValue(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    return fail(`data_offsets must be [begin, end] non-negative integers, got ${describeValue(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) fail(`data_offsets [${begin}, ${end}] has begin > end`);
  if (end > bufferLength) fail(`data_offsets [${begin}, ${end}] lie outside the ${bufferLength}-byte buffer`);
  const bytes = byteCount(shape, dtype, bufferLength);
  if (bytes !== end - begin) {
    fail(`shape [${(shape).join(',')}] of ${dtype} needs ${bytes > bufferLength ? `more than ${bufferLength}` : bytes} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { name, dtype, shape: [...(shape)], dataOffsets: [begin, end] };
}

function parseMetadata(ctx: IOContext, raw: unknown): Record<string, string> {
  const metadata = Object.create(null) as Record<string, string>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw ioError(ctx, '__metadata__', `must be an object of strings, got ${describeValue(raw)}`);
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') throw ioError(ctx, `__metadata__[${describeValue(k)}]`, `must be a string, got ${describeValue(v)}`);
    metadata[k] = v;
  }
  return metadata;
}

function headerOf(ctx: IOContext, bytes: Uint8Array): SafetensorsHeader {
  if (bytes.length < 8) throw ioError(ctx, 'header length', `the file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (n > bytes.length - 8) throw ioError(ctx, 'header length', `header length ${n} exceeds the ${bytes.length - 8} bytes after the length field`);
  if (n > MAX_HEADER_BYTES) throw ioError(ctx, 'header length', `header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (n < 2) throw ioError(ctx, 'header length', `header length ${n} is too short for a JSON object`);
  const json = parseJson(ctx, bytes, n);
  const bufferStart = 8 + n;
  const bufferLength = bytes.length - bufferStart;
  let metadata = Object.create(null) as Record<string, string>;
  const tensors: TensorEntry[] = [];
  for (const [name, raw] of Object.entries(json)) {
    if (name === '__metadata__') metadata = parseMetadata(ctx, raw);
    else if (name === '') throw ioError(ctx, 'tensor ""', 'a tensor has an empty name');
    else tensors.push(parseEntry(ctx, name, raw, bufferLength));
  }
  const sorted = [...tensors].sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let covered = 0;
  for (const t of sorted) {
    const [begin, end] = t.dataOffsets;
    if (begin < covered) throw ioError(ctx, `tensor ${describeValue(t.name)}`, `range [${begin}, ${end}] overlaps the previous tensor, which ends at ${covered}`);
    if (begin > covered) throw ioError(ctx, 'data', `bytes [${covered}, ${begin}) of the buffer belong to no tensor`);
    covered = end;
  }
  if (covered !== bufferLength) throw ioError(ctx, 'data', `bytes [${covered}, ${bufferLength}) of the buffer belong to no tensor`);
  return { tensors, metadata, bufferStart };
}

/**
 * Reads and validates the header: the length field, UTF-8 JSON object with unique keys, metadata of
 * strings, each tensor's dtype, shape (rank ≤ 64, zero-size dimensions allowed) and byte range,
 * that ranges do not overlap and cover the buffer. Reads no tensor data.
 * @example parseHeader(bytes).tensors.map((t) => t.name)
 */
export function parseHeader(data: Uint8Array | ArrayBuffer, options: Pick<SafetensorsLoadOptions, 'file'> = {}): SafetensorsHeader {
  return headerOf({ fn: 'safetensors.parseHeader', file: options.file }, asBytes(data, 'safetensors.parseHeader'));
}

/** What `load` returns. */
export interface Loaded {
  /**
   * Tensors by name, in header order, in a null-prototype object (a tensor may be named
   * `__proto__` or `toString`). F16/BF16/F64 load as float32, I64/I16/I8/U8 as int32.
   */
  tensors: Record<string, Tensor>;
  /** The same tensors in a Map, in header order. */
  tensorMap: Map<string, Tensor>;
  /** `__metadata__`, string → string, in a null-prototype object. */
  metadata: Record<string, string>;
}

function firstNonFinite(values: TypedArray): number {
  if (!(values instanceof Float32Array)) return -1;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

/**
 * Parses a safetensors file from memory (Node or browser). I64 values outside the int32 range
 * are an error, not a silent wrap. Every error is a SafetensorsError naming the file (when given)
 * and the field.
 * @example const { tensors } = load(new Uint8Array(await (await fetch(url)).arrayBuffer()), { file: url }); model.loadStateDict(tensors)
 */
export function load(data: Uint8Array | ArrayBuffer, options: SafetensorsLoadOptions = {}): Loaded {
  const ctx: IOContext = { fn: 'safetensors.load', file: options.file };
  const bytes = asBytes(data, ctx.fn);
  const header = headerOf(ctx, bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors = Object.create(null) as Record<string, Tensor>;
  const tensorMap = new Map<string, Tensor>();
  try {
    for (const t of header.tensors) {
      const field = `tensor ${describeValue(t.name)}`;
      const count = (t.dataOffsets[1] - t.dataOffsets[0]) / itemSize[t.dtype];
      const values = decode(view, header.bufferStart + t.dataOffsets[0], count, t.dtype);
      if ('outOfRange' in values) throw ioError(ctx, field, `I64 value ${values.outOfRange} does not fit in int32`);
      if (options.nonFinite === 'error') {
        const at = firstNonFinite(values);
        if (at >= 0) throw ioError(ctx, field, `expected finite values, got ${values[at]} at element ${at} (corrupted weights?)`);
      }
      const loaded = tensor(values, { shape: t.shape, dtype: loadedDType(t.dtype) });
      tensors[t.name] = loaded;
      tensorMap.set(t.name, loaded);
    }
  } catch (err) {
    for (const t of tensorMap.values()) t.dispose();
    throw err;
  }
  return { tensors, tensorMap, metadata: header.metadata };
}

/** Options of `save`. */
export interface SaveOptions {
  /** Free-form string metadata, stored as `__metadata__`. */
  metadata?: Readonly<Record<string, string>>;
  /** How float32 tensors are stored (default 'F32'). */
  floatDType?: 'F32' | 'F16' | 'BF16';
  /** How int32 tensors are stored (default 'I32'; 'I64' as PyTorch's default integer type). */
  intDType?: 'I32' | 'I64';
}

/** Tensors to save: an object (own keys; build one with a `__proto__` key as `{ ['__proto__']: t }`) or a Map. */
export type NamedTensors = Readonly<Record<string, Tensor>> | ReadonlyMap<string, Tensor>;

function namedEntries(tensors: NamedTensors): [string, Tensor][] {
  if (tensors instanceof Map) return [...(tensors as ReadonlyMap<string, Tensor>).entries()];
  if (typeof tensors !== 'object' || tensors === null) throw new ValueError(`safetensors.save: expected an object or Map of tensors, got ${describeValue(tensors)}`);
  return Object.entries(tensors);
}

/**
 * Writes tensors as a safetensors file: the header padded with spaces to 8 bytes, then the data,
 * larger element types first so every tensor stays aligned. Any non-empty name but `__metadata__`
 * round-trips through `load`, `__proto__` included.
 * @example const bytes = save(model.stateDict(), { metadata: { format: 'pt' } })
 */
export function save(tensors: NamedTensors, options: SaveOptions = {}): Uint8Array {
  const { metadata, floatDType = 'F32', intDType = 'I32' } = options;
  const entries = namedEntries(tensors).map(([name, t]) => {
    if (name === '' || name === '__metadata__') throw new ValueError(`safetensors.save: invalid tensor name '${name}'`);
    if (typeof t !== 'object' || t === null || typeof (t as Partial<Tensor>).dataSync !== 'function') throw new ValueError(`safetensors.save: tensor '${name}' must be a Tensor, got ${describeValue(t)}`);
    const dtype: SafetensorsDType = t.dtype === 'float32' ? floatDType : t.dtype === 'int32' ? intDType : 'BOOL';
    return { name, t, dtype, bytes: t.size * itemSize[dtype] };
  });
  entries.sort((a, b) => itemSize[b.dtype] - itemSize[a.dtype]);
  const header = Object.create(null) as Record<string, unknown>;
  if (metadata) {
    const meta = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new ValueError(`safetensors.save: metadata['${k}'] must be a string, got ${typeof v}`);
      meta[k] = v;
    }
    header.__metadata__ = meta;
  }
  let offset = 0;
  for (const e of entries) {
    header[e.name] = { dtype: e.dtype, shape: e.t.shape, data_offsets: [offset, offset + e.bytes] };
    offset += e.bytes;
  }
  const text = JSON.stringify(header);
  let json = new TextEncoder().encode(text);
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) json = new TextEncoder().encode(text + ' '.repeat(padded - json.length));
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

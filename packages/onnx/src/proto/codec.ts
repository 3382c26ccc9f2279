// ModelProto bytes ⇄ objects through protobufjs, and the initializers of a file read back as typed
// arrays with every field checked (a reader never trusts a length, dtype or name it has not checked).
import protobuf from 'protobufjs/light.js';
import { DataType, ModelProtoType } from './schema.js';
import type { ModelProto, TensorProto } from './schema.js';

/**
 * Serialises a model to the ONNX protobuf wire format.
 * @example const bytes = encodeModel(model); fs.writeFileSync('model.onnx', bytes)
 */
export function encodeModel(model: ModelProto): Uint8Array {
  const problem = ModelProtoType.verify(model);
  if (problem) throw new TypeError(`encodeModel: the model does not fit onnx.ModelProto: ${problem}`);
  // One buffer sized up front and returned as is: left to itself, protobufjs's writer doubles its
  // buffer as it fills and copies it once more at the end, so a 475 MiB GPT-2 held two buffers of the
  // file's size (and briefly a third) beside the model. The size bound is the model encoded without
  // its raw_data, plus each raw_data's bytes and at most 15 bytes of tag and length prefixes per
  // initializer (its own, the raw_data's and the growth of the graph's).
  const initializers = model.graph?.initializer ?? [];
  const withoutRaw = initializers.map((t) => Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'rawData')) as unknown as TensorProto);
  let bound = ModelProtoType.encode(ModelProtoType.fromObject({ ...model, graph: { ...model.graph, initializer: withoutRaw } })).finish().length + 16;
  for (const t of initializers) bound += (t.rawData?.length ?? 0) + 15;
  const writer = protobuf.Writer.create();
  writer.buf = (writer.constructor as typeof protobuf.Writer).alloc(bound);
  ModelProtoType.encode(ModelProtoType.fromObject(model), writer);
  return writer.buf.length - writer.pos <= 15 * initializers.length + 16 ? writer.buf.subarray(0, writer.pos) : writer.finish();
}

/**
 * Parses ONNX protobuf bytes into a plain ModelProto object (int64 fields as numbers).
 * @example const model = decodeModel(fs.readFileSync('model.onnx')); model.graph.node.length
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`decodeModel: expected the file's bytes as a Uint8Array, got ${typeof bytes}`);
  let message;
  try {
    message = ModelProtoType.decode(bytes);
  } catch (e) {
    throw new TypeError(`decodeModel: not an ONNX ModelProto (${(e as Error).message})`, { cause: e });
  }
  const model = ModelProtoType.toObject(message, { longs: Number, arrays: true, defaults: false }) as ModelProto;
  if (!model.graph) throw new TypeError('decodeModel: the ModelProto has no graph (field 7)');
  model.graph.node ??= [];
  model.graph.initializer ??= [];
  model.graph.input ??= [];
  model.graph.output ??= [];
  return model;
}

/** An initializer read back: its shape, dtype and a typed array over a copy of its bytes. */
export interface OnnxTensor {
  shape: number[];
  dtype: 'float32' | 'int32' | 'int64' | 'bool';
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array;
}

const READ = {
  [DataType.FLOAT]: { dtype: 'float32', bytes: 4, make: (b: ArrayBuffer) => new Float32Array(b) },
  [DataType.INT32]: { dtype: 'int32', bytes: 4, make: (b: ArrayBuffer) => new Int32Array(b) },
  [DataType.INT64]: { dtype: 'int64', bytes: 8, make: (b: ArrayBuffer) => new BigInt64Array(b) },
  [DataType.BOOL]: { dtype: 'bool', bytes: 1, make: (b: ArrayBuffer) => new Uint8Array(b) },
} as const;

/** Most elements one initializer may claim (2³¹ − 1: no typed array is longer). */
const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * Checks one TensorProto (dtype, dims, data length) and copies its raw or typed data into a typed array.
 * @example readTensor(decodeModel(bytes).graph.initializer[0]!).shape // e.g. [V, E]
 */
export function readTensor(t: TensorProto): OnnxTensor {
  const op = 'readInitializers';
  const name = t.name ?? '';
  const kind = READ[t.dataType as keyof typeof READ];
  if (!kind) throw new TypeError(`${op}: initializer '${name}' has data_type ${t.dataType}; this reader supports FLOAT (1), INT32 (6), INT64 (7) and BOOL (9)`);
  const dims = t.dims ?? [];
  let count = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new TypeError(`${op}: initializer '${name}' has a bad dimension ${d} in dims [${dims.join(', ')}]`);
    count *= d;
    if (count > MAX_ELEMENTS) throw new TypeError(`${op}: initializer '${name}' claims ${dims.join('×')} elements, more than ${MAX_ELEMENTS}`);
  }
  const buffer = new ArrayBuffer(count * kind.bytes);
  if (t.rawData && t.rawData.length > 0) {
    if (t.rawData.length !== count * kind.bytes) {
      throw new TypeError(`${op}: initializer '${name}' [${dims.join(', ')}] needs ${count * kind.bytes} bytes of raw_data, got ${t.rawData.length}`);
    }
    new Uint8Array(buffer).set(t.rawData);
    return { shape: [...dims], dtype: kind.dtype, data: kind.make(buffer) };
  }
  const typed = kind.dtype === 'float32' ? t.floatData : kind.dtype === 'int64' ? t.int64Data : t.int32Data;
  const values = typed ?? [];
  if (values.length !== count) throw new TypeError(`${op}: initializer '${name}' [${dims.join(', ')}] needs ${count} values, got ${values.length}`);
  const out = kind.make(buffer);
  if (out instanceof BigInt64Array) values.forEach((v, i) => (out[i] = BigInt(v)));
  else out.set(values);
  return { shape: [...dims], dtype: kind.dtype, data: out };
}

/**
 * The initializers of an ONNX file by name (a Map, so no name can reach an object prototype).
 * Throws on a repeated name, an unsupported dtype or data whose length disagrees with its dims.
 * @example const weights = readInitializers(bytes); weights.get('lm_head.weight')!.shape // [V, E]
 */
export function readInitializers(bytes: Uint8Array): Map<string, OnnxTensor> {
  const out = new Map<string, OnnxTensor>();
  for (const t of decodeModel(bytes).graph.initializer) {
    if (typeof t.name !== 'string' || t.name === '') throw new TypeError('readInitializers: an initializer has no name');
    if (out.has(t.name)) throw new TypeError(`readInitializers: initializer '${t.name}' appears twice`);
    out.set(t.name, readTensor(t));
  }
  return out;
}

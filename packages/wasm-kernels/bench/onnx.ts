// A hand-rolled ONNX protobuf encoder, just enough for the multi-head attention graph of the
// benchmark (no downloads, no onnx package): MatMul, Reshape, Transpose, Mul, Softmax, opset 13.

type Field = Uint8Array;

function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const concat = (parts: Field[]): Field => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const tag = (field: number, wire: number): number[] => varint((field << 3) | wire);
const int = (field: number, v: number | bigint): Field => new Uint8Array([...tag(field, 0), ...varint(v)]);
const bytes = (field: number, b: Field): Field => concat([new Uint8Array([...tag(field, 2), ...varint(b.length)]), b]);
const str = (field: number, s: string): Field => bytes(field, new TextEncoder().encode(s));
const float = (field: number, v: number): Field => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  return concat([new Uint8Array(tag(field, 5)), b]);
};

/** An ONNX node; attributes are ints, int lists or floats. */
export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, number | number[]>;
  floatAttrs?: Record<string, number>;
}

function attribute(name: string, v: number | number[]): Field {
  // AttributeProto: name 1, f 2, i 3, ints 8, type 20 (FLOAT 1, INT 2, INTS 7)
  if (Array.isArray(v)) return concat([str(1, name), ...v.map((x) => int(8, x)), int(20, 7)]);
  return concat([str(1, name), int(3, v), int(20, 2)]);
}

function node(n: OnnxNode, i: number): Field {
  const attrs = Object.entries(n.attrs ?? {}).map(([k, v]) => bytes(5, attribute(k, v)));
  const fattrs = Object.entries(n.floatAttrs ?? {}).map(([k, v]) => bytes(5, concat([str(1, k), float(2, v), int(20, 1)])));
  return concat([...n.inputs.map((s) => str(1, s)), ...n.outputs.map((s) => str(2, s)), str(3, `n${i}`), str(4, n.op), ...attrs, ...fattrs]);
}

/** TensorProto: dims 1, data_type 2 (FLOAT 1, INT64 7), name 8, raw_data 9. */
function initializer(name: string, dims: number[], data: Float32Array | BigInt64Array): Field {
  const type = data instanceof Float32Array ? 1 : 7;
  return concat([...dims.map((d) => int(1, d)), int(2, type), str(8, name), bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength))]);
}

/** ValueInfoProto for a float tensor of a fixed shape. */
function valueInfo(name: string, shape: number[]): Field {
  const dims = shape.map((d) => bytes(1, int(1, d)));
  const tensorType = concat([int(1, 1), bytes(2, concat(dims))]);
  return concat([str(1, name), bytes(2, bytes(1, tensorType))]);
}

/** Serialises a one-graph model (ir_version 8, default-domain opset 13). */
export function encodeModel(graph: {
  nodes: OnnxNode[];
  initializers: { name: string; dims: number[]; data: Float32Array | BigInt64Array }[];
  inputs: { name: string; shape: number[] }[];
  outputs: { name: string; shape: number[] }[];
}): Uint8Array {
  const g = concat([
    ...graph.nodes.map((n, i) => bytes(1, node(n, i))),
    str(2, 'qkv-bench'),
    ...graph.initializers.map((t) => bytes(5, initializer(t.name, t.dims, t.data))),
    ...graph.inputs.map((v) => bytes(11, valueInfo(v.name, v.shape))),
    ...graph.outputs.map((v) => bytes(12, valueInfo(v.name, v.shape))),
  ]);
  return concat([int(1, 8), bytes(8, concat([str(1, ''), int(2, 13)])), bytes(7, g)]);
}

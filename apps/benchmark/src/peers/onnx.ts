// ONNX Runtime peers: models written in code as ONNX protobuf (no downloads), run by
// onnxruntime-node and onnxruntime-web (wasm) in this process.

/** A minimal protobuf writer: varints, length-delimited fields, packed repeats. */
class Pb {
  private bytes: number[] = [];
  private varint(v: number | bigint): void {
    let x = BigInt(v);
    if (x < 0n) x += 1n << 64n;
    while (x >= 0x80n) {
      this.bytes.push(Number((x & 0x7fn) | 0x80n));
      x >>= 7n;
    }
    this.bytes.push(Number(x));
  }
  int(field: number, v: number | bigint): this {
    this.varint((field << 3) | 0);
    this.varint(v);
    return this;
  }
  float(field: number, v: number): this {
    this.varint((field << 3) | 5);
    const b = new Uint8Array(new Float32Array([v]).buffer);
    this.bytes.push(...b);
    return this;
  }
  raw(field: number, data: Uint8Array): this {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }
  str(field: number, s: string): this {
    return this.raw(field, new TextEncoder().encode(s));
  }
  msg(field: number, m: Pb): this {
    return this.raw(field, m.done());
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** A node of the graph: `{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'], attrs: { axis: -1 } }`. */
export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, number | number[]>;
  domain?: string;
}

function valueInfo(name: string, shape: (number | string)[], elemType = 1): Pb {
  const dims = new Pb();
  for (const d of shape) dims.msg(1, typeof d === 'number' ? new Pb().int(1, d) : new Pb().str(2, d));
  const tensorType = new Pb().int(1, elemType).msg(2, dims);
  return new Pb().str(1, name).msg(2, new Pb().msg(1, tensorType));
}

/**
 * Builds an ONNX model (opset 17) from float32 inputs, initializers and nodes.
 * @example onnxModel({ inputs: { x: [1, 512] }, initializers: { w: { shape: [512, 512], data } }, nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }], outputs: { y: [1, 512] } })
 */
export function onnxModel(spec: {
  inputs: Record<string, (number | string)[]>;
  outputs: Record<string, (number | string)[]>;
  initializers?: Record<string, { shape: number[]; data: Float32Array | BigInt64Array }>;
  nodes: OnnxNode[];
}): Uint8Array {
  const graph = new Pb();
  spec.nodes.forEach((n, i) => {
    const node = new Pb();
    for (const x of n.inputs) node.str(1, x);
    for (const y of n.outputs) node.str(2, y);
    node.str(3, `n${i}`).str(4, n.op);
    for (const [name, v] of Object.entries(n.attrs ?? {})) {
      const a = new Pb().str(1, name);
      if (Array.isArray(v)) {
        for (const x of v) a.int(8, x);
        a.int(20, 7);
      } else if (Number.isInteger(v)) a.int(3, v).int(20, 2);
      else a.float(2, v).int(20, 1);
      node.msg(5, a);
    }
    if (n.domain) node.str(7, n.domain);
    graph.msg(1, node);
  });
  graph.str(2, 'qkv-bench');
  for (const [name, t] of Object.entries(spec.initializers ?? {})) {
    const tp = new Pb();
    for (const d of t.shape) tp.int(1, d);
    tp.int(2, t.data instanceof BigInt64Array ? 7 : 1).str(8, name).raw(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    graph.msg(5, tp);
  }
  for (const [name, shape] of Object.entries(spec.inputs)) graph.msg(11, valueInfo(name, shape));
  for (const [name, shape] of Object.entries(spec.outputs)) graph.msg(12, valueInfo(name, shape));
  return new Pb().int(1, 8).str(2, 'qkv').msg(7, graph).msg(8, new Pb().str(1, '').int(2, 17)).done();
}

/** An ONNX graph of PyTorch-style multi-head self-attention on x [1, L, E] with packed in-projection. */
export function mhaOnnx(L: number, E: number, H: number, w: { inProj: Float32Array; inBias: Float32Array; outProj: Float32Array; outBias: Float32Array }): Uint8Array {
  const D = E / H;
  const i64 = (xs: number[]) => BigInt64Array.from(xs.map(BigInt));
  // inProj is [3E, E] as PyTorch stores it: x·Wᵀ, so the initializer is its transpose [E, 3E]
  const t = (m: Float32Array, rows: number, cols: number) => {
    const out = new Float32Array(m.length);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]!;
    return out;
  };
  return onnxModel({
    inputs: { x: [1, L, E] },
    outputs: { y: [1, L, E] },
    initializers: {
      wIn: { shape: [E, 3 * E], data: t(w.inProj, 3 * E, E) },
      bIn: { shape: [3 * E], data: w.inBias },
      wOut: { shape: [E, E], data: t(w.outProj, E, E) },
      bOut: { shape: [E], data: w.outBias },
      headShape: { shape: [4], data: i64([1, L, H, D]) },
      outShape: { shape: [3], data: i64([1, L, E]) },
      scale: { shape: [], data: new Float32Array([1 / Math.sqrt(D)]) },
      splitSizes: { shape: [3], data: i64([E, E, E]) },
    },
    nodes: [
      { op: 'MatMul', inputs: ['x', 'wIn'], outputs: ['qkv0'] },
      { op: 'Add', inputs: ['qkv0', 'bIn'], outputs: ['qkv'] },
      { op: 'Split', inputs: ['qkv', 'splitSizes'], outputs: ['q0', 'k0', 'v0'], attrs: { axis: 2 } },
      { op: 'Reshape', inputs: ['q0', 'headShape'], outputs: ['q1'] },
      { op: 'Reshape', inputs: ['k0', 'headShape'], outputs: ['k1'] },
      { op: 'Reshape', inputs: ['v0', 'headShape'], outputs: ['v1'] },
      { op: 'Transpose', inputs: ['q1'], outputs: ['q'], attrs: { perm: [0, 2, 1, 3] } },
      { op: 'Transpose', inputs: ['k1'], outputs: ['kT'], attrs: { perm: [0, 2, 3, 1] } },
      { op: 'Transpose', inputs: ['v1'], outputs: ['v'], attrs: { perm: [0, 2, 1, 3] } },
      { op: 'MatMul', inputs: ['q', 'kT'], outputs: ['s0'] },
      { op: 'Mul', inputs: ['s0', 'scale'], outputs: ['s'] },
      { op: 'Softmax', inputs: ['s'], outputs: ['p'], attrs: { axis: -1 } },
      { op: 'MatMul', inputs: ['p', 'v'], outputs: ['c0'] },
      { op: 'Transpose', inputs: ['c0'], outputs: ['c1'], attrs: { perm: [0, 2, 1, 3] } },
      { op: 'Reshape', inputs: ['c1', 'outShape'], outputs: ['c'] },
      { op: 'MatMul', inputs: ['c', 'wOut'], outputs: ['y0'] },
      { op: 'Add', inputs: ['y0', 'bOut'], outputs: ['y'] },
    ],
  });
}

/** An ONNX graph of one GEMM y = a·b with b as an input too. */
export function gemmOnnx(m: number, k: number, n: number): Uint8Array {
  return onnxModel({ inputs: { a: [m, k], b: [k, n] }, outputs: { y: [m, n] }, nodes: [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['y'] }] });
}

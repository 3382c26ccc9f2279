// The graph under construction: named inputs/outputs with dynamic axes, nodes with typed
// attributes, and initializers named by the module's state-dict names (one per tensor, so tied
// weights stay one initializer).
import type { Module } from '@qkv/nn';
import type { Tensor } from '@qkv/tensor-core';
import { AttributeType, DataType, IR_VERSION } from '../proto/schema.js';
import type { AttributeProto, Dim, GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from '../proto/schema.js';
import { OnnxExportError } from './errors.js';

/** Element types of graph inputs and outputs. */
export type ElemType = 'float32' | 'int64' | 'int32' | 'bool';
const ELEM: Record<ElemType, number> = { float32: DataType.FLOAT, int64: DataType.INT64, int32: DataType.INT32, bool: DataType.BOOL };

/** A float attribute (plain numbers are INT attributes). */
export interface FloatAttr {
  float: number;
}
/** Attribute values: integer, `{ float }`, integer list, string. */
export type AttrValue = number | FloatAttr | number[] | string;

/** One graph input or output as the caller sees it. */
export interface OnnxValueInfo {
  name: string;
  dtype: ElemType;
  /** Fixed sizes, or names of dynamic axes ('batch', 'sequence', 'past_sequence'). */
  shape: Dim[];
}

/** The exported graph, before serialisation: what `exportOnnxGraph` returns. */
export interface OnnxGraph {
  model: ModelProto;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** State-dict names of the initializers, in file order. */
  initializers: string[];
}

/** `{ float: x }`: marks an attribute as FLOAT. */
export const float = (x: number): FloatAttr => ({ float: x });

function rawBytes(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

function valueInfo(v: OnnxValueInfo): ValueInfoProto {
  const dim = v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name: v.name, type: { tensorType: { elemType: ELEM[v.dtype], shape: { dim } } } };
}

/**
 * Builds one ONNX graph; emitters call `op` and get back the names of the values it produces.
 * @example
 * const g = new GraphBuilder('gemm', new Module());
 * g.output(g.op('MatMul', [g.input('a', 'float32', ['m', 4]), g.input('b', 'float32', [4, 'n'])]), 'y', 'float32', ['m', 'n']);
 * const bytes = encodeModel(g.build(17, 'a GEMM').model);
 */
export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializer: TensorProto[] = [];
  private readonly weightNames = new Map<Tensor, string>();
  private readonly emitted = new Set<string>();
  private readonly constants = new Map<string, string>();
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly scopes: string[] = [];
  private counter = 0;

  /** `root`'s parameters and buffers become initializers under their state-dict names. */
  constructor(readonly name: string, root: Module) {
    for (const [n, t] of [...root.namedParameters(), ...root.namedBuffers()]) if (!this.weightNames.has(t)) this.weightNames.set(t, n);
  }

  /** Runs `fn` with node names prefixed by `scope` (the module path, as PyTorch's exporter). */
  scoped<T>(scope: string, fn: () => T): T {
    this.scopes.push(scope);
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** Declares a graph input and returns its name. */
  input(name: string, dtype: ElemType, shape: Dim[]): string {
    this.inputs.push({ name, dtype, shape });
    return name;
  }

  /** Declares `value` as the graph output `name` (an Identity renames it). */
  output(value: string, name: string, dtype: ElemType, shape: Dim[]): void {
    if (value !== name) this.op('Identity', [value], {}, name);
    this.outputs.push({ name, dtype, shape });
  }

  /** The initializer of a module's tensor, named by its state-dict name (written once). */
  weight(t: Tensor): string {
    const name = this.weightNames.get(t);
    if (name === undefined) throw new OnnxExportError('exportOnnx: a tensor used by the model is not one of its parameters or buffers');
    if (!this.emitted.has(name)) {
      this.emitted.add(name);
      if (t.dtype !== 'float32') throw new OnnxExportError(`exportOnnx: parameter '${name}' is ${t.dtype}; only float32 weights are exported`);
      this.initializer.push({ name, dims: [...t.shape], dataType: DataType.FLOAT, rawData: rawBytes(t.dataSync()) });
    }
    return name;
  }

  /** A float32 constant (an initializer named /const/…), shared between equal uses. */
  floats(values: number[] | Float32Array, shape: number[] = [values.length]): string {
    return this.constant('f', shape, DataType.FLOAT, Float32Array.from(values));
  }

  /** A float32 scalar constant. */
  scalar(x: number): string {
    return this.floats([x], []);
  }

  /** An int64 constant (shapes, axes, indices). */
  ints(values: number[], shape: number[] = [values.length]): string {
    return this.constant('i', shape, DataType.INT64, BigInt64Array.from(values.map(BigInt)));
  }

  private constant(kind: string, shape: number[], dataType: number, data: Float32Array | BigInt64Array): string {
    const raw = rawBytes(data);
    const key = `${kind}:${shape.join(",")}:${Array.from(raw).join(",")}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = `/const/${kind}${this.constants.size}`;
    this.constants.set(key, name);
    this.initializer.push({ name, dims: shape, dataType, rawData: raw });
    return name;
  }

  /** Adds a node; returns its single output's name. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputName?: string): string {
    return this.opN(opType, inputs, 1, attrs, outputName ? [outputName] : undefined)[0]!;
  }

  /** Adds a node with `count` outputs (Split, GRU); returns their names. */
  opN(opType: string, inputs: string[], count: number, attrs: Record<string, AttrValue> = {}, outputNames?: string[]): string[] {
    const name = `/${[...this.scopes, `${opType}_${this.counter++}`].join('/')}`;
    const output = outputNames ?? Array.from({ length: count }, (_, i) => `${name}_output_${i}`);
    const attribute = Object.entries(attrs).map(([n, v]) => attributeProto(n, v));
    this.nodes.push({ input: inputs, output, name, opType, attribute });
    return output;
  }

  /** The finished model: opset `opset` of the default domain, IR version 8. */
  build(opset: number, docString: string): OnnxGraph {
    const graph: GraphProto = {
      name: this.name, node: this.nodes, initializer: this.initializer,
      input: this.inputs.map(valueInfo), output: this.outputs.map(valueInfo),
    };
    const model: ModelProto = {
      irVersion: IR_VERSION, opsetImport: [{ domain: '', version: opset }], producerName: 'qkv', producerVersion: '0.1.0', docString, graph,
    };
    return { model, inputs: [...this.inputs], outputs: [...this.outputs], initializers: [...this.emitted] };
  }
}

function attributeProto(name: string, v: AttrValue): AttributeProto {
  if (typeof v === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: AttributeType.INTS, ints: v };
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new OnnxExportError(`exportOnnx: attribute ${name} = ${v} must be an integer; mark floats with float(x)`);
    return { name, type: AttributeType.INT, i: v };
  }
  return { name, type: AttributeType.FLOAT, f: v.float };
}

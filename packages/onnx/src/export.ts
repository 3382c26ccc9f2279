// exportOnnx: picks the module's exporter from a table, builds the graph, checks the example
// inputs against its signature and serialises it with protobufjs.
import type { Module } from '@qkv/nn';
import { fmtShape } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { GPT } from '@qkv/transformer';
import { GraphBuilder } from './graph/builder.js';
import type { OnnxGraph, OnnxValueInfo } from './graph/builder.js';
import { OnnxExportError } from './graph/errors.js';
import { exportGPT } from './models/gpt.js';
import { layerExporters } from './models/layers.js';
import { encoderModelExporters } from './models/encoders.js';
import { seq2seqExporters } from './models/seq2seq.js';
import { bertExporters } from './models/bert.js';
import type { ExportOnnxOptions, ModelExporter, ResolvedOptions } from './models/options.js';
import { encodeModel } from './proto/codec.js';

type Constructor = abstract new (...args: never[]) => Module;

/** Module classes the exporter knows, most specific first; `register` adds more (e.g. pretrained families). */
const EXPORTERS: [Constructor, ModelExporter<never>, string][] = [
  [GPT, exportGPT, 'GPT'],
  ...(bertExporters as unknown as [Constructor, ModelExporter<never>, string][]),
  ...(seq2seqExporters as unknown as [Constructor, ModelExporter<never>, string][]),
  ...(encoderModelExporters as unknown as [Constructor, ModelExporter<never>, string][]),
  ...(layerExporters as unknown as [Constructor, ModelExporter<never>, string][]),
];

/**
 * Teaches `exportOnnx` a module class (checked before the built-in ones); `name` is how errors name it.
 * @example registerOnnxExporter(MyModel, (g, model, options) => { … })
 */
export function registerOnnxExporter<M extends Module>(cls: abstract new (...args: never[]) => M, exporter: ModelExporter<M>, name: string = cls.name): void {
  const row: [Constructor, ModelExporter<never>, string] = [cls, exporter, name];
  EXPORTERS.unshift(row);
}

function resolve(options: ExportOnnxOptions): ResolvedOptions {
  const opset = options.opset ?? 17;
  if (!Number.isInteger(opset) || opset < 17) throw new OnnxExportError(`exportOnnx: opset must be an integer ≥ 17 (LayerNormalization), got ${opset}`);
  return { attentionOutputs: false, kvCache: false, part: 'encoder', keyPaddingMask: false, ...options, opset };
}

const DTYPES: Record<string, string[]> = { int64: ['int32'], int32: ['int32'], float32: ['float32'], bool: ['bool'] };

/** Checks the example inputs (in graph-input order, or by name) against the graph's inputs. */
function checkExamples(inputs: OnnxValueInfo[], examples: Tensor[] | Readonly<Record<string, Tensor>>): void {
  const byName = Array.isArray(examples) ? null : new Map(Object.entries(examples));
  const list = Array.isArray(examples) ? examples : inputs.map((i) => byName!.get(i.name));
  if (byName) for (const name of byName.keys()) if (!inputs.some((i) => i.name === name)) throw new OnnxExportError(`exportOnnx: example input '${name}' is not an input of the graph (${inputs.map((i) => i.name).join(', ')})`);
  if (list.length > inputs.length) throw new OnnxExportError(`exportOnnx: got ${list.length} example inputs, the graph has ${inputs.length} (${inputs.map((i) => i.name).join(', ')})`);
  list.forEach((x, i) => {
    const spec = inputs[i]!;
    if (!x) return;
    const expected = `${spec.dtype === 'int64' ? 'int32 ids' : spec.dtype} [${spec.shape.join(', ')}]`;
    const fits = x.ndim === spec.shape.length && spec.shape.every((d, j) => typeof d === 'string' || d === x.shape[j]) && DTYPES[spec.dtype]!.includes(x.dtype);
    if (!fits) throw new OnnxExportError(`exportOnnx: example input '${spec.name}' must be ${expected}, got ${x.dtype} ${fmtShape(x.shape)}`);
  });
}

/**
 * The ONNX graph of `module` (opset ≥ 17) as a ModelProto object with its input/output signature.
 * Batch and sequence axes are dynamic (`dim_param` 'batch', 'sequence', …); initializers carry the
 * state-dict names. The graph computes the module's inference forward (dropout off).
 * @example const { model, inputs, outputs } = exportOnnxGraph(gpt, [ids], { kvCache: true })
 */
export function exportOnnxGraph(module: Module, exampleInputs: Tensor[] | Readonly<Record<string, Tensor>>, options: ExportOnnxOptions = {}): OnnxGraph {
  const resolved = resolve(options);
  const entry = EXPORTERS.find(([cls]) => module instanceof cls);
  if (!entry) {
    const known = EXPORTERS.map(([, , name]) => name).join(', ');
    throw new OnnxExportError(`exportOnnx: cannot export ${module?.constructor?.name ?? String(module)}; supported modules: ${known}`);
  }
  const g = new GraphBuilder(resolved.graphName ?? entry[2], module);
  (entry[1] as ModelExporter<Module>)(g, module, resolved);
  const graph = g.build(resolved.opset, `${entry[2]} exported by @qkv/onnx`);
  checkExamples(graph.inputs, exampleInputs);
  return graph;
}

/**
 * Exports `module` to ONNX bytes: write them to `model.onnx` and run them with ONNX Runtime.
 * @param exampleInputs inputs the module's forward takes (int32 ids become int64 `input_ids`), checked against the graph's signature
 * @example fs.writeFileSync('gpt.onnx', exportOnnx(gpt, [ids]))
 */
export function exportOnnx(module: Module, exampleInputs: Tensor[] | Readonly<Record<string, Tensor>>, options: ExportOnnxOptions = {}): Uint8Array {
  return encodeModel(exportOnnxGraph(module, exampleInputs, options).model);
}

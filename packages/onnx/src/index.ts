/**
 * @qkv/onnx — export qkv models to ONNX (opset 17, dynamic batch and sequence axes, initializers
 * named by the state dict) and read ONNX files' initializers back.
 *
 * Shape legend: B batch · T / S sequence lengths · E model width · H heads · D = E / H · V vocabulary.
 */
export { exportOnnx, exportOnnxGraph, registerOnnxExporter } from './export.js';
export type { ExportOnnxOptions, ModelExporter, ResolvedOptions } from './models/options.js';
export { OnnxExportError } from './graph/errors.js';
export { GraphBuilder, float } from './graph/builder.js';
export type { AttrValue, ElemType, OnnxGraph, OnnxValueInfo } from './graph/builder.js';
export { decodeModel, encodeModel, readInitializers, readTensor } from './proto/codec.js';
export type { OnnxTensor } from './proto/codec.js';
export { AttributeType, DataType, IR_VERSION } from './proto/schema.js';
export type { AttributeProto, Dim, GraphProto, ModelProto, NodeProto, OperatorSetIdProto, TensorProto, ValueInfoProto } from './proto/schema.js';

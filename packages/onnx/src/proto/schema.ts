// The subset of ONNX's protobuf schema (onnx.proto3, IR version 8) that a model of dense float
// tensors needs, written as protobufjs reflection data: field names, numbers and types are the
// spec's, so every ONNX reader decodes what protobufjs writes from it.
import protobuf from 'protobufjs/light.js';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;
export type DataTypeName = keyof typeof DataType;

/** AttributeProto.AttributeType values used here. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

/** IR version 8 is what opset 17 ships with (onnx 1.12); ONNX Runtime reads it. */
export const IR_VERSION = 8;

const f = (type: string, id: number, rule?: 'repeated') => (rule ? { type, id, rule } : { type, id });

/** onnx.proto3's messages, field numbers as in the spec. */
const ONNX = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: f('string', 1), refAttrName: f('string', 21), docString: f('string', 13), type: f('int32', 20),
            f: f('float', 2), i: f('int64', 3), s: f('bytes', 4), t: f('TensorProto', 5), g: f('GraphProto', 6),
            floats: f('float', 7, 'repeated'), ints: f('int64', 8, 'repeated'), strings: f('bytes', 9, 'repeated'),
            tensors: f('TensorProto', 10, 'repeated'), graphs: f('GraphProto', 11, 'repeated'),
          },
        },
        ValueInfoProto: { fields: { name: f('string', 1), type: f('TypeProto', 2), docString: f('string', 3) } },
        NodeProto: {
          fields: {
            input: f('string', 1, 'repeated'), output: f('string', 2, 'repeated'), name: f('string', 3), opType: f('string', 4),
            domain: f('string', 7), attribute: f('AttributeProto', 5, 'repeated'), docString: f('string', 6),
          },
        },
        StringStringEntryProto: { fields: { key: f('string', 1), value: f('string', 2) } },
        ModelProto: {
          fields: {
            irVersion: f('int64', 1), opsetImport: f('OperatorSetIdProto', 8, 'repeated'), producerName: f('string', 2),
            producerVersion: f('string', 3), domain: f('string', 4), modelVersion: f('int64', 5), docString: f('string', 6),
            graph: f('GraphProto', 7), metadataProps: f('StringStringEntryProto', 14, 'repeated'),
          },
        },
        GraphProto: {
          fields: {
            node: f('NodeProto', 1, 'repeated'), name: f('string', 2), initializer: f('TensorProto', 5, 'repeated'),
            docString: f('string', 10), input: f('ValueInfoProto', 11, 'repeated'), output: f('ValueInfoProto', 12, 'repeated'),
            valueInfo: f('ValueInfoProto', 13, 'repeated'),
          },
        },
        TensorProto: {
          fields: {
            dims: f('int64', 1, 'repeated'), dataType: f('int32', 2), floatData: f('float', 4, 'repeated'),
            int32Data: f('int32', 5, 'repeated'), stringData: f('bytes', 6, 'repeated'), int64Data: f('int64', 7, 'repeated'),
            name: f('string', 8), docString: f('string', 12), rawData: f('bytes', 9), dataLocation: f('int32', 14),
            doubleData: f('double', 10, 'repeated'), uint64Data: f('uint64', 11, 'repeated'),
          },
        },
        TensorShapeProto: {
          fields: { dim: f('Dimension', 1, 'repeated') },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: { dimValue: f('int64', 1), dimParam: f('string', 2), denotation: f('string', 3) },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensorType'] } },
          fields: { tensorType: f('Tensor', 1), denotation: f('string', 6) },
          nested: { Tensor: { fields: { elemType: f('int32', 1), shape: f('TensorShapeProto', 2) } } },
        },
        OperatorSetIdProto: { fields: { domain: f('string', 1), version: f('int64', 2) } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(ONNX);
/** The protobufjs type of onnx.ModelProto. */
export const ModelProtoType = root.lookupType('onnx.ModelProto');

/** A dimension: a fixed size, or a name (`dim_param`) for a dynamic axis such as 'batch'. */
export type Dim = number | string;

/** TensorProto as this package writes it: raw little-endian data. */
export interface TensorProto {
  name: string;
  dims: number[];
  dataType: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
}
/** AttributeProto (the kinds this package writes). */
export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
}
/** NodeProto. */
export interface NodeProto {
  input: string[];
  output: string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute?: AttributeProto[];
  docString?: string;
}
/** ValueInfoProto with a tensor type; `dimParam` names the dynamic axes. */
export interface ValueInfoProto {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: ({ dimValue: number } | { dimParam: string })[] } } };
  docString?: string;
}
/** GraphProto. */
export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  docString?: string;
}
/** OperatorSetIdProto: domain '' is the default ONNX domain. */
export interface OperatorSetIdProto {
  domain: string;
  version: number;
}
/** ModelProto. */
export interface ModelProto {
  irVersion: number;
  opsetImport: OperatorSetIdProto[];
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: GraphProto;
  metadataProps?: { key: string; value: string }[];
}

import protobuf from 'protobufjs/light.js';
import { describe, expect, it, vi } from 'vitest';
import { GPT } from '@qkv/transformer';
import { manualSeed } from '@qkv/tensor-core';
import { decodeModel, encodeModel, exportOnnx, exportOnnxGraph, readInitializers, DataType } from '../src/index.js';
import type { ModelProto } from '../src/index.js';
import { ModelProtoType } from '../src/proto/schema.js';
import { ids } from './helpers.js';

const bits = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('the ONNX protobuf writer and reader', () => {
  manualSeed(3);
  const gpt = new GPT({ vocabSize: 30, blockSize: 16, nLayer: 2, nHead: 2, nEmbd: 16 }).eval();
  const bytes = exportOnnx(gpt, [ids([[1, 2]])]);

  it('re-imports every parameter bit-identically under its state-dict name', () => {
    const back = readInitializers(bytes);
    const sd = gpt.stateDict();
    for (const [name, t] of Object.entries(sd)) {
      if (name === 'lm_head.weight') continue; // tied to transformer.wte.weight: one initializer
      const got = back.get(name);
      expect(got, name).toBeDefined();
      expect(got!.shape).toEqual([...t.shape]);
      expect(bits(got!.data)).toEqual(bits(t.dataSync() as Float32Array));
    }
    expect(back.has('lm_head.weight')).toBe(false);
  });

  it('writes opset 17, IR version 8 and the dynamic axes as dim_param', () => {
    const model = decodeModel(bytes);
    expect(model.irVersion).toBe(8);
    expect(model.opsetImport).toEqual([{ version: 17 }]);
    const input = model.graph.input[0]!;
    expect(input.name).toBe('input_ids');
    expect(input.type.tensorType.elemType).toBe(DataType.INT64);
    expect(input.type.tensorType.shape.dim).toEqual([{ dimParam: 'batch' }, { dimParam: 'sequence' }]);
    expect(model.graph.output[0]!.type.tensorType.shape.dim).toEqual([{ dimParam: 'batch' }, { dimParam: 'sequence' }, { dimValue: 30 }]);
  });

  it('round-trips a hand-written model through encode and decode', () => {
    const model: ModelProto = {
      irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 'test', producerVersion: '1',
      graph: {
        name: 'g', node: [{ input: ['x', 'w'], output: ['y'], opType: 'MatMul', name: 'n0', attribute: [] }],
        initializer: [{ name: 'w', dims: [2, 1], dataType: DataType.FLOAT, floatData: [0.5, -2] }, { name: 'i', dims: [3], dataType: DataType.INT64, int64Data: [1, -1, 7] }],
        input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'n' }, { dimValue: 2 }] } } } }],
        output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'n' }, { dimValue: 1 }] } } } }],
      },
    };
    const back = readInitializers(encodeModel(model));
    expect(Array.from(back.get('w')!.data as Float32Array)).toEqual([0.5, -2]);
    expect(Array.from(back.get('i')!.data as BigInt64Array)).toEqual([1n, -1n, 7n]);
    expect(decodeModel(encodeModel(model)).graph.node[0]!.opType).toBe('MatMul');
  });

  it('rejects raw data whose length disagrees with the dims, naming the initializer', () => {
    const model = decodeModel(bytes);
    const first = model.graph.initializer.find((t) => t.name === 'transformer.wte.weight')!;
    first.rawData = first.rawData!.subarray(0, 8);
    expect(() => readInitializers(encodeModel(model))).toThrow(new RegExp(`initializer '${first.name.replace(/\./g, '\\.')}' .* needs \\d+ bytes of raw_data, got 8`));
  });

  it('rejects a repeated initializer name and bytes that are not a model', () => {
    const model = decodeModel(bytes);
    model.graph.initializer.push(model.graph.initializer[0]!);
    expect(() => readInitializers(encodeModel(model))).toThrow(/appears twice/);
    expect(() => decodeModel(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(/decodeModel: not an ONNX ModelProto/);
  });
});

describe('encodeModel at size', () => {
  it('writes a model with 8 MB of weights into one buffer sized up front, the bytes protobufjs itself encodes', () => {
    manualSeed(4);
    const big = new GPT({ vocabSize: 4096, blockSize: 64, nLayer: 2, nHead: 4, nEmbd: 256 }).eval(); // wte alone is 4 MiB
    const model = exportOnnxGraph(big, []).model;
    const raw = model.graph.initializer.reduce((n, t) => n + (t.rawData?.length ?? 0), 0);
    expect(raw).toBeGreaterThan(8e6);
    const writer = protobuf.Writer.create();
    const alloc = vi.spyOn(writer.constructor as typeof protobuf.Writer, 'alloc');
    let bytes: Uint8Array;
    try {
      bytes = encodeModel(model);
      // protobufjs left to itself doubles its buffer from 128 bytes (twice past raw / 2) and copies it at the end
      expect(alloc.mock.calls.filter(([size]) => size > raw / 2).map(([size]) => size >= raw)).toEqual([true]);
    } finally {
      alloc.mockRestore();
    }
    const reference = ModelProtoType.encode(ModelProtoType.fromObject(model)).finish();
    expect(bytes.length).toBe(reference.length);
    expect(Buffer.compare(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), Buffer.from(reference))).toBe(0);
    expect(bytes.buffer.byteLength - bytes.length).toBeLessThanOrEqual(15 * model.graph.initializer.length + 16); // the returned view keeps little spare room
    expect(readInitializers(bytes).get('transformer.wte.weight')!.shape).toEqual([4096, 256]);
  });

  it('encodes a model without raw_data (float_data, int64_data) as protobufjs does', () => {
    const model: ModelProto = {
      irVersion: 8, opsetImport: [{ domain: '', version: 17 }], producerName: 'test', producerVersion: '1',
      graph: { name: 'g', node: [], initializer: [{ name: 'w', dims: [2], dataType: DataType.FLOAT, floatData: [0.5, -2] }], input: [], output: [] },
    };
    expect(Array.from(encodeModel(model))).toEqual(Array.from(ModelProtoType.encode(ModelProtoType.fromObject(model)).finish()));
  });
});

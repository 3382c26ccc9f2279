// ONNX Runtime peers: the models are written by @qkv/onnx's exporter (no downloads, no second
// protobuf encoder), then run by onnxruntime-node and onnxruntime-web (wasm) in this process.
import { MultiheadAttention } from '@qkv/attention';
import { Module } from '@qkv/nn';
import { encodeModel, exportOnnx, GraphBuilder } from '@qkv/onnx';
import { tensor } from '@qkv/tensor-core';
import type { GPT } from '@qkv/transformer';

/** PyTorch-layout MultiheadAttention weights: in_proj [3E, E] and [3E], out_proj [E, E] and [E]. */
export interface MhaWeights {
  inProj: Float32Array;
  inBias: Float32Array;
  outProj: Float32Array;
  outBias: Float32Array;
}

/**
 * nn.MultiheadAttention self-attention on x [1, L, E] (batch-first) with these weights, exported by
 * @qkv/onnx: input `query`, output `output` (batch and sequence axes dynamic; `L` is the example's).
 * @example const bytes = mhaOnnx(128, 256, 8, weightsOf(mha))
 */
export function mhaOnnx(L: number, E: number, H: number, w: MhaWeights): Uint8Array {
  const mha = new MultiheadAttention(E, H, { batchFirst: true }).eval();
  mha.loadStateDict({
    in_proj_weight: tensor(w.inProj, { shape: [3 * E, E] }), in_proj_bias: tensor(w.inBias, { shape: [3 * E] }),
    'out_proj.weight': tensor(w.outProj, { shape: [E, E] }), 'out_proj.bias': tensor(w.outBias, { shape: [E] }),
  }, { strict: true });
  return exportOnnx(mha, [tensor(new Float32Array(L * E), { shape: [1, L, E] })]);
}

/** One GEMM y = a·b, both inputs, through @qkv/onnx's graph builder (a graph with no module). */
export function gemmOnnx(m: number, k: number, n: number): Uint8Array {
  const g = new GraphBuilder('gemm', new Module());
  const y = g.op('MatMul', [g.input('a', 'float32', [m, k]), g.input('b', 'float32', [k, n])]);
  g.output(y, 'y', 'float32', [m, n]);
  return encodeModel(g.build(17, 'qkv benchmark GEMM').model);
}

/** GPT with the Hub's KV-cache signature (input_ids, past_key_values.N.key/value → logits, present.N.key/value). */
export function gptOnnx(gpt: GPT): Uint8Array {
  return exportOnnx(gpt, [], { kvCache: true });
}

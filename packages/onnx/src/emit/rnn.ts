// GRU → the ONNX GRU op (linear_before_reset = 1 is PyTorch's form), with PyTorch's gate order
// (r, z, n) rearranged in the graph to ONNX's (z, r, h) so the initializers stay the state dict's
// tensors; and the RNN decoders' source attentions (Bahdanau, Luong dot / general).
import { AdditiveAttention, DotProductAttention } from '@qkv/attention';
import type { GeneralAttention } from '@qkv/attention';
import type { GRU, GRUCell } from '@qkv/nn';
import type { Tensor } from '@qkv/tensor-core';
import type { GraphBuilder } from '../graph/builder.js';
import { attendScores } from './attention.js';
import type { Keep } from './attention.js';
import { linear } from './layers.js';
import { OnnxExportError } from '../graph/errors.js';

interface GateWeights {
  ih: Tensor;
  hh: Tensor;
  bih: Tensor | null;
  bhh: Tensor | null;
}

/** [3H, ·] in PyTorch's (r, z, n) order → ONNX's (z, r, n) order. */
function zrn(g: GraphBuilder, w: string, H: number): string {
  const [r, z, n] = g.opN('Split', [w, g.ints([H, H, H])], 3, { axis: 0 });
  return g.op('Concat', [z!, r!, n!], { axis: 0 });
}

/** One direction's W [1, 3H, in], R [1, 3H, H], B [1, 6H]. */
function directionWeights(g: GraphBuilder, w: GateWeights, H: number): [string, string, string] {
  const unsq = (x: string) => g.op('Unsqueeze', [x, g.ints([0])]);
  const bias = (b: Tensor | null) => (b ? zrn(g, g.weight(b), H) : g.floats(new Float32Array(3 * H)));
  return [unsq(zrn(g, g.weight(w.ih), H)), unsq(zrn(g, g.weight(w.hh), H)), unsq(g.op('Concat', [bias(w.bih), bias(w.bhh)], { axis: 0 }))];
}

/**
 * A GRU over x [T, B, in] from h0 [D, B, H] (or zeros when null) → Y [T, D, B, H], Y_h [D, B, H].
 * `directions` lists each direction's weights (one, or forward and reverse).
 */
export function gruOp(g: GraphBuilder, directions: GateWeights[], H: number, x: string, h0: string | null, lengths: string | null = null): [string, string] {
  const parts = directions.map((w) => directionWeights(g, w, H));
  const stack = (i: number) => (parts.length === 1 ? parts[0]![i]! : g.op('Concat', parts.map((p) => p[i]!), { axis: 0 }));
  const inputs = [x, stack(0), stack(1), stack(2), lengths ?? '', h0 ?? ''];
  while (inputs.at(-1) === '') inputs.pop();
  const [y, yh] = g.opN('GRU', inputs, 2, { hidden_size: H, linear_before_reset: 1, direction: directions.length === 2 ? 'bidirectional' : 'forward' });
  return [y!, yh!];
}

/**
 * nn.GRU (one layer) on batch-first x [B, T, in] → outputs [B, T, D·H], final states [D, B, H].
 * `lengths` (int32 [B]) is GRU.forward's `lengths` option: ONNX's sequence_lens has the same
 * meaning (state frozen and outputs 0 past the length, the reverse direction starting at its end).
 */
export function gru(g: GraphBuilder, m: GRU, x: string, lengths: string | null = null): { outputs: string; finals: string } {
  if (m.numLayers !== 1) throw new OnnxExportError(`exportOnnx: a GRU of ${m.numLayers} layers cannot be exported yet (one layer, one or two directions)`);
  const self = m as unknown as Record<string, Tensor | undefined>;
  const dirs = (m.bidirectional ? ['', '_reverse'] : ['']).map((s) => ({
    ih: self[`weight_ih_l0${s}`]!, hh: self[`weight_hh_l0${s}`]!, bih: self[`bias_ih_l0${s}`] ?? null, bhh: self[`bias_hh_l0${s}`] ?? null,
  }));
  const H = m.hiddenSize;
  const [y, yh] = gruOp(g, dirs, H, g.op('Transpose', [x], { perm: [1, 0, 2] }), null, lengths);
  const outputs = g.op('Reshape', [g.op('Transpose', [y], { perm: [2, 0, 1, 3] }), g.ints([0, 0, dirs.length * H])]); // [T, D, B, H] → [B, T, D·H]
  return { outputs, finals: yh };
}

/** GRUCell: x [B, in], h [B, H] → h' [B, H] (a one-step ONNX GRU). */
export function gruCell(g: GraphBuilder, m: GRUCell, x: string, h: string): string {
  const w = { ih: m.weightIh, hh: m.weightHh, bih: m.biasIh, bhh: m.biasHh };
  const [, yh] = gruOp(g, [w], m.hiddenSize, g.op('Unsqueeze', [x, g.ints([0])]), g.op('Unsqueeze', [h, g.ints([0])]));
  return g.op('Squeeze', [yh, g.ints([0])]);
}

/**
 * Source attention of an RNN decoder for one query: query [B, Dq], keys [B, S, K] → context [B, K]
 * and weights [B, S]; `keep` hides padded source positions.
 */
export function sourceAttention(g: GraphBuilder, m: AdditiveAttention | DotProductAttention | GeneralAttention, query: string, keys: string, keep: Keep): { context: string; weights: string } {
  const q = g.op('Unsqueeze', [query, g.ints([1])]); // [B, 1, Dq]
  let scores: string; // [B, 1, S]
  if (m instanceof AdditiveAttention) {
    const s = g.op('Unsqueeze', [linear(g, m.Wa, q), g.ints([2])]); // [B, 1, 1, A]
    const h = g.op('Unsqueeze', [linear(g, m.Ua, keys), g.ints([1])]); // [B, 1, S, A]
    scores = g.op('Squeeze', [linear(g, m.Va, g.op('Tanh', [g.op('Add', [s, h])])), g.ints([-1])]);
  } else {
    const k = m instanceof DotProductAttention ? keys : linear(g, m.Wa, keys);
    scores = g.op('MatMul', [q, g.op('Transpose', [k], { perm: [0, 2, 1] })]);
  }
  const { out, probs } = attendScores(g, scores, keys, keep);
  return { context: g.op('Squeeze', [out, g.ints([1])]), weights: g.op('Squeeze', [probs, g.ints([1])]) };
}

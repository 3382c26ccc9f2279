// Attention as plain ONNX ops: the masks as bool "may attend" values that broadcast to the scores
// [N, H, L, S], softmax(q·kᵀ·scale) with masked scores replaced, and nn.MultiheadAttention.
import type { MultiheadAttention } from '@qkv/attention';
import { BertSelfAttention } from '@qkv/transformer';
import type { GraphBuilder } from '../graph/builder.js';
import { OnnxExportError } from '../graph/errors.js';
import { affine, linear, scalarDimOf } from './layers.js';

/** A bool value broadcasting to [N, H, L, S]: true = may attend. `emptyRows`: a row may be all false. */
export interface Keep {
  value: string;
  emptyRows: boolean;
}

/** The most negative float32: a masked score; softmax then gives it weight exactly 0. */
const MASKED = -3.4028234663852886e38;

/** key_padding_mask [N, S] (bool, true = pad) → Keep [N, 1, 1, S] (or [N, 1, S] for scores of rank 3). */
export function paddingKeep(g: GraphBuilder, keyPaddingMask: string, scoresRank: 3 | 4 = 4): Keep {
  return { value: g.op('Unsqueeze', [g.op('Not', [keyPaddingMask]), g.ints(scoresRank === 4 ? [1, 2] : [1])]), emptyRows: true };
}

/**
 * The causal Keep [L, S] for L queries at positions past … past + L − 1 over S = past + L keys:
 * key j ≤ query position. `past` is an int64 scalar value, or null for 0.
 */
export function causalKeep(g: GraphBuilder, queries: string, queryAxis: number, past: string | null): Keep {
  const L = scalarDimOf(g, queries, queryAxis);
  const start = past ?? g.ints([0], []);
  const end = g.op('Add', [start, L]);
  const keyPos = g.op('Range', [g.ints([0], []), end, g.ints([1], [])]); // [S]
  const queryPos = g.op('Unsqueeze', [g.op('Range', [start, end, g.ints([1], [])]), g.ints([1])]); // [L, 1]
  return { value: g.op('LessOrEqual', [keyPos, queryPos]), emptyRows: false };
}

/** Both masks: a key is visible where every mask allows it. */
export function andKeep(g: GraphBuilder, a: Keep | null, b: Keep | null): Keep | null {
  if (!a || !b) return a ?? b;
  return { value: g.op('And', [a.value, b.value]), emptyRows: a.emptyRows || b.emptyRows };
}

/**
 * softmax(q·kᵀ·scale + mask)·v: q [N, H, L, D], kT [N, H, D, S], v [N, H, S, D] → out [N, H, L, D],
 * probs [N, H, L, S]. A query with no visible key gets zero weights (qkv's rule), not NaN.
 */
export function attend(g: GraphBuilder, q: string, kT: string, v: string, keep: Keep | null, scale: number): { out: string; probs: string } {
  return attendScores(g, g.op('MatMul', [g.op('Mul', [q, g.scalar(scale)]), kT]), v, keep);
}

/** softmax(scores + mask)·v for scores [..., L, S] and v [..., S, Dv] → out [..., L, Dv], probs [..., L, S]. */
export function attendScores(g: GraphBuilder, scores: string, v: string, keep: Keep | null): { out: string; probs: string } {
  if (keep) scores = g.op('Where', [keep.value, scores, g.scalar(MASKED)]);
  let probs = g.op('Softmax', [scores], { axis: -1 });
  if (keep?.emptyRows) probs = g.op('Mul', [probs, g.op('Cast', [keep.value], { to: 1 })]); // an all-masked row: uniform → 0
  return { out: g.op('MatMul', [probs, v]), probs };
}

/** [N, len, E] → [N, H, len, D] (or [N, H, D, len] with `keysT`). */
export function splitHeads(g: GraphBuilder, x: string, H: number, D: number, keysT = false): string {
  const r = g.op('Reshape', [x, g.ints([0, 0, H, D])]);
  return g.op('Transpose', [r], { perm: keysT ? [0, 2, 3, 1] : [0, 2, 1, 3] });
}

/** [N, H, L, D] → [N, L, E]. */
export function mergeHeads(g: GraphBuilder, x: string, E: number): string {
  return g.op('Reshape', [g.op('Transpose', [x], { perm: [0, 2, 1, 3] }), g.ints([0, 0, E])]);
}

/**
 * nn.MultiheadAttention on batch-first values: query [N, L, E], key/value [N, S, kdim/vdim] →
 * out [N, L, E], probs per head [N, H, L, S]. `self` marks self-attention (one packed projection);
 * a `BertSelfAttention` projects with its own query/key/value Linear modules.
 */
export function multiheadAttention(g: GraphBuilder, m: MultiheadAttention, query: string, key: string, value: string, keep: Keep | null, self: boolean): { out: string; probs: string } {
  if (m.biasK || m.addZeroAttn) throw new OnnxExportError('exportOnnx: MultiheadAttention with addBiasKv or addZeroAttn cannot be exported');
  const [E, H, D] = [m.embedDim, m.numHeads, m.headDim];
  const bias = m.inProjBias ? g.opN('Split', [g.weight(m.inProjBias), g.ints([E, E, E])], 3, { axis: 0 }) : [null, null, null];
  let q: string;
  let k: string;
  let v: string;
  if (m instanceof BertSelfAttention) {
    // BERT's separate query/key/value Linear modules (self-attention only)
    [q, k, v] = [linear(g, m.query, query), linear(g, m.key, key), linear(g, m.value, value)];
  } else if (m.inProjWeight && self) {
    [q, k, v] = g.opN('Split', [affine(g, g.weight(m.inProjWeight), m.inProjBias ? g.weight(m.inProjBias) : null, query), g.ints([E, E, E])], 3, { axis: -1 }) as [string, string, string];
  } else {
    const [wq, wk, wv] = m.inProjWeight
      ? g.opN('Split', [g.weight(m.inProjWeight), g.ints([E, E, E])], 3, { axis: 0 })
      : [g.weight(m.qProjWeight!), g.weight(m.kProjWeight!), g.weight(m.vProjWeight!)];
    [q, k, v] = [affine(g, wq!, bias[0]!, query), affine(g, wk!, bias[1]!, key), affine(g, wv!, bias[2]!, value)];
  }
  const { out, probs } = attend(g, splitHeads(g, q, H, D), splitHeads(g, k, H, D, true), splitHeads(g, v, H, D), keep, 1 / Math.sqrt(D));
  return { out: affine(g, g.weight(m.outProj.weight), m.outProj.bias ? g.weight(m.outProj.bias) : null, mergeHeads(g, out, E)), probs };
}

// The benchmark's layers written with TensorFlow.js ops, in PyTorch's weight layout (y = x·Wᵀ + b),
// so the same weights give the same numbers as qkv's modules.
import { dims } from '@qkv/tensor-core';
import type * as Tf from '@tensorflow/tfjs-core';

type Tfjs = typeof Tf;

/** nn.MultiheadAttention's weights: in_proj [3E, E] + [3E], out_proj [E, E] + [E]. */
export interface MhaWeights<T> {
  inProj: T;
  inBias: T;
  outProj: T;
  outBias: T;
}

/** x·Wᵀ + b on the last dim. x [..., in], w [out, in], b [out] → [..., out]. */
export function tfLinear(tf: Tfjs, x: Tf.Tensor, w: Tf.Tensor, b: Tf.Tensor): Tf.Tensor {
  const inDim = x.shape[x.shape.length - 1]!;
  const rows = x.size / inDim;
  const y = tf.add(tf.matMul(tf.reshape(x, [rows, inDim]), w, false, true), b); // [rows, out]
  return tf.reshape(y, [...x.shape.slice(0, -1), w.shape[0]]);
}

/**
 * Multi-head self-attention as nn.MultiheadAttention (batchFirst, no mask, dropout 0).
 * B batch · L length · E embed · H heads · D = E / H. x [B, L, E] → [B, L, E].
 * @example const y = tfMha(tf, x, weights, 8)
 */
export function tfMha(tf: Tfjs, x: Tf.Tensor, w: MhaWeights<Tf.Tensor>, H: number): Tf.Tensor {
  const [B, L, E] = dims(x, 3, 'tfMha', 'B, L, E');
  const D = E / H;
  const [q, k, v] = tf.split(tfLinear(tf, x, w.inProj, w.inBias), 3, 2).map((t) => tf.transpose(tf.reshape(t, [B, L, H, D]), [0, 2, 1, 3])) as [Tf.Tensor4D, Tf.Tensor4D, Tf.Tensor4D]; // [B,H,L,D]
  const p = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(D))); // [B,H,L,L]
  const o = tf.reshape(tf.transpose(tf.matMul(p, v), [0, 2, 1, 3]), [B, L, E]); // heads re-assembled
  return tfLinear(tf, o, w.outProj, w.outBias);
}

/** Layer norm over the last dim with weight and bias (eps 1e-5, as nn.LayerNorm). */
export function tfLayerNorm(tf: Tfjs, x: Tf.Tensor, weight: Tf.Tensor, bias: Tf.Tensor, eps = 1e-5): Tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), weight), bias);
}

/** nn.TransformerEncoderLayer's weights under PyTorch's names, minus the `self_attn.` prefix for attention. */
export interface EncoderWeights<T> extends MhaWeights<T> {
  linear1W: T;
  linear1B: T;
  linear2W: T;
  linear2B: T;
  norm1W: T;
  norm1B: T;
  norm2W: T;
  norm2B: T;
}

/**
 * A post-norm nn.TransformerEncoderLayer (ReLU, dropout 0): x = norm1(x + SA(x)); x = norm2(x + FF(x)).
 * x [B, L, E] → [B, L, E].
 */
export function tfEncoderLayer(tf: Tfjs, x: Tf.Tensor, w: EncoderWeights<Tf.Tensor>, H: number): Tf.Tensor {
  const h = tfLayerNorm(tf, tf.add(x, tfMha(tf, x, w, H)), w.norm1W, w.norm1B);
  const ff = tfLinear(tf, tf.relu(tfLinear(tf, h, w.linear1W, w.linear1B)), w.linear2W, w.linear2B);
  return tfLayerNorm(tf, tf.add(h, ff), w.norm2W, w.norm2B);
}

/** Mean cross-entropy of logits [N, C] against class ids [N] (int32), as F.cross_entropy. */
export function tfCrossEntropy(tf: Tfjs, logits: Tf.Tensor, targets: Tf.Tensor): Tf.Scalar {
  const C = logits.shape[logits.shape.length - 1]!;
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(targets as Tf.Tensor1D, C), tf.logSoftmax(logits)), -1)));
}

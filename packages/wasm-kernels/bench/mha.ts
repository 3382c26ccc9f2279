// Multi-head attention forward (B=1, L, E=512, H=8): QKV projections, scores, softmax, weighted
// sum, output projection — in qkv ops, in TensorFlow.js ops and, exported by @qkv/onnx, on ORT-web.
// Every engine returns the output only, not the attention weights (ORT's graph has no weights
// output; PyTorch's fast path is need_weights=False): qkv runs the heads through the fused
// FusedAttention kernel, as MultiheadAttention does with needWeights false, and also, as
// "unfused", through the composed ops (scores [H, L, L], softmax, P·V) that needWeights true takes.
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-web';
import { cat, fusedAttention, matmul, setBackend, tensor, tidy } from '@qkv/tensor-core';
import type { Tensor } from '@qkv/tensor-core';
import { setThreads } from '../src/threads.js';
import { useTfjs } from './engines.js';
import { MultiheadAttention } from '@qkv/attention';
import { exportOnnx } from '@qkv/onnx';
import { maxRelError, medianRatio, time, timeInTurns, timeSync } from '@qkv/bench-harness';

/** Median ms of `fn`: 2 warm-ups, then 3 to 30 runs within ~2 s. */
const medianMs = (fn: () => unknown) => timeSync(fn, { warmup: 2, minRuns: 3, maxRuns: 30, minMs: 2000 }).medianMs;

const E = 512;
const H = 8;
const D = E / H;

function randomFloats(n: number, seed: number, scale: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => (((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1) * scale);
}

/** L sequence length · E = 512 · H = 8 · D = 64: x [1, L, E] → [1, L, E]; `fused` runs the heads as one FusedAttention. */
function qkvMha(x: Tensor, w: Tensor[], L: number, fused = true): Tensor {
  const [wq, wk, wv, wo] = w as [Tensor, Tensor, Tensor, Tensor];
  const heads = (t: Tensor): Tensor => t.reshape([1, L, H, D]).permute(0, 2, 1, 3); // [1,H,L,D]
  const q = heads(matmul(x, wq));
  const k = heads(matmul(x, wk));
  const v = heads(matmul(x, wv));
  const attended = fused
    ? fusedAttention(q, k, v) // [1,H,L,D], scale 1/√D
    : matmul(matmul(q, k.transpose(-2, -1)).mul(1 / Math.sqrt(D)).softmax(-1), v); // via [1,H,L,L]
  const o = attended.permute(0, 2, 1, 3).reshape([1, L, E]);
  return matmul(o, wo);
}

function tfjsMha(x: tf.Tensor, w: tf.Tensor[], L: number): tf.Tensor {
  const [wq, wk, wv, wo] = w as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const x2 = tf.reshape<tf.Rank.R2>(x, [L, E]);
  const heads = (t: tf.Tensor): tf.Tensor3D => tf.transpose(tf.reshape(t, [L, H, D]), [1, 0, 2]);
  const q = heads(tf.matMul(x2, wq));
  const k = heads(tf.matMul(x2, wk));
  const v = heads(tf.matMul(x2, wv));
  const p = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(D)));
  const o = tf.reshape<tf.Rank.R2>(tf.transpose(tf.matMul(p, v), [1, 0, 2]), [L, E]);
  return tf.reshape(tf.matMul(o, wo), [1, L, E]);
}

/**
 * The same attention as an nn.MultiheadAttention (no biases, batch-first) exported by @qkv/onnx:
 * x·W here is x·(Wᵀ)ᵀ there, so the module's in_proj_weight stacks wqᵀ, wkᵀ, wvᵀ and out_proj is woᵀ.
 */
function onnxMha(w: Float32Array[], L: number): Uint8Array {
  const t = (m: Float32Array) => tensor(m, { shape: [E, E] }).transpose(0, 1);
  const mha = new MultiheadAttention(E, H, { bias: false, batchFirst: true }).eval();
  mha.loadStateDict({ in_proj_weight: cat(w.slice(0, 3).map(t), 0), 'out_proj.weight': t(w[3]!) }, { strict: true });
  return exportOnnx(mha, [tensor(new Float32Array(L * E), { shape: [1, L, E] })]);
}

/** Forward milliseconds per engine at sequence length L, after checking every output against qkv's cpu backend. */
export async function mhaRow(L: number): Promise<Record<string, number>> {
  const xv = randomFloats(L * E, 11, 1);
  const wv = [0, 1, 2, 3].map((i) => randomFloats(E * E, 20 + i, 1 / Math.sqrt(E)));
  const times: Record<string, number> = {};
  const check = (label: string, got: ArrayLike<number>, ref: ArrayLike<number>): void => {
    const err = maxRelError(got, ref);
    if (!(err < 1e-4)) throw new Error(`MHA L=${L}: ${label} differs from cpu by ${err} (relative)`);
  };

  await setBackend('cpu');
  const ref = tidy(() => qkvMha(tensor(xv, { shape: [1, L, E] }), wv.map((v) => tensor(v, { shape: [E, E] })), L, false)).dataSync();

  await setBackend('wasm');
  const x = tensor(xv, { shape: [1, L, E] });
  const w = wv.map((v) => tensor(v, { shape: [E, E] }));
  for (const threads of [1, 2]) {
    await setThreads(threads);
    check(`qkv-wasm ${threads}T`, tidy(() => qkvMha(x, w, L)).dataSync(), ref);
    times[`qkv-wasm ${threads}T`] = medianMs(() => tidy(() => void qkvMha(x, w, L)));
  }
  await setThreads(1);
  check('qkv-wasm 1T unfused', tidy(() => qkvMha(x, w, L, false)).dataSync(), ref);
  times['qkv-wasm 1T unfused'] = medianMs(() => tidy(() => void qkvMha(x, w, L, false)));

  await useTfjs('wasm');
  const tx = tf.tensor(xv, [1, L, E]);
  const tw = wv.map((v) => tf.tensor2d(v, [E, E]));
  check('tfjs-wasm', tf.tidy(() => tfjsMha(tx, tw, L)).dataSync(), ref);
  times['tfjs-wasm 1T'] = medianMs(() => tf.tidy(() => void tfjsMha(tx, tw, L)));

  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(onnxMha(wv, L), { executionProviders: ['wasm'] });
  const feeds = { query: new ort.Tensor('float32', xv, [1, L, E]) };
  const out = await session.run(feeds);
  check('onnxruntime-web', out.output!.data as Float32Array, ref);
  times['ort-web wasm 1T'] = (await time(() => session.run(feeds), { warmup: 2, minRuns: 3, maxRuns: 30, minMs: 2000 })).medianMs;
  // the ratio, qkv 1T ÷ ORT-web 1T, taken in turns (one run of each per round, median of the
  // per-round ratios): this shared host's speed drifts within seconds
  await setBackend('wasm');
  await setThreads(1);
  const [qkvTimes, ortTimes] = await timeInTurns([{ run: () => tidy(() => void qkvMha(x, w, L)) }, { run: () => session.run(feeds) }], { warmup: 0, minRuns: 7, maxRuns: 60, minMs: 4000 });
  times['qkv 1T ÷ ORT 1T, in turns'] = medianRatio(qkvTimes!, ortTimes!);
  await session.release();
  return times;
}

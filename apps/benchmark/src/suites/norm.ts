// Softmax and layer norm over the last dim: qkv backends against TensorFlow.js and plain JS.
import { layerNorm, tensor } from '@qkv/tensor-core';
import { checkClose, randomArray, time } from '../harness.js';
import type { BenchContext, Measurement } from '../harness.js';
import { inTfScope, useTf } from '../peers/tfjs.js';
import { qkvName, run, useQkv } from '../qkv.js';

function plainSoftmax(x: Float32Array, rows: number, cols: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, x[r * cols + c]!);
    let s = 0;
    for (let c = 0; c < cols; c++) s += y[r * cols + c] = Math.exp(x[r * cols + c]! - m);
    for (let c = 0; c < cols; c++) y[r * cols + c]! /= s;
  }
  return y;
}

function plainLayerNorm(x: Float32Array, rows: number, cols: number, eps = 1e-5): Float32Array {
  const y = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let c = 0; c < cols; c++) mean += x[r * cols + c]!;
    mean /= cols;
    let v = 0;
    for (let c = 0; c < cols; c++) v += (x[r * cols + c]! - mean) ** 2;
    const inv = 1 / Math.sqrt(v / cols + eps);
    for (let c = 0; c < cols; c++) y[r * cols + c] = (x[r * cols + c]! - mean) * inv;
  }
  return y;
}

/** Softmax and layer norm at attention-like shapes. */
export async function normSuite(ctx: BenchContext): Promise<Measurement[]> {
  // [4096, 512] is also attention's 8 heads × 512 query rows of 512 keys (a third entry 8·512 × 512 measured it twice)
  const shapes: [number, number][] = ctx.quick ? [[8, 33]] : [[512, 512], [4096, 512]];
  const out: Measurement[] = [];
  for (const [rows, cols] of shapes) {
    const x = randomArray(rows * cols, 3).map((v) => v * 8);
    for (const op of ['softmax', 'layerNorm'] as const) {
      const label = `${op} [${rows},${cols}]`;
      const ref = op === 'softmax' ? plainSoftmax(x, rows, cols) : plainLayerNorm(x, rows, cols);
      const work = { amount: rows * cols * 4, unit: 'MB/s' as const };
      for (const backend of ctx.backends) {
        await useQkv(backend, 1);
        const t = tensor(x, { shape: [rows, cols] });
        const go = () => run(() => (op === 'softmax' ? t.softmax(-1) : layerNorm(t, [cols])));
        const diff = checkClose(`${label} ${qkvName(backend, 1)}`, go(), ref, 1e-4);
        out.push({ suite: 'norm', case: label, system: qkvName(backend, 1), ...(await time(go, ctx.quick)), work, maxAbsDiff: diff });
        t.dispose();
      }
      out.push({ suite: 'norm', case: label, system: 'plain JS', ...(await time(() => (op === 'softmax' ? plainSoftmax(x, rows, cols) : plainLayerNorm(x, rows, cols)), ctx.quick)), work, maxAbsDiff: 0 });
      for (const backend of ['cpu', 'wasm'] as const) {
        const tf = await useTf(backend);
        const t = tf.tensor2d(x, [rows, cols]);
        const go = (): Float32Array => {
          if (op === 'softmax') return tf.softmax(t).dataSync() as Float32Array;
          const { mean, variance } = tf.moments(t, -1, true);
          return tf.div(tf.sub(t, mean), tf.sqrt(tf.add(variance, 1e-5))).dataSync() as Float32Array;
        };
        const diff = checkClose(`${label} tfjs-${backend}`, go(), ref, 1e-4);
        out.push({ suite: 'norm', case: label, system: `tfjs-${backend}`, ...(await inTfScope(() => time(go, ctx.quick))), work, maxAbsDiff: diff });
        t.dispose();
      }
    }
  }
  return out;
}

// GEMM GFLOPS of the qkv cpu backend beside TensorFlow.js's cpu backend, in one process.
// Run: pnpm --filter @qkv/tensor-core bench   (after pnpm build). `--quick` runs one small size.
import { timeSync } from '@qkv/bench-harness';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { cpuGemm } from '../dist/index.js';

const quick = process.argv.includes('--quick');
const sizes = quick ? [64] : [128, 256, 512];
/** Median ms of `fn` after one warm-up: at least 3 runs and 1.5 s (quick: 20 ms). */
const time = (fn) => timeSync(fn, { warmup: 1, minRuns: 3, maxRuns: Infinity, minMs: quick ? 20 : 1500 }).medianMs;

await tf.setBackend('cpu');
const rows = [];
for (const n of sizes) {
  const a = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
  const c = new Float32Array(n * n);
  const ours = time(() => { c.fill(0); cpuGemm(a, 0, b, 0, c, 0, n, n, n); });
  const ta = tf.tensor2d(a, [n, n]);
  const tb = tf.tensor2d(b, [n, n]);
  const theirs = time(() => tf.tidy(() => tf.matMul(ta, tb).dataSync()));
  // check the answer before trusting the timing
  const ref = tf.matMul(ta, tb).dataSync();
  let maxDiff = 0;
  for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ref[i] - c[i]));
  if (!(maxDiff < 1e-3)) throw new Error(`gemm ${n}³: qkv cpu differs from tfjs-cpu by ${maxDiff}`);
  const gf = (ms) => (2 * n ** 3) / ms / 1e6;
  rows.push({ size: `${n}³`, 'qkv cpu GFLOPS': gf(ours).toFixed(2), 'tfjs-cpu GFLOPS': gf(theirs).toFixed(2), ratio: (theirs / ours).toFixed(2), 'max |diff|': maxDiff.toExponential(1) });
}
console.table(rows);

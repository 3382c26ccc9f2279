// GEMM: qkv backends against plain JS, TensorFlow.js (cpu, wasm), gpu.js (webasm) and ONNX Runtime.
import { tensor } from '@qkv/tensor-core';
import * as ortNode from 'onnxruntime-node';
import { checkClose, randomArray, time } from '../harness.js';
import type { BenchContext, Measurement } from '../harness.js';
import { gemmOnnx } from '../peers/onnx.js';
import { inTfScope, useTf } from '../peers/tfjs.js';
import { fromBase64, startTorchPeer, toBase64, torchName } from '../peers/torch.js';
import { qkvName, run, useQkv } from '../qkv.js';
import { wasmFeatures } from '../setup.js';

/** Plain JavaScript i-k-j GEMM: the "hand-written JS" baseline. */
export function plainGemm(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p]!;
      const row = p * n;
      const out = i * n;
      for (let j = 0; j < n; j++) c[out + j]! += x * b[row + j]!;
    }
  }
  return c;
}

/** The GEMM suite. */
export async function gemmSuite(ctx: BenchContext): Promise<Measurement[]> {
  const sizes: [number, number, number][] = ctx.quick ? [[64, 64, 64], [17, 33, 65]] : ctx.small ? [[128, 128, 128], [512, 512, 512]] : [[128, 128, 128], [512, 512, 512], [1024, 1024, 1024], [128, 512, 2048]];
  const out: Measurement[] = [];
  const torch = await startTorchPeer(ctx);
  for (const [m, k, n] of sizes) {
    const label = m === k && k === n ? `${m}³` : `${m}×${k}×${n}`;
    const a = randomArray(m * k, 1);
    const b = randomArray(k * n, 2);
    const ref = plainGemm(a, b, m, k, n);
    const flops = 2 * m * k * n;
    const tol = 1e-4 * k;
    const add = (system: string, t: Awaited<ReturnType<typeof time>>, diff: number) =>
      out.push({ suite: 'gemm', case: label, system, ...t, work: { amount: flops, unit: 'GFLOPS' }, maxAbsDiff: diff });
    // the plain-SIMD build beside the default (relaxed where V8 has it), one thread: the two GEMM targets
    const relaxed = ctx.backends.includes('wasm') && (await wasmFeatures()).relaxedSimd;
    for (const backend of relaxed ? [...ctx.backends, 'wasm-plain'] : ctx.backends) {
      for (const threads of backend === 'wasm' ? [...new Set([1, ctx.threads])] : [1]) {
        await useQkv(backend, threads);
        const ta = tensor(a, { shape: [m, k] });
        const tb = tensor(b, { shape: [k, n] });
        const diff = checkClose(`gemm ${label} ${qkvName(backend, threads)}`, run(() => ta.matmul(tb)), ref, tol);
        add(qkvName(backend, threads), await time(() => run(() => ta.matmul(tb)), ctx.quick), diff);
        ta.dispose();
        tb.dispose();
      }
    }
    if (m * k * n <= 512 ** 3) add('plain JS', await time(() => plainGemm(a, b, m, k, n), ctx.quick), 0);
    for (const backend of ['cpu', 'wasm'] as const) {
      if (backend === 'cpu' && m * k * n > 512 ** 3 && !ctx.quick) continue; // tfjs-cpu takes minutes at 1024³
      const tf = await useTf(backend);
      await inTfScope(async () => {
        const ta = tf.tensor2d(a, [m, k]);
        const tb = tf.tensor2d(b, [k, n]);
        const go = () => tf.matMul(ta, tb).dataSync();
        const diff = checkClose(`gemm ${label} tfjs-${backend}`, go(), ref, tol);
        add(`tfjs-${backend}`, await time(go, ctx.quick), diff);
      });
    }
    const session = await ortNode.InferenceSession.create(gemmOnnx(m, k, n), { intraOpNumThreads: 1 });
    const feeds = { a: new ortNode.Tensor('float32', a, [m, k]), b: new ortNode.Tensor('float32', b, [k, n]) };
    const goOrt = async () => ((await session.run(feeds)).y!.data as Float32Array);
    const diff = checkClose(`gemm ${label} onnxruntime-node`, await goOrt(), ref, tol);
    add('onnxruntime-node', await time(goOrt, ctx.quick), diff);
    await session.release();
    for (const threads of torch ? [...new Set([1, ctx.threads])] : []) {
      const r = await torch!.call<{ y: string }>({ op: 'gemm', m, k, n, a: toBase64(a), b: toBase64(b), threads });
      const { y, ...timing } = r;
      add(torchName(threads), timing, checkClose(`gemm ${label} ${torchName(threads)}`, fromBase64(y), ref, tol));
    }
  }
  torch?.close();
  return out;
}
